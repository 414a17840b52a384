from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from servicedesk.accounts.models import User
from servicedesk.accounts.services import api_token_issue
from servicedesk.core import clock


class Command(BaseCommand):
    help = "Выпустить API-токен пользователю и напечатать его (в базе хранится только хеш)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="manage.py issue_token")
        parser.add_argument("--days", type=int, default=None, help="Срок действия, дней")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Пользователь «{options['username']}» не найден")
        expires = clock.now() + timedelta(days=options["days"]) if options["days"] else None
        _, raw = api_token_issue(user=user, name=options["name"], expires_at=expires)
        self.stdout.write(raw)
