"""Editing a ticket's fields, its service and its priority."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from servicedesk.accounts.models import User
from servicedesk.core.errors import Forbidden, ValidationFailed
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.models import Ticket
from servicedesk.tickets.services import rules
from servicedesk.tickets.services.change import TicketChange, begin_change, finish_change
from servicedesk.tickets.services.workflow import apply_assignment, apply_status, resolve_status

UNSET: Any = object()


@dataclass(frozen=True)
class TicketPatch:
    """A partial update; UNSET fields are left alone, None clears where allowed."""

    subject: Any = UNSET
    description: Any = UNSET
    outlet: Any = UNSET
    requester_id: Any = UNSET
    line: Any = UNSET
    service: Any = UNSET
    assignee: Any = UNSET
    role_queue: Any = UNSET
    status: Any = UNSET


def _apply_plain_fields(change: TicketChange, patch: TicketPatch) -> None:
    """Apply subject, description, outlet and requester; record one FIELDS_CHANGED event."""
    ticket = change.ticket
    changed: dict[str, dict[str, Any]] = {}

    def note(
        name: str, old_new: tuple[Any, Any] | None, shown: tuple[Any, Any] | None = None
    ) -> None:
        if old_new:
            old, new = shown or old_new
            changed[name] = {"old": old, "new": new}

    if patch.subject is not UNSET:
        subject = rules.require_text(
            patch.subject or "",
            field="subject",
            label="Тема",
            maximum=rules.SUBJECT_MAX,
            required=True,
        )
        note("subject", change.set("subject", subject))
    if patch.description is not UNSET:
        description = rules.require_text(
            patch.description or "",
            field="description",
            label="Описание",
            maximum=rules.TEXT_MAX,
            required=False,
        )
        note("description", change.set("description", description))
    if patch.outlet is not UNSET:
        old_code = ticket.outlet.code if ticket.outlet else None
        outlet = rules.outlet_of_client(ticket.client, patch.outlet) if patch.outlet else None
        note("outlet", change.set("outlet", outlet), (old_code, patch.outlet))
    if patch.requester_id is not UNSET:
        rules.require_staff(change.actor, "Смена заявителя")
        old_id = ticket.requester_id
        contact = (
            rules.contact_for_client(ticket.client, patch.requester_id)
            if patch.requester_id
            else None
        )
        note(
            "requester", change.set("requester", contact), (old_id, contact.pk if contact else None)
        )
    if changed:
        change.record(TicketEventType.FIELDS_CHANGED, changed)


def _apply_staff_fields(change: TicketChange, patch: TicketPatch) -> None:
    """Apply service, line and assignment, which only support staff may change."""
    staff_only = (patch.line, patch.service, patch.assignee, patch.role_queue)
    if not any(value is not UNSET for value in staff_only):
        return
    if change.actor is not None and change.actor.client_id is not None:
        raise Forbidden("Линию, услугу и исполнителя меняют сотрудники поддержки")
    if patch.service is not UNSET:
        service = rules.service_by_code(patch.service) if patch.service else None
        rules.apply_service(change, service)
        if patch.line is UNSET and service is not None:
            rules.apply_line(change, service.default_line)
    if patch.line is not UNSET:
        if not patch.line:
            raise ValidationFailed("Линия обязательна", field="line")
        rules.apply_line(change, patch.line)
    if patch.assignee is not UNSET or patch.role_queue is not UNSET:
        assignee = (
            change.ticket.assignee
            if patch.assignee is UNSET
            else (rules.staff_assignee(patch.assignee) if patch.assignee else None)
        )
        queue = None if patch.role_queue is UNSET else (patch.role_queue or "")
        apply_assignment(change, assignee, queue)


@transaction.atomic
def ticket_update(*, actor: User, number: str | int, version: int, patch: TicketPatch) -> Ticket:
    """Apply a partial edit in one transaction: one version, one event per kind of change."""
    change = begin_change(actor=actor, number=number, expected_version=version)
    _apply_plain_fields(change, patch)
    _apply_staff_fields(change, patch)
    if patch.status is not UNSET:
        apply_status(change, resolve_status(patch.status))
    return finish_change(change)


@transaction.atomic
def ticket_set_service(
    *, actor: User | None, number: str | int, service: str, expected_version: int | None = None
) -> Ticket:
    """Reclassify the ticket: new service, its SLA level and default line."""
    rules.require_staff(actor, "Смена услуги")
    change = begin_change(actor=actor, number=number, expected_version=expected_version)
    apply_service_code(change, service)
    return finish_change(change)


def apply_service_code(change: TicketChange, service: str) -> None:
    """Reclassify within a change in progress: the service, its SLA level and default line."""
    rules.require_staff(change.actor, "Смена услуги")
    new_service = rules.service_by_code(service)
    rules.apply_service(change, new_service)
    rules.apply_line(change, new_service.default_line)


@transaction.atomic
def ticket_raise_priority(
    *,
    actor: User,
    number: str | int,
    sla_level: str,
    reason: str,
    expected_version: int | None = None,
) -> Ticket:
    """Move the ticket to a faster SLA level, where its service allows it, with a reason."""
    change = begin_change(actor=actor, number=number, expected_version=expected_version)
    ticket = change.ticket
    reason_text = rules.require_text(
        reason, field="reason", label="Причина", maximum=2000, required=True
    )
    if ticket.service is None or not ticket.service.raise_priority:
        name = ticket.service.name if ticket.service else "не выбрана"
        raise ValidationFailed(
            f"Для услуги «{name}» повышение приоритета не предусмотрено каталогом",
            field="sla_level",
        )
    level = rules.level_by_code(sla_level)
    current = ticket.sla_level
    if current is not None and level.rank >= current.rank:
        raise ValidationFailed(
            f"Уровень {level.code} ({level.priority}) не быстрее текущего {current.code}",
            field="sla_level",
        )
    change.set("sla_level", level)
    change.set("priority_raised", True)
    change.record(
        TicketEventType.PRIORITY_RAISED,
        {
            "sla_level": {"old": current.code if current else None, "new": level.code},
            "reason": reason_text,
        },
    )
    return finish_change(change)
