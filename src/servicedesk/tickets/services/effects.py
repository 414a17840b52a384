"""What the rest of the desk does after a ticket changes, inside the same transaction.

Each capability that reacts to ticket changes (SLA clocks, routing, notifications) is
called from here explicitly, so the order is visible in one place. Side effects that
leave the process (mail, push) must go through `transaction.on_commit`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from servicedesk.channels.email.hooks import email_after_change, email_after_create
from servicedesk.routing.services import (
    route,
    routing_after_change,
    routing_after_create,
    routing_before_save,
)
from servicedesk.sla.selectors import due_times
from servicedesk.sla.services import sla_follow_change, sla_start_clocks
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.services.classify import learn_from_person

if TYPE_CHECKING:
    from servicedesk.tickets.services.change import TicketChange


def before_create(change: TicketChange, *, line_given: bool, assign: bool) -> None:
    """Complete a new ticket before its first save: the routing rules and assignment."""
    route(change, line_given=line_given, assign=assign)


def before_change_saved(change: TicketChange) -> None:
    """Complete a change before it is saved: re-route a ticket that just got its service."""
    routing_before_save(change)


def after_create(change: TicketChange) -> None:
    """React to a new ticket (its CREATED event is already saved)."""
    routing_after_create(change)
    clocks = sla_start_clocks(
        ticket=change.ticket, at=change.at, actor=change.actor, label=change.label
    )
    email_after_create(change, due_times(clocks))


def after_change(change: TicketChange) -> None:
    """React to a saved change of an existing ticket."""
    staff_actor = change.actor is not None and change.actor.is_support_staff
    sla_follow_change(
        ticket=change.ticket,
        at=change.at,
        actor=change.actor,
        label=change.label,
        old_category=change.previous.get("status_category"),
        reacted="first_reaction_at" in change.fields,
        touched_by_staff=staff_actor,
        level_changed="sla_level" in change.fields,
        line_changed="line" in change.fields,
        reason=str(change.event_data(TicketEventType.PRIORITY_RAISED).get("reason", "")),
    )
    from servicedesk.problems.services.effects import on_ticket_change

    on_ticket_change(change)  # mass-incident cascade, reopened children, development hand-offs
    routing_after_change(change)
    learn_from_person(change)  # a person's choice of service trains the next classifier
    email_after_change(change)
