"""In-app notifications, with an optional e-mail copy sent after the commit."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from django.db import transaction

from servicedesk.accounts.models import User
from servicedesk.core import clock
from servicedesk.privacy.masking import mask_identifiers
from servicedesk.sla.models import Notification
from servicedesk.tickets.models import Ticket


def notify_users(
    users: Iterable[User],
    *,
    ticket: Ticket | None,
    kind: str,
    title: str,
    body: str = "",
    send_email: bool = True,
    at: datetime | None = None,
) -> int:
    """Create one notification per distinct user; e-mail each after the transaction commits."""
    created = 0
    seen: set[int] = set()
    for user in users:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        notification = Notification.objects.create(
            user=user,
            ticket=ticket,
            kind=kind,
            title=mask_identifiers(title)[:300],
            body=mask_identifiers(body),
            created_at=at or clock.now(),
        )
        created += 1
        if send_email and user.email:
            transaction.on_commit(_email_later([notification.pk]))
    return created


def notify_many(notifications: list[Notification]) -> int:
    """Save prepared notifications in one insert; e-mail the flagged ones after the commit."""
    if not notifications:
        return 0
    wanted = [bool(getattr(n, "wants_email", False)) for n in notifications]
    for notification in notifications:  # 152-FZ: no whole phone or card numbers
        notification.title = mask_identifiers(notification.title)[:300]
        notification.body = mask_identifiers(notification.body)
    saved = Notification.objects.bulk_create(notifications)
    ids = [n.pk for n, email in zip(saved, wanted, strict=True) if email and n.pk is not None]
    if ids:
        transaction.on_commit(_email_later(ids))
    return len(saved)


def _email_later(notification_ids: list[int]) -> Callable[[], None]:
    def send() -> None:
        from servicedesk.sla.tasks import send_notification_emails

        send_notification_emails(notification_ids)

    return send


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one (or every) unread notification of `user` read; return how many."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=clock.now())
