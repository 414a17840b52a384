from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from servicedesk.catalog.selectors import catalogue_problems
from servicedesk.catalog.services import catalog_apply_impact_mapping


class Command(BaseCommand):
    help = (
        "Проверить каталог: противоречия влияния и SLA, услуги без описания. "
        "С --apply-impact-mapping — привести уровни SLA в соответствие влиянию."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--apply-impact-mapping",
            action="store_true",
            help="Всеобъемлющее/Высокое → Критический, Среднее → Средний, Низкое → Низкий",
        )
        parser.add_argument("--actor", default="", help="Кто применяет (для журнала)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["apply_impact_mapping"]:
            import getpass

            label = options["actor"] or f"manage.py ({getpass.getuser()})"
            changes = catalog_apply_impact_mapping(actor=None, actor_label=label)
            for change in changes:
                self.stdout.write(f"  {change['service']}: {change['from']} → {change['to']}")
            self.stdout.write(
                self.style.SUCCESS(f"Изменено услуг: {len(changes)} (записано в журнал: {label})")
            )
        problems = catalogue_problems()
        if not problems:
            self.stdout.write(self.style.SUCCESS("Каталог без замечаний"))
            return
        self.stdout.write(self.style.WARNING(f"Замечаний по каталогу: {len(problems)}"))
        for problem in problems:
            self.stdout.write(f"  [{problem.check_id}] {problem.message}")
            self.stdout.write(f"      → {problem.hint}")
