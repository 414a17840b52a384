from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from servicedesk.ops.periodic import enqueue_periodic_tasks


class Command(BaseCommand):
    help = (
        "Поставить в очередь все периодические задачи сейчас (проверка SLA, почта, "
        "обезличивание, сигнал воркера…), не дожидаясь расписания."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", nargs="*", default=None, help="Имена задач")

    def handle(self, *args: Any, **options: Any) -> None:
        for name in enqueue_periodic_tasks(only=options["only"]):
            self.stdout.write(name)
