import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from servicedesk.calendars.models import Calendar
from servicedesk.calendars.services import calendar_export


class Command(BaseCommand):
    help = "Выгрузить календарь в JSON (формат описан в README)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code")

    def handle(self, *args: Any, **options: Any) -> None:
        calendar = Calendar.objects.filter(code=options["code"]).first()
        if calendar is None:
            raise CommandError(f"Календарь «{options['code']}» не найден")
        self.stdout.write(json.dumps(calendar_export(calendar), ensure_ascii=False, indent=2))
