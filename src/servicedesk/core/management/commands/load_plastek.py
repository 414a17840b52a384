from typing import Any

from django.core.management.base import BaseCommand

from servicedesk.core.setup import load_plastek_configuration


class Command(BaseCommand):
    help = (
        "Загрузить конфигурацию Plas-Tek (роли, календари, каталог, статусы). "
        "Повторный запуск безопасен."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        load_plastek_configuration(report=lambda line: self.stdout.write(f"  {line}"))
        self.stdout.write(self.style.SUCCESS("Конфигурация Plas-Tek загружена"))
