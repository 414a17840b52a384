from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from servicedesk.core.errors import DomainError
from servicedesk.ops.backup import backup_restore


class Command(BaseCommand):
    help = (
        "Восстановить резервную копию (manage.py backup) в ПУСТУЮ базу из DATABASE_URL "
        "и в каталог вложений. Существующие данные не трогаются: непустая база — ошибка."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_restore(path=options["file"], using=options["database"])
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"Восстановлено: база {summary.vendor} (копия от {summary.created_at}), "
            f"файлов {summary.media_files}. Затем: manage.py migrate (если код новее копии)."
        )
