"""Facts about a ticket that do not change it (e.g. which knowledge article was used)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from servicedesk.accounts.models import User
from servicedesk.core import clock
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.models import TicketEvent
from servicedesk.tickets.selectors import access_ticket
from servicedesk.tickets.services import rules
from servicedesk.tickets.services.change import actor_label

# Event types that annotate the timeline without changing any field of the ticket.
NOTE_EVENT_TYPES = frozenset({TicketEventType.KNOWLEDGE_USED})


@transaction.atomic
def ticket_note_event(
    *, actor: User, number: str | int, event_type: TicketEventType, data: dict[str, Any]
) -> TicketEvent:
    """Record a fact in the ticket's history without a new version.

    The ticket's fields stay as they are, so an agent who is composing a reply against
    the version they read is not forced to reload (no 409) just because they looked
    something up. Only staff annotate, and only with the note event types.
    """
    if event_type not in NOTE_EVENT_TYPES:
        raise ValueError(f"{event_type} changes the ticket: use a ticket service")
    rules.require_staff(actor, "Отметка в истории обращения")
    ticket = access_ticket(actor, number)
    return TicketEvent.objects.create(
        ticket=ticket,
        type=event_type.value,
        actor=actor,
        actor_label=actor_label(actor),
        created_at=clock.now(),
        data=data,
    )
