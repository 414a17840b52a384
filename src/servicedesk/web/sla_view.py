"""The workspace's one door to SLA data (`servicedesk.sla.selectors`).

Every read of clocks, previews and notifications by the pages and by the queue selectors
goes through here, so the pages never depend on how the SLA app stores its figures. A
preview the SLA app refuses (a service without a level, an unknown client) is shown as
"no due times" rather than as an error page.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet

from servicedesk.accounts.models import User
from servicedesk.core.errors import DomainError
from servicedesk.sla import selectors as sla_selectors
from servicedesk.sla.models import Notification
from servicedesk.sla.selectors import ClockView, SlaPreview
from servicedesk.tickets.models import Ticket

__all__ = [
    "ClockView",
    "SlaPreview",
    "clocks_for_tickets",
    "filter_at_risk",
    "filter_breached",
    "notifications_for",
    "order_by_resolution_due",
    "sla_preview",
    "unread_notification_count",
]


def clocks_for_tickets(tickets: Iterable[Ticket]) -> dict[int, list[ClockView]]:
    """Return each ticket's clocks by ticket pk, in one query for the whole page."""
    return sla_selectors.clocks_for_tickets(tickets)


def sla_preview(
    *, service: str, client: str | None = None, at: datetime | None = None
) -> SlaPreview | None:
    """Return the due times a request for `service` would get, or None if they are unknown."""
    try:
        return sla_selectors.sla_preview(service=service, client=client, at=at)
    except DomainError:
        return None


def unread_notification_count(user: User) -> int:
    return sla_selectors.unread_notification_count(user)


def notifications_for(user: User, limit: int = 10) -> list[Notification]:
    return sla_selectors.notifications_for(user, limit)


def order_by_resolution_due(queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """Order a queue by the resolution due instant, soonest first."""
    return sla_selectors.order_by_resolution_due(queryset)


def filter_at_risk(queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """Keep the tickets past the warning threshold of a running clock, not yet breached."""
    return sla_selectors.filter_at_risk(queryset)


def filter_breached(queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """Keep the tickets with a running clock past its due instant."""
    return sla_selectors.filter_breached(queryset)
