from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from servicedesk.core.demo import DEMO_PASSWORD, load_demo
from servicedesk.core.setup import load_plastek_configuration


class Command(BaseCommand):
    help = "Добавить демо-данные: клиенты, точки, контакты, сотрудники по ролям, ~200 обращений."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tickets", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        load_plastek_configuration()
        logins = load_demo(ticket_count=options["tickets"])
        self.stdout.write(
            self.style.SUCCESS(f"Демо-данные готовы. Входы (пароль для всех: {DEMO_PASSWORD}):")
        )
        for login in logins:
            self.stdout.write(f"  {login.username:<16} {login.who}")
