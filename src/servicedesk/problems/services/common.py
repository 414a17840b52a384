"""Helpers shared by the problem services: permissions and ticket history entries."""

from __future__ import annotations

from typing import Any

from servicedesk.accounts.models import User
from servicedesk.accounts.roles import Capability
from servicedesk.core.errors import Forbidden
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.models import Ticket
from servicedesk.tickets.services.change import begin_change, finish_change


def require_capability(actor: User | None, capability: Capability, what: str) -> None:
    """Refuse (403) unless the actor's roles allow `capability`; None is the system."""
    if actor is not None and not (actor.is_support_staff and actor.can(capability)):
        raise Forbidden(f"{what}: недостаточно прав")


def require_staff(actor: User, what: str) -> None:
    if not actor.is_support_staff:
        raise Forbidden(f"{what}: доступно только сотрудникам поддержки")


def record_ticket_event(
    *,
    actor: User | None,
    number: str | int,
    event_type: TicketEventType,
    data: dict[str, Any],
    system_label: str = "Система",
) -> Ticket:
    """Write one history event on a ticket through the ticket write path (new version)."""
    change = begin_change(
        actor=actor, number=number, expected_version=None, system_label=system_label
    )
    change.record(event_type, data)
    return finish_change(change)
