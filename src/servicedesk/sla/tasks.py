"""Background work of the SLA engine (huey): the minute sweep and notification e-mail."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from servicedesk.core import clock
from servicedesk.sla.escalation import sla_sweep
from servicedesk.sla.models import Notification


@db_periodic_task(crontab(minute="*"))
def sla_sweep_every_minute() -> None:
    """Fire the escalation thresholds that have come (idempotent, parallel-safe)."""
    sla_sweep()


@db_task(retries=5, retry_delay=60)
def send_notification_emails(notification_ids: list[int]) -> None:
    """Send the e-mail copies of notifications; the task is retried on SMTP failure.

    A retry resends only the ones not yet marked as e-mailed, so nobody gets two copies.
    """
    pending = Notification.objects.select_related("user", "ticket").filter(
        pk__in=notification_ids, emailed_at__isnull=True
    )
    for notification in pending:
        if not notification.user.email:
            continue
        link = ""
        if notification.ticket is not None:
            link = f"\n\n{settings.SITE_URL}/tickets/{notification.ticket.display_number}/"
        send_mail(
            subject=notification.title,
            message=f"{notification.body}{link}",
            from_email=None,
            recipient_list=[notification.user.email],
        )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=clock.now())
