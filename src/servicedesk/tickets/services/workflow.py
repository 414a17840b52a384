"""Moving a ticket through its statuses and between people."""

from __future__ import annotations

from django.db import transaction

from servicedesk.accounts.models import User
from servicedesk.accounts.roles import Role
from servicedesk.core.errors import TransitionNotAllowed, ValidationFailed
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.domain.statuses import StatusCategory, is_reopen, transition_allowed
from servicedesk.tickets.models import Ticket, TicketStatus
from servicedesk.tickets.selectors import default_status
from servicedesk.tickets.services import rules
from servicedesk.tickets.services.change import TicketChange, begin_change, finish_change


def resolve_status(target: str) -> TicketStatus:
    """Return the status named by its code, or the default status of a category code."""
    status = TicketStatus.objects.filter(code=target).first()
    if status is not None:
        return status
    if target in StatusCategory.__members__.values():
        return default_status(target)
    raise ValidationFailed(f"Неизвестный статус «{target}»", field="status")


def mark_reaction(change: TicketChange) -> None:
    """Stop the reaction clock at the first move into work or public reply by staff."""
    if change.actor is None or not change.actor.is_support_staff:
        return
    if change.ticket.first_reaction_at is None:
        change.set("first_reaction_at", change.at)
        change.record(TicketEventType.FIRST_REACTION, {})


def apply_status(change: TicketChange, status: TicketStatus, reason: str = "") -> None:
    ticket = change.ticket
    current = StatusCategory(ticket.status_category)
    target = status.status_category
    if ticket.status_id == status.pk:
        return
    if not transition_allowed(current, target, by_staff=change.by_staff):
        raise TransitionNotAllowed(
            f"Нельзя перевести обращение из «{ticket.status.name}» в «{status.name}»",
            field="status",
            allowed=sorted(_allowed_targets(current, by_staff=change.by_staff)),
        )
    old_status = ticket.status
    change.set("status", status)
    change.set("status_category", status.category)
    if target == StatusCategory.RESOLVED:
        change.set("resolved_at", change.at)
    elif target == StatusCategory.CLOSED:
        change.set("closed_at", change.at)
    elif is_reopen(current, target):
        change.set("resolved_at", None)
    data: dict[str, object] = {
        "status": {"old": old_status.code, "new": status.code},
        "category": {"old": current.value, "new": target.value},
    }
    if reason:
        data["reason"] = reason
    change.record(
        TicketEventType.REOPENED if is_reopen(current, target) else TicketEventType.STATUS_CHANGED,
        data,
    )
    if current == StatusCategory.NEW:
        mark_reaction(change)  # resolving or cancelling a new request is handling it too


def _allowed_targets(current: StatusCategory, *, by_staff: bool) -> set[str]:
    return {c.value for c in StatusCategory if transition_allowed(current, c, by_staff=by_staff)}


def allowed_statuses(ticket: Ticket, actor: User) -> list[TicketStatus]:
    """Return the statuses the actor may move this ticket to (for menus and the API)."""
    current = StatusCategory(ticket.status_category)
    by_staff = actor.is_support_staff
    return [
        status
        for status in TicketStatus.objects.all()
        if status.pk != ticket.status_id
        and transition_allowed(current, status.status_category, by_staff=by_staff)
    ]


@transaction.atomic
def ticket_transition(
    *,
    actor: User | None,
    number: str | int,
    status: str,
    reason: str = "",
    expected_version: int | None = None,
    system_label: str = "Система",
) -> Ticket:
    """Move the ticket to `status` (a status code or a category code) if the rules allow."""
    change = begin_change(
        actor=actor, number=number, expected_version=expected_version, system_label=system_label
    )
    apply_status(change, resolve_status(status), reason=reason.strip())
    return finish_change(change)


def apply_assignment(change: TicketChange, assignee: User | None, role_queue: str | None) -> None:
    rules.require_staff(change.actor, "Назначение исполнителя")
    ticket = change.ticket
    old_assignee = ticket.assignee
    old_queue = ticket.role_queue
    if role_queue is not None and role_queue and role_queue not in Role.__members__.values():
        raise ValidationFailed(f"Неизвестная роль «{role_queue}»", field="role_queue")
    moved = change.set("assignee", assignee)
    if role_queue is not None:
        moved = change.set("role_queue", role_queue) or moved
    if moved:
        change.record(
            TicketEventType.ASSIGNED,
            {
                "assignee": {
                    "old": old_assignee.username if old_assignee else None,
                    "new": assignee.username if assignee else None,
                },
                "role_queue": {"old": old_queue, "new": ticket.role_queue},
            },
        )


@transaction.atomic
def ticket_assign(
    *,
    actor: User | None,
    number: str | int,
    assignee: str | None,
    role_queue: str | None = None,
    expected_version: int | None = None,
) -> Ticket:
    """Give the ticket to a staff member (None unassigns) and/or put it in a role's queue."""
    change = begin_change(actor=actor, number=number, expected_version=expected_version)
    apply_assignment(change, rules.staff_assignee(assignee) if assignee else None, role_queue)
    return finish_change(change)


@transaction.atomic
def ticket_take(*, actor: User, number: str | int, expected_version: int | None = None) -> Ticket:
    """Assign the ticket to the actor and take a new one into work."""
    change = begin_change(actor=actor, number=number, expected_version=expected_version)
    apply_assignment(change, actor, None)
    if change.ticket.status_category == StatusCategory.NEW:
        apply_status(change, default_status(StatusCategory.OPEN))
    return finish_change(change)
