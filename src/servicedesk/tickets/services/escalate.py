"""Functional and hierarchical escalation by hand: to the 3rd line, to the service manager."""

from __future__ import annotations

from enum import StrEnum

from django.db import transaction

from servicedesk.accounts.models import SupportLine, User
from servicedesk.accounts.roles import Role
from servicedesk.core.errors import ValidationFailed
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.domain.statuses import StatusCategory
from servicedesk.tickets.models import Ticket
from servicedesk.tickets.services import rules
from servicedesk.tickets.services.change import begin_change, finish_change
from servicedesk.tickets.services.workflow import apply_assignment


class EscalationTarget(StrEnum):
    L3 = "l3"
    SERVICE_MANAGER = "service_manager"


@transaction.atomic
def ticket_escalate(
    *,
    actor: User,
    number: str | int,
    to: str,
    reason: str,
    expected_version: int | None = None,
) -> Ticket:
    """Pass the ticket to the 3rd line or to the service managers' queue, with a reason.

    The 3rd line takes only services the catalogue marks for escalation; a client that
    did not buy L3 still gets the ticket moved, flagged like any unbought line.
    """
    rules.require_staff(actor, "Эскалация")
    if to not in EscalationTarget.__members__.values():
        raise ValidationFailed(f"Неизвестное направление эскалации «{to}»", field="to")
    change = begin_change(actor=actor, number=number, expected_version=expected_version)
    ticket = change.ticket
    text = rules.require_text(reason, field="reason", label="Причина", maximum=2000, required=True)
    if not StatusCategory(ticket.status_category).is_active:
        raise ValidationFailed("Обращение уже закрыто: эскалировать нечего", field="to")
    data: dict[str, object] = {"to": to, "reason": text}
    if to == EscalationTarget.L3:
        if ticket.service is None:
            raise ValidationFailed("Сначала укажите услугу обращения", field="service")
        if not ticket.service.escalation:
            raise ValidationFailed(
                f"Для услуги «{ticket.service.name}» эскалация не предусмотрена каталогом",
                field="to",
            )
        if ticket.line == SupportLine.L3:
            raise ValidationFailed("Обращение уже на 3-й линии", field="to")
        data["line"] = {"old": ticket.line, "new": SupportLine.L3.value}
        rules.apply_line(change, SupportLine.L3)
    else:
        if ticket.role_queue == Role.SERVICE_MANAGER and ticket.assignee_id is None:
            raise ValidationFailed("Обращение уже в очереди сервис-менеджера", field="to")
        apply_assignment(change, None, Role.SERVICE_MANAGER.value)
    change.record(TicketEventType.ESCALATED, data)
    return finish_change(change)
