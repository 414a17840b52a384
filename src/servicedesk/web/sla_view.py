"""The workspace's one door to the SLA app (`servicedesk.sla`), which is built in parallel.

Every read of SLA data by the UI and by the queue selectors goes through these functions.
They import `servicedesk.sla.selectors` lazily and answer "nothing known" while the app is
not installed: no clocks, no preview, no notifications, at-risk and breached queues empty,
queues ordered by number. When the SLA app is merged, only this module changes.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

from django.apps import apps
from django.db.models import QuerySet

if TYPE_CHECKING:
    from servicedesk.accounts.models import User
    from servicedesk.tickets.models import Ticket

SLA_APP = "servicedesk.sla"


class ClockView(Protocol):
    """One SLA clock of a ticket as the SLA app presents it (see its ClockView)."""

    @property
    def target(self) -> str: ...  # "acknowledgement" | "reaction" | "resolution"
    @property
    def label(self) -> str: ...
    @property
    def due_at(self) -> datetime | None: ...
    @property
    def remaining_seconds(self) -> int: ...
    @property
    def elapsed_seconds(self) -> int: ...
    @property
    def state(self) -> str: ...  # "running" | "paused" | "met" | "breached"
    @property
    def at_risk(self) -> bool: ...
    @property
    def counting_now(self) -> bool: ...


class SlaPreview(Protocol):
    """When reaction and resolution would be due if a request were registered at a moment."""

    @property
    def sla_level(self) -> str: ...
    @property
    def priority(self) -> str: ...
    @property
    def calendar(self) -> str: ...
    @property
    def acknowledgement_due(self) -> datetime | None: ...
    @property
    def reaction_due(self) -> datetime: ...
    @property
    def resolution_due(self) -> datetime: ...


def _selectors() -> ModuleType | None:
    if not apps.is_installed(SLA_APP):
        return None
    return importlib.import_module(f"{SLA_APP}.selectors")


def clocks_for_tickets(tickets: Iterable[Ticket]) -> dict[int, list[ClockView]]:
    """Return each ticket's clocks by ticket pk, in a constant number of queries."""
    module = _selectors()
    if module is None:
        return {}
    result: dict[int, list[ClockView]] = module.clocks_for_tickets(list(tickets))
    return result


def sla_preview(
    *, service: str, client: str | None = None, at: datetime | None = None
) -> SlaPreview | None:
    """Return the due times a new request for `service` would get, or None if unknown."""
    module = _selectors()
    if module is None:
        return None
    preview: SlaPreview = module.sla_preview(service=service, client=client, at=at)
    return preview


def unread_notification_count(user: User) -> int:
    module = _selectors()
    return int(module.unread_notification_count(user)) if module is not None else 0


def notifications_for(user: User, limit: int = 10) -> list[Any]:
    module = _selectors()
    return list(module.notifications_for(user, limit)) if module is not None else []


def order_by_resolution_due(queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """Order a queue by resolution due time, soonest first (by number until SLA lands)."""
    module = _selectors()
    if module is not None and hasattr(module, "order_by_resolution_due"):
        ordered: QuerySet[Ticket] = module.order_by_resolution_due(queryset)
        return ordered
    return queryset.order_by("-number")


def filter_at_risk(queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """Keep the tickets past the warning threshold of a running clock."""
    module = _selectors()
    if module is not None and hasattr(module, "filter_at_risk"):
        filtered: QuerySet[Ticket] = module.filter_at_risk(queryset)
        return filtered
    return queryset.none()


def filter_breached(queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """Keep the tickets with a breached clock."""
    module = _selectors()
    if module is not None and hasattr(module, "filter_breached"):
        filtered: QuerySet[Ticket] = module.filter_breached(queryset)
        return filtered
    return queryset.none()
