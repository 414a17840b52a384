from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from servicedesk.calendars.models import Calendar
from servicedesk.calendars.services import FIVE_TWO_CODE, calendar_seed_year


class Command(BaseCommand):
    help = (
        "Загрузить производственный календарь РФ на год (праздники, переносы, сокращённые дни). "
        "Дни, изменённые руководителем вручную, сохраняются."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("--calendar", default=FIVE_TWO_CODE)

    def handle(self, *args: Any, **options: Any) -> None:
        calendar = Calendar.objects.filter(code=options["calendar"]).first()
        if calendar is None:
            raise CommandError(f"Календарь «{options['calendar']}» не найден")
        result = calendar_seed_year(calendar=calendar, year=options["year"])
        self.stdout.write(
            self.style.SUCCESS(
                f"{calendar.name}, {result.year}: записано дней {result.written}, "
                f"сохранено ручных правок {result.kept_admin_edits}, удалено {result.removed}"
            )
        )
