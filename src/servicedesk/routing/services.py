"""Routing a ticket: read the rules, pick the role queue and the person, explain why.

Called by the ticket services inside their transaction, before the ticket is saved, so
the routing result is part of the same write and the same history.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction

from servicedesk.accounts.models import User
from servicedesk.calendars.domain.business_time import is_working_time
from servicedesk.calendars.selectors import business_calendar
from servicedesk.catalog.models import SlaLevel
from servicedesk.core.errors import NotFound
from servicedesk.routing import selectors
from servicedesk.routing.domain.assignment import choose_assignee
from servicedesk.routing.domain.rules import Decision, Request, evaluate
from servicedesk.routing.models import AwaitingShift
from servicedesk.tickets.domain.events import TicketEventType

if TYPE_CHECKING:
    from servicedesk.tickets.models import Ticket
    from servicedesk.tickets.services.change import TicketChange

logger = logging.getLogger(__name__)

# How the person was found, kept in the ROUTED event for the timeline's explanation.
BY_RULE = "rule"
LEAST_LOADED = "least_loaded"
NOBODY_ON_SHIFT = "nobody_on_shift"
NO_ROLE = "no_role"
SHIFT_STARTED = "shift_started"
QUEUE_ONLY = "queue_only"  # automatic assignment is switched off on this desk


@dataclass(frozen=True)
class Placement:
    """Where routing put a ticket and why."""

    role: str
    assignee: User | None
    how: str
    load: float | None = None
    on_shift: int = 0


def request_facts(ticket: Ticket, at: datetime) -> Request:
    """Describe `ticket` for the rules (working time by the client's SLA calendar)."""
    calendar = business_calendar(_client_calendar_code(ticket))
    return Request(
        service=ticket.service.code if ticket.service_id and ticket.service else None,
        client=ticket.client.code,
        outlet=ticket.outlet.code if ticket.outlet_id and ticket.outlet else None,
        channel=ticket.channel,
        line=ticket.line,
        text=f"{ticket.subject}\n{ticket.description}",
        in_working_time=is_working_time(calendar, at),
        local_hour=at.astimezone(selectors.team_zone()).hour,
    )


def _client_calendar_code(ticket: Ticket) -> str:
    from servicedesk.sla.selectors import client_calendar, sla_settings

    return client_calendar(ticket.client, sla_settings()).code


def place(role: str, named: str, at: datetime) -> Placement:
    """Choose the person: a named one on shift, else the least-loaded on shift in the role."""
    if named:
        person = User.objects.filter(username=named, is_active=True, client__isnull=True).first()
        if person is not None and (not role or selectors.on_shift(person, at)):
            return Placement(role=role, assignee=person, how=BY_RULE)
    if not role:
        return Placement(role="", assignee=None, how=NO_ROLE)
    members = selectors.role_members(role)
    candidates = selectors.candidates(members, at)
    chosen = choose_assignee(candidates)
    if chosen is None:
        return Placement(role=role, assignee=None, how=NOBODY_ON_SHIFT, on_shift=0)
    person = next(member for member in members if member.username == chosen.username)
    on_shift = sum(1 for c in candidates if c.on_shift)
    return Placement(
        role=role, assignee=person, how=LEAST_LOADED, load=chosen.load, on_shift=on_shift
    )


def route(
    change: TicketChange, *, line_given: bool, assign: bool, decision: Decision | None = None
) -> Decision:
    """Apply the rules to the ticket of `change` and record a ROUTED event explaining it.

    `line_given`: the creator chose the line, rules must not change it. `assign`: the
    ticket has no assignee or queue chosen by a person, so routing places it. `decision`:
    the rules' answer when the caller already read them for this change.
    """
    from servicedesk.tickets.services import rules as ticket_rules

    ticket = change.ticket
    if decision is None:
        decision = evaluate(selectors.active_rules(), request_facts(ticket, change.at))
    if decision.line and not line_given:
        ticket_rules.apply_line(change, decision.line)
    if decision.sla_level:
        level = SlaLevel.objects.filter(code=decision.sla_level).first()
        if level is not None:
            change.set("sla_level", level)
    placement = None
    if assign and not settings.ROUTING_AUTO_ASSIGN:
        placement = Placement(role=decision.role, assignee=None, how=QUEUE_ONLY)
        change.set("role_queue", decision.role)
    elif assign:
        placement = place(decision.role, decision.assignee, change.at)
        change.set("role_queue", placement.role)
        change.set("assignee", placement.assignee)
        if ticket.pk is not None:
            selectors.remembered_loads.forget()  # moved from someone: read loads again
        elif placement.assignee is not None:
            selectors.remember_placed(placement.assignee.pk, ticket)
    if decision.matches or placement is not None:
        change.record(TicketEventType.ROUTED, _explanation(decision, placement))
    return decision


def _explanation(decision: Decision, placement: Placement | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rules": [
            {"id": m.key, "name": m.name, "decided": m.decided, "stop": m.stopped}
            for m in decision.matches
        ],
    }
    if placement is not None:
        data.update(
            role=placement.role,
            assignee=placement.assignee.username if placement.assignee else None,
            how=placement.how,
            load=placement.load,
            on_shift=placement.on_shift,
        )
    return data


def routing_after_create(change: TicketChange) -> None:
    """Remember a ticket queued while its role was off shift, to assign it at shift start."""
    data = change.event_data(TicketEventType.ROUTED)
    if data.get("how") == NOBODY_ON_SHIFT and change.ticket.assignee_id is None:
        AwaitingShift.objects.create(ticket=change.ticket, role=data["role"], queued_at=change.at)


def routing_before_save(change: TicketChange) -> None:
    """Route again a ticket that just got its first service (L1 classified it by hand).

    The triage assignment to the first line does not stick: the ticket moves to the
    role of its service. A correction of a service already set is not re-routed, and
    neither is a change that also chose the assignee or queue itself.
    """
    ticket = change.ticket
    if "service" not in change.fields or ticket.service_id is None:
        return
    if change.previous.get("service") is not None or {"assignee", "role_queue"} & change.fields:
        return
    decision = evaluate(selectors.active_rules(), request_facts(ticket, change.at))
    if ticket.assignee_id is not None and decision.role == ticket.role_queue:
        return  # already with the right role
    route(change, line_given=False, assign=True, decision=decision)


def routing_after_change(change: TicketChange) -> None:
    data = change.event_data(TicketEventType.ROUTED)
    if not data and not {"assignee", "status", "status_category"} & change.fields:
        # Who holds the ticket and whether it is worked on did not change, so neither did
        # its place in the off-shift queue (a comment, a field edit).
        return
    ticket = change.ticket
    if ticket.assignee_id is not None or ticket.status_category not in selectors.WORKING_CATEGORIES:
        AwaitingShift.objects.filter(ticket=ticket).delete()
    elif data.get("how") == NOBODY_ON_SHIFT:
        AwaitingShift.objects.update_or_create(
            ticket=ticket, defaults={"role": data["role"], "queued_at": change.at}
        )


def routing_assign_waiting(*, limit: int = 500) -> int:
    """Assign tickets queued off shift, oldest first, to the people now on shift.

    Runs every few minutes; at the start of the working day it hands the night's queue
    out one by one, each to whoever is least loaded after the previous assignment.
    """
    assigned = 0
    waiting = list(
        AwaitingShift.objects.order_by("queued_at").values_list("ticket_id", "role")[:limit]
    )
    for ticket_id, role in waiting:
        try:
            if _assign_one_waiting(ticket_id, role):
                assigned += 1
        except NotFound:
            # The ticket could not be locked this time (seen once under a parallel
            # load test); it stays waiting and the next run tries again, and one such
            # ticket never stops the others from being handed out.
            logger.warning("ticket id %s waiting for a shift could not be locked", ticket_id)
    return assigned


@transaction.atomic
def _assign_one_waiting(ticket_id: int, role: str) -> bool:
    from servicedesk.tickets.models import Ticket
    from servicedesk.tickets.services.change import begin_change, finish_change

    number = Ticket.objects.filter(pk=ticket_id).values_list("number", flat=True).first()
    if number is None:
        return False
    change = begin_change(actor=None, number=number, expected_version=None)
    ticket = change.ticket
    if ticket.assignee_id is not None or ticket.status_category not in selectors.WORKING_CATEGORIES:
        AwaitingShift.objects.filter(ticket_id=ticket_id).delete()
        return False
    placement = place(role, "", change.at)
    if placement.assignee is None:
        return False
    change.set("assignee", placement.assignee)
    change.set("role_queue", role)
    change.record(
        TicketEventType.ROUTED,
        {
            "rules": [],
            "role": role,
            "assignee": placement.assignee.username,
            "how": SHIFT_STARTED,
            "load": placement.load,
            "on_shift": placement.on_shift,
        },
    )
    finish_change(change)  # its after-change effect drops the waiting row
    return True
