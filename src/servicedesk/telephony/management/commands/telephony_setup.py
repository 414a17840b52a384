"""Create the technical user of the PBX webhook and print an API token for it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from servicedesk.accounts.models import User
from servicedesk.accounts.services import api_token_issue
from servicedesk.telephony.selectors import telephony_settings


class Command(BaseCommand):
    help = (
        "Создать техническую учётную запись АТС (по умолчанию «pbx»), сделать её "
        "пользователем вебхука телефонии и выпустить API-токен (печатается один раз)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", default="pbx")

    @transaction.atomic
    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": "АТС", "last_name": "(вебхук)"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        config = telephony_settings()
        config.webhook_user = user
        config.save(update_fields=["webhook_user"])
        _, raw = api_token_issue(user=user, name="Вебхук АТС")
        self.stderr.write(
            f"Пользователь «{username}» {'создан' if created else 'уже был'}; "
            "токен для заголовка Authorization: Bearer …"
        )
        self.stdout.write(raw)
