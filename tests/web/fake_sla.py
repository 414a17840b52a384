"""A stand-in for `servicedesk.sla.selectors`, to test the workspace against its contract."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class FakeClock:
    target: str
    label: str
    due_at: datetime | None
    remaining_seconds: int
    elapsed_seconds: int = 0
    state: str = "running"
    at_risk: bool = False
    counting_now: bool = True


@dataclass(frozen=True)
class FakePreview:
    sla_level: str
    priority: str
    calendar: str
    acknowledgement_due: datetime | None
    reaction_due: datetime
    resolution_due: datetime


@dataclass
class FakeSla:
    clocks: list[FakeClock] = field(default_factory=list)
    preview: FakePreview | None = None
    unread: int = 0
    notes: list[Any] = field(default_factory=list)
    at_risk: set[int] = field(default_factory=set)
    breached: set[int] = field(default_factory=set)
    calls: list[str] = field(default_factory=list)

    def clocks_for_tickets(self, tickets: Iterable[Any]) -> dict[int, list[FakeClock]]:
        return {ticket.pk: list(self.clocks) for ticket in tickets}

    def sla_preview(
        self,
        *,
        service: str,
        client: str | None = None,
        calendar: str | None = None,
        at: datetime | None = None,
    ) -> FakePreview | None:
        self.calls.append(f"preview {service} {client} {at is not None}")
        return self.preview

    def unread_notification_count(self, user: Any) -> int:
        return self.unread

    def notifications_for(self, user: Any, limit: int) -> list[Any]:
        return self.notes[:limit]

    def filter_at_risk(self, queryset: Any) -> Any:
        return queryset.filter(pk__in=self.at_risk)

    def filter_breached(self, queryset: Any) -> Any:
        return queryset.filter(pk__in=self.breached)

    def order_by_resolution_due(self, queryset: Any) -> Any:
        return queryset.order_by("number")


def install(monkeypatch: Any, fake: FakeSla) -> FakeSla:
    from servicedesk.web import sla_view

    monkeypatch.setattr(sla_view, "_selectors", lambda: fake)
    return fake
