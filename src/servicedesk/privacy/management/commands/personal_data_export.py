import getpass
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from servicedesk.core.errors import DomainError
from servicedesk.privacy.selectors import personal_data_export


class Command(BaseCommand):
    help = (
        "Выгрузить в JSON всё, что хранится о человеке (запрос субъекта персональных данных) "
        "по телефону или номеру карты. Выгрузка записывается в журнал просмотров."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--phone")
        who.add_argument("--card")
        parser.add_argument("--output", type=Path, help="Файл (по умолчанию — вывод на экран)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = personal_data_export(
                actor=None,
                phone=options["phone"],
                card=options["card"],
                actor_label=f"manage.py personal_data_export ({getpass.getuser()})",
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
            self.stdout.write(f"Записано в {options['output']}")
        else:
            self.stdout.write(text)
