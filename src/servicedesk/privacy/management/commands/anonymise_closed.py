import getpass
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from servicedesk.core.errors import DomainError
from servicedesk.privacy.services import anonymise_closed, eligible_tickets


class Command(BaseCommand):
    help = (
        "Обезличить персональные данные гостей в обращениях, закрытых или отменённых больше "
        "N месяцев назад (по умолчанию PERSONAL_DATA_RETENTION_MONTHS). Обращения остаются "
        "для статистики."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--months", type=int, default=None)
        parser.add_argument(
            "--dry-run", action="store_true", help="Только посчитать, ничего не менять"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        months = options["months"] or settings.PERSONAL_DATA_RETENTION_MONTHS
        if options["dry_run"]:
            self.stdout.write(f"Будет обезличено обращений: {eligible_tickets(months).count()}")
            return
        try:
            run = anonymise_closed(
                months=months, actor_label=f"manage.py anonymise_closed ({getpass.getuser()})"
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"Обезличено: обращений {run.tickets}, комментариев {run.comments}, "
            f"событий {run.events}, файлов удалено {run.attachments}, контактов {run.contacts} "
            f"(закрытые до {run.cutoff:%d.%m.%Y})"
        )
