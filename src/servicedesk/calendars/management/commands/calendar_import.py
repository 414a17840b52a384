import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from servicedesk.calendars.domain.business_time import CalendarError
from servicedesk.calendars.services import calendar_import


class Command(BaseCommand):
    help = (
        "Загрузить календарь из JSON-файла (или '-' для stdin); заменяет календарь с тем же кодом."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["file"]
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
            document = json.loads(text)
        except (OSError, json.JSONDecodeError) as error:
            raise CommandError(f"Не удалось прочитать {source}: {error}") from error
        try:
            calendar, created = calendar_import(document)
        except CalendarError as error:
            raise CommandError(f"Календарь не загружен: {error}") from error
        verb = "создан" if created else "обновлён"
        self.stdout.write(
            self.style.SUCCESS(f"Календарь «{calendar.name}» ({calendar.code}) {verb}")
        )
