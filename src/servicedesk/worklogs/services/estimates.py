"""L3 estimates: the engineer proposes hours, the client approves or declines in the portal."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction

from servicedesk.accounts.models import SupportLine, User
from servicedesk.core.errors import Forbidden, NotFound, ValidationFailed
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.services.change import begin_change, finish_change
from servicedesk.worklogs.models import Estimate, EstimateState

MAX_ESTIMATE_HOURS = Decimal("1000")


def _require_hours(value: Decimal | float | str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(
            "Оценка указывается в часах, например 6 или 1.5", field="hours"
        ) from None
    if not Decimal("0.25") <= amount <= MAX_ESTIMATE_HOURS:
        raise ValidationFailed(f"Оценка: от 0.25 до {MAX_ESTIMATE_HOURS} часов", field="hours")
    return amount


@transaction.atomic
def estimate_propose(
    *,
    actor: User,
    number: str | int,
    hours: Decimal | float | str,
    note: str = "",
    expected_version: int | None = None,
) -> Estimate:
    """Attach an estimate of L3 work for the client to approve; it replaces a pending one."""
    if not actor.is_support_staff:
        raise Forbidden("Оценку предлагает сотрудник поддержки")
    change = begin_change(actor=actor, number=number, expected_version=expected_version)
    ticket = change.ticket
    if ticket.line != SupportLine.L3:
        raise ValidationFailed(
            "Оценку трудозатрат предлагают только по обращениям 3-й линии", field="hours"
        )
    amount = _require_hours(hours)
    text = note.strip()
    if len(text) > 2000:
        raise ValidationFailed("Пояснение длиннее 2000 символов", field="note")
    ticket.estimates.filter(state=EstimateState.PROPOSED).update(state=EstimateState.SUPERSEDED)
    estimate = Estimate.objects.create(
        ticket=ticket,
        hours=amount,
        note=text,
        state=EstimateState.PROPOSED,
        proposed_by=actor,
        proposed_at=change.at,
    )
    change.record(
        TicketEventType.ESTIMATE_PROPOSED,
        {"estimate": estimate.pk, "hours": str(amount), "note": text},
    )
    finish_change(change)
    return estimate


@transaction.atomic
def estimate_decide(
    *,
    actor: User,
    number: str | int,
    estimate_id: int,
    approve: bool,
    note: str = "",
) -> Estimate:
    """Record the client's decision on a proposed estimate (client users of that client)."""
    if actor.client_id is None:
        raise Forbidden("Оценку согласует пользователь клиента в портале")
    change = begin_change(actor=actor, number=number, expected_version=None)
    ticket = change.ticket
    estimate = Estimate.objects.select_for_update().filter(pk=estimate_id, ticket=ticket).first()
    if estimate is None:
        raise NotFound(f"Оценка #{estimate_id} не найдена")
    if estimate.state != EstimateState.PROPOSED:
        raise ValidationFailed(
            f"По этой оценке уже нет решения к принятию: {estimate.get_state_display().lower()}",
            field="estimate",
        )
    text = note.strip()
    if len(text) > 2000:
        raise ValidationFailed("Комментарий длиннее 2000 символов", field="note")
    if approve:
        ticket.estimates.filter(state=EstimateState.APPROVED).update(state=EstimateState.SUPERSEDED)
    estimate.state = EstimateState.APPROVED if approve else EstimateState.DECLINED
    estimate.decided_by = actor
    estimate.decided_at = change.at
    estimate.decision_note = text
    estimate.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    change.record(
        TicketEventType.ESTIMATE_DECIDED,
        {
            "estimate": estimate.pk,
            "hours": str(estimate.hours),
            "decision": estimate.state,
            "note": text,
        },
    )
    finish_change(change)
    return estimate
