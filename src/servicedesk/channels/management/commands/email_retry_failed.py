"""Send again the notifications that could not be sent."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q

from servicedesk.channels.email.models import OutboundMessage, OutboundStatus
from servicedesk.channels.email.outgoing import (
    STALE_PENDING,
    STALE_SENDING,
    email_outbound_retry,
    email_outbound_send,
)
from servicedesk.core import clock


class Command(BaseCommand):
    help = "Отправить повторно письма в состоянии «не отправлено» (и зависшие в очереди)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            action="store_true",
            help="отправить сразу из этой команды, не через фоновый обработчик",
        )

    def handle(self, *args: object, **options: object) -> None:
        now = clock.now()
        # Failed ones, and ones stuck in the queue — not those a worker is sending now.
        failed = OutboundMessage.objects.filter(
            Q(status=OutboundStatus.FAILED)
            | Q(status=OutboundStatus.SENDING, last_attempt_at__lt=now - STALE_SENDING)
            | Q(status=OutboundStatus.PENDING, created_at__lt=now - STALE_PENDING)
        ).order_by("created_at")
        count = 0
        for outbound in failed:
            if email_outbound_retry(outbound=outbound):
                count += 1
                if options["now"]:
                    try:
                        status = email_outbound_send(outbound.pk)
                    except Exception as error:  # reported, the worker retries later
                        status = f"ошибка: {error}"
                    self.stdout.write(f"#{outbound.pk} → {outbound.to_address}: {status}")
        self.stdout.write(f"поставлено в очередь: {count}")
