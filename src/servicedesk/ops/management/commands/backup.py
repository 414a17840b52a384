from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from servicedesk.core.errors import DomainError
from servicedesk.ops.backup import backup_create


class Command(BaseCommand):
    help = (
        "Сделать резервную копию: база (pg_dump или онлайн-копия SQLite) и вложения в один "
        "tar-файл. Восстановление: manage.py restore FILE."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="Куда записать копию, например backup.tar")
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_create(path=options["file"], using=options["database"])
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"Копия {summary.path}: база {summary.vendor}, файлов {summary.media_files}, "
            f"{summary.size / 1024 / 1024:.1f} МБ"
        )
