"""Logging work time, the head's corrections, and decisions on time above an estimate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from servicedesk.accounts.models import SupportLine, User
from servicedesk.accounts.roles import Capability, Role
from servicedesk.core.errors import Forbidden, ValidationFailed
from servicedesk.reports.domain.periods import Month, local_date
from servicedesk.sla.notifications import notify_users
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.models import Ticket
from servicedesk.tickets.services.change import TicketChange, begin_change, finish_change
from servicedesk.worklogs.billing import (
    billing_lock,
    consultation_minutes_used,
    notify_cap_exceeded,
    post_worklog,
    target_month,
)
from servicedesk.worklogs.domain import (
    MAX_MINUTES_PER_LOG,
    ExcessState,
    WorkKind,
    cap_minutes,
    hours,
    part_above,
)
from servicedesk.worklogs.models import WorkLog
from servicedesk.worklogs.selectors import (
    approved_estimate,
    counted_work_minutes,
    is_consultation,
    may_decide_excess,
    worklog_for,
)

NOTE_MAX = 2000
UNCHANGED: Any = object()


def _require_minutes(minutes: int, *, allow_zero: bool) -> int:
    low = 0 if allow_zero else 1
    if not low <= minutes <= MAX_MINUTES_PER_LOG:
        raise ValidationFailed(
            f"Минуты: от {low} до {MAX_MINUTES_PER_LOG} (сутки) в одной записи", field="minutes"
        )
    return minutes


def _require_note(note: str) -> str:
    text = note.strip()
    if len(text) > NOTE_MAX:
        raise ValidationFailed(f"Описание работы длиннее {NOTE_MAX} символов", field="note")
    return text


def _require_work_date(ticket: Ticket, work_date: date, today: date) -> date:
    if work_date > today:
        raise ValidationFailed("Нельзя списать время на будущую дату", field="work_date")
    if work_date < local_date(ticket.created_at):
        raise ValidationFailed(
            f"Обращение зарегистрировано {local_date(ticket.created_at):%d.%m.%Y}: "
            "время до этой даты не списывается",
            field="work_date",
        )
    return work_date


def _excess_for(log: WorkLog) -> int:
    """Return the part of a billable work log above the ticket's approved estimate."""
    if log.kind != WorkKind.WORK or not log.billable:
        return 0
    estimate = approved_estimate(log.ticket)
    if estimate is None:
        return 0
    before = counted_work_minutes(log.ticket, excluding=log.pk)
    return part_above(used_before=before, minutes=log.minutes, limit_minutes=estimate.minutes)


def _over_cap_for(log: WorkLog, month: Month) -> int:
    if log.kind != WorkKind.CONSULTATION:
        return 0
    contract = getattr(log.ticket.client, "contract", None)
    cap = cap_minutes(contract.consultation_hours_cap) if contract is not None else None
    used = consultation_minutes_used(log.ticket.client_id, month, excluding=log.pk)
    return part_above(used_before=used, minutes=log.minutes, limit_minutes=cap)


def _ask_for_excess_approval(log: WorkLog, change: TicketChange) -> None:
    managers = User.objects.filter(
        groups__name=Role.SERVICE_MANAGER.value, is_active=True, client__isnull=True
    )
    ticket = log.ticket
    notify_users(
        managers,
        ticket=ticket,
        kind="worklog_excess_pending",
        title=(
            f"{ticket.display_number}: {hours(log.excess_minutes)} ч сверх оценки ждут согласования"
        ),
        body=f"Списал(а) {log.author}: {hours(log.minutes)} ч за {log.work_date:%d.%m.%Y}.",
        at=change.at,
    )


def _book(log: WorkLog, change: TicketChange, *, excess_before: int) -> Month:
    """Set excess and over-cap figures, post the log into the bill, notify once."""
    log.excess_minutes = _excess_for(log)
    if log.excess_minutes == 0:
        log.excess_state = ExcessState.NONE
    elif log.excess_minutes != excess_before or log.excess_state == ExcessState.NONE:
        log.excess_state = ExcessState.PENDING
    month = target_month(log)
    log.over_cap_minutes = _over_cap_for(log, month)
    log.save()
    month = post_worklog(log, change.at)
    if log.kind == WorkKind.CONSULTATION:
        notify_cap_exceeded(log, month, change.at)
    if log.excess_state == ExcessState.PENDING and log.excess_minutes != excess_before:
        _ask_for_excess_approval(log, change)
    return month


@dataclass(frozen=True)
class NewWorkLog:
    """What a person enters to log time on a ticket."""

    minutes: int
    work_date: date | None = None
    note: str = ""
    billable: bool | None = None  # None: billable for L3 work, not for consultations


@transaction.atomic
def worklog_add(
    *, actor: User, number: str | int, data: NewWorkLog, expected_version: int | None = None
) -> WorkLog:
    """Log the actor's time on a ticket; L3 time is billable by default."""
    if not actor.is_support_staff:
        raise Forbidden("Списывать время могут только сотрудники поддержки")
    billing_lock(exclusive=False)  # before the ticket row: see worklogs.billing
    change = begin_change(actor=actor, number=number, expected_version=expected_version)
    ticket = change.ticket
    kind = WorkKind.CONSULTATION if is_consultation(ticket) else WorkKind.WORK
    if kind == WorkKind.CONSULTATION and data.billable:
        raise ValidationFailed(
            "Консультации оплачиваются только сверх месячного лимита договора: "
            "не отмечайте их оплачиваемыми",
            field="billable",
        )
    billable = data.billable
    if billable is None:
        billable = kind == WorkKind.WORK and ticket.line == SupportLine.L3
    today = local_date(change.at)
    log = WorkLog(
        ticket=ticket,
        author=actor,
        work_date=_require_work_date(ticket, data.work_date or today, today),
        minutes=_require_minutes(data.minutes, allow_zero=False),
        billable=billable,
        kind=kind,
        line=ticket.line,
        note=_require_note(data.note),
        created_at=change.at,
        updated_at=change.at,
    )
    log.save()
    month = _book(log, change, excess_before=0)
    change.record(
        TicketEventType.WORKLOG_ADDED,
        {
            "worklog": log.pk,
            "minutes": log.minutes,
            "work_date": log.work_date.isoformat(),
            "billable": log.billable,
            "kind": log.kind,
            "month": month.code,
            "excess_minutes": log.excess_minutes,
            "over_cap_minutes": log.over_cap_minutes,
        },
    )
    finish_change(change)
    return log


@transaction.atomic
def worklog_correct(
    *,
    actor: User,
    worklog_id: int,
    reason: str,
    minutes: int = UNCHANGED,
    billable: bool = UNCHANGED,
    work_date: date = UNCHANGED,
    note: str = UNCHANGED,
) -> WorkLog:
    """Correct a log (the head only); a closed month keeps its figures, the difference
    goes to the next open month. Correct to zero minutes instead of deleting."""
    if not actor.can(Capability.CORRECT_WORKLOGS) or not actor.is_support_staff:
        raise Forbidden("Исправлять списанное время может только руководитель")
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("Укажите причину исправления", field="reason")
    if len(reason) > 300:
        raise ValidationFailed("Причина длиннее 300 символов", field="reason")
    log = worklog_for(actor, worklog_id)
    billing_lock(exclusive=False)  # before the ticket row: see worklogs.billing
    change = begin_change(actor=actor, number=log.ticket.number, expected_version=None)
    log = worklog_for(actor, worklog_id, for_update=True)
    log.ticket = change.ticket
    before = {
        "minutes": log.minutes,
        "billable": log.billable,
        "work_date": log.work_date.isoformat(),
        "note": log.note,
    }
    if minutes is not UNCHANGED:
        log.minutes = _require_minutes(minutes, allow_zero=True)
    if billable is not UNCHANGED:
        if billable and log.kind == WorkKind.CONSULTATION:
            raise ValidationFailed(
                "Консультации оплачиваются только сверх лимита договора", field="billable"
            )
        log.billable = billable
    if work_date is not UNCHANGED:
        log.work_date = _require_work_date(log.ticket, work_date, local_date(change.at))
    if note is not UNCHANGED:
        log.note = _require_note(note)
    after = {
        "minutes": log.minutes,
        "billable": log.billable,
        "work_date": log.work_date.isoformat(),
        "note": log.note,
    }
    changed = {
        name: {"old": before[name], "new": after[name]}
        for name in before
        if before[name] != after[name] and name != "note"
    }
    if not changed and before["note"] == after["note"]:
        raise ValidationFailed("Нечего исправлять: значения не изменились")
    log.updated_at = change.at
    month = _book(log, change, excess_before=log.excess_minutes)
    change.record(
        TicketEventType.WORKLOG_CORRECTED,
        {
            "worklog": log.pk,
            "changes": changed,
            "note_changed": before["note"] != after["note"],
            "reason": reason,
            "month": month.code,
            "excess_minutes": log.excess_minutes,
        },
    )
    finish_change(change)
    return log


@transaction.atomic
def worklog_excess_decide(
    *, actor: User, worklog_id: int, approve: bool, note: str = ""
) -> WorkLog:
    """Approve or reject the time a log has above the ticket's approved estimate."""
    if not may_decide_excess(actor):
        raise Forbidden("Согласовать превышение может сервис-менеджер или руководитель")
    log = worklog_for(actor, worklog_id)
    billing_lock(exclusive=False)  # before the ticket row: see worklogs.billing
    change = begin_change(actor=actor, number=log.ticket.number, expected_version=None)
    log = worklog_for(actor, worklog_id, for_update=True)
    log.ticket = change.ticket
    if log.excess_state != ExcessState.PENDING:
        raise ValidationFailed("Это списание не ждёт согласования", field="worklog")
    text = _require_note(note)
    log.excess_state = ExcessState.APPROVED if approve else ExcessState.REJECTED
    log.excess_decided_by = actor
    log.excess_decided_at = change.at
    log.updated_at = change.at
    log.save()
    month = post_worklog(log, change.at)
    change.record(
        TicketEventType.WORKLOG_EXCESS_DECIDED,
        {
            "worklog": log.pk,
            "excess_minutes": log.excess_minutes,
            "decision": log.excess_state,
            "note": text,
            "month": month.code,
        },
    )
    finish_change(change)
    return log
