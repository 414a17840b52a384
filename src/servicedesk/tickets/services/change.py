"""The shared mechanics of every ticket write: lock, version check, events, effects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from servicedesk.accounts.models import User
from servicedesk.core import clock
from servicedesk.core.deferred import insert_rows
from servicedesk.core.errors import StaleVersion
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.models import Comment, Ticket, TicketEvent
from servicedesk.tickets.selectors import access_ticket, system_ticket


def actor_label(actor: User | None, fallback: str = "Система") -> str:
    return str(actor) if actor is not None else fallback


@dataclass
class TicketChange:
    """One write to one ticket in progress: the fields touched and the events to record."""

    ticket: Ticket
    actor: User | None
    at: datetime
    label: str
    fields: set[str] = field(default_factory=set)
    events: list[TicketEvent] = field(default_factory=list)
    previous: dict[str, Any] = field(default_factory=dict)

    def event_data(self, event_type: TicketEventType) -> dict[str, Any]:
        """Return the data of the first event of this type recorded in this change."""
        return next((e.data for e in self.events if e.type == event_type.value), {})

    @property
    def by_staff(self) -> bool:
        return self.actor is None or self.actor.is_support_staff

    def set(self, name: str, value: Any) -> tuple[Any, Any] | None:
        """Set a field; return (old, new) when it really changed."""
        old = getattr(self.ticket, name)
        if old == value:
            return None
        self.previous.setdefault(name, old)
        setattr(self.ticket, name, value)
        self.fields.add(name)
        return old, value

    def record(
        self, event_type: TicketEventType, data: dict[str, Any], comment: Comment | None = None
    ) -> TicketEvent:
        event = TicketEvent(
            ticket=self.ticket,
            type=event_type.value,
            actor=self.actor,
            actor_label=self.label,
            created_at=self.at,
            data=data,
            comment=comment,
        )
        self.events.append(event)
        return event


def begin_change(
    *,
    actor: User | None,
    number: str | int,
    expected_version: int | None,
    system_label: str = "Система",
) -> TicketChange:
    """Lock the ticket for this transaction and refuse a stale version (409)."""
    if actor is None:
        ticket = system_ticket(number, for_update=True)
    else:
        ticket = access_ticket(actor, number, for_update=True)
    if expected_version is not None and expected_version != ticket.version:
        raise StaleVersion(
            "Обращение уже изменил кто-то другой: обновите страницу и повторите.",
            field="version",
            current_version=ticket.version,
        )
    return TicketChange(
        ticket=ticket, actor=actor, at=clock.now(), label=actor_label(actor, system_label)
    )


def finish_change(change: TicketChange) -> Ticket:
    """Save touched fields with a new version, write the events, run the effects."""
    from servicedesk.tickets.services import effects

    if not change.fields and not change.events:
        return change.ticket
    ticket = change.ticket
    effects.before_change_saved(change)
    ticket.version += 1
    ticket.updated_at = change.at
    ticket.save(update_fields=[*sorted(change.fields), "version", "updated_at"])
    insert_rows(TicketEvent, change.events)
    effects.after_change(change)
    return ticket
