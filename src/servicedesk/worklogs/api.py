"""Work-time endpoints: logs, corrections, estimates, excess approvals, consultation hours."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from servicedesk.accounts.models import User
from servicedesk.api.auth import current_user
from servicedesk.api.schemas import ERRORS, StrictIn
from servicedesk.core import clock
from servicedesk.core.errors import ValidationFailed
from servicedesk.reports.domain.periods import Month, PeriodError, local_date
from servicedesk.tickets.selectors import access_ticket
from servicedesk.worklogs import selectors, services
from servicedesk.worklogs.domain import hours
from servicedesk.worklogs.models import Estimate, WorkLog

router = Router(tags=["Трудозатраты"])


class WorkLogIn(StrictIn):
    minutes: int = Field(..., ge=1, le=1440, description="Минуты, не больше суток")
    work_date: date | None = Field(None, description="Дата работы; по умолчанию сегодня (МСК)")
    note: str = Field("", max_length=2000)
    billable: bool | None = Field(
        None, description="По умолчанию: да для 3-й линии, нет для прочих; консультации — нет"
    )
    version: int | None = Field(None, description="Версия обращения (409, если устарела)")


class WorkLogPatchIn(StrictIn):
    reason: str = Field(..., min_length=1, max_length=300, description="Причина исправления")
    minutes: int | None = Field(None, ge=0, le=1440, description="0 — снять время целиком")
    billable: bool | None = None
    work_date: date | None = None
    note: str | None = Field(None, max_length=2000)


class DecisionIn(StrictIn):
    approve: bool
    note: str = Field("", max_length=2000)


class EstimateIn(StrictIn):
    hours: Decimal = Field(..., gt=0, le=1000, decimal_places=2)
    note: str = Field("", max_length=2000)
    version: int | None = None


class WorkLogOut(Schema):
    id: int
    ticket: str
    author: str
    work_date: date
    minutes: int
    hours: Decimal
    billable: bool
    kind: str
    line: str
    note: str | None
    excess_minutes: int
    excess_state: str
    over_cap_minutes: int
    created_at: datetime
    updated_at: datetime


class WorkSummaryOut(Schema):
    total_minutes: int
    billable_minutes: int
    pending_excess_minutes: int
    estimate_hours: Decimal | None
    proposed_estimate_hours: Decimal | None


class WorkLogListOut(Schema):
    summary: WorkSummaryOut
    results: list[WorkLogOut]


class EstimateOut(Schema):
    id: int
    ticket: str
    hours: Decimal
    note: str
    state: str
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str


class ConsultationOut(Schema):
    client: str
    month: str
    used_minutes: int
    used_hours: Decimal
    cap_hours: Decimal | None
    over_cap_hours: Decimal
    remaining_minutes: int | None
    month_closed: bool


def worklog_out(log: WorkLog, viewer: User) -> dict[str, Any]:
    """Present a log; client users do not see the staff's internal note."""
    return {
        "id": log.pk,
        "ticket": log.ticket.display_number,
        "author": str(log.author),
        "work_date": log.work_date,
        "minutes": log.minutes,
        "hours": hours(log.minutes),
        "billable": log.billable,
        "kind": log.kind,
        "line": log.line,
        "note": log.note if viewer.is_support_staff else None,
        "excess_minutes": log.excess_minutes,
        "excess_state": log.excess_state,
        "over_cap_minutes": log.over_cap_minutes,
        "created_at": log.created_at,
        "updated_at": log.updated_at,
    }


def estimate_out(estimate: Estimate) -> dict[str, Any]:
    return {
        "id": estimate.pk,
        "ticket": estimate.ticket.display_number,
        "hours": estimate.hours,
        "note": estimate.note,
        "state": estimate.state,
        "proposed_by": str(estimate.proposed_by),
        "proposed_at": estimate.proposed_at,
        "decided_by": str(estimate.decided_by) if estimate.decided_by else None,
        "decided_at": estimate.decided_at,
        "decision_note": estimate.decision_note,
    }


@router.get(
    "/tickets/{number}/worklogs", response={200: WorkLogListOut, **ERRORS}, summary="Трудозатраты"
)
def list_worklogs(request: HttpRequest, number: str) -> Any:
    actor = current_user(request)
    ticket = access_ticket(actor, number)
    logs = list(selectors.ticket_worklogs(ticket))
    summary = selectors.work_summary(ticket, logs)
    return {
        "summary": {
            "total_minutes": summary.total_minutes,
            "billable_minutes": summary.billable_minutes,
            "pending_excess_minutes": summary.pending_excess_minutes,
            "estimate_hours": summary.estimate.hours if summary.estimate else None,
            "proposed_estimate_hours": summary.proposed.hours if summary.proposed else None,
        },
        "results": [worklog_out(log, actor) for log in logs],
    }


@router.post(
    "/tickets/{number}/worklogs", response={201: WorkLogOut, **ERRORS}, summary="Списать время"
)
def add_worklog(request: HttpRequest, number: str, payload: WorkLogIn) -> Any:
    actor = current_user(request)
    log = services.worklog_add(
        actor=actor,
        number=number,
        data=services.NewWorkLog(
            minutes=payload.minutes,
            work_date=payload.work_date,
            note=payload.note,
            billable=payload.billable,
        ),
        expected_version=payload.version,
    )
    return Status(201, worklog_out(log, actor))


# Declared before PATCH /worklogs/{worklog_id}: the URL patterns are matched in order.
@router.get(
    "/worklogs/pending-approvals",
    response={200: list[WorkLogOut], **ERRORS},
    summary="Ждут согласования сверх оценки",
)
def pending_approvals(request: HttpRequest) -> Any:
    actor = current_user(request)
    return [worklog_out(log, actor) for log in selectors.pending_excess(actor)]


@router.patch(
    "/worklogs/{worklog_id}",
    response={200: WorkLogOut, **ERRORS},
    summary="Исправить списание (руководитель)",
)
def correct_worklog(request: HttpRequest, worklog_id: int, payload: WorkLogPatchIn) -> Any:
    actor = current_user(request)
    changes = payload.model_dump(exclude_unset=True, exclude={"reason"})
    for name in ("minutes", "billable", "work_date", "note"):
        if name in changes and changes[name] is None:
            raise ValidationFailed("Значение не может быть пустым", field=name)
    log = services.worklog_correct(
        actor=actor, worklog_id=worklog_id, reason=payload.reason, **changes
    )
    return worklog_out(log, actor)


@router.post(
    "/worklogs/{worklog_id}/excess-decision",
    response={200: WorkLogOut, **ERRORS},
    summary="Согласовать или отклонить время сверх оценки",
)
def decide_excess(request: HttpRequest, worklog_id: int, payload: DecisionIn) -> Any:
    actor = current_user(request)
    log = services.worklog_excess_decide(
        actor=actor, worklog_id=worklog_id, approve=payload.approve, note=payload.note
    )
    return worklog_out(log, actor)


@router.get(
    "/tickets/{number}/estimates", response={200: list[EstimateOut], **ERRORS}, summary="Оценки"
)
def list_estimates(request: HttpRequest, number: str) -> Any:
    ticket = access_ticket(current_user(request), number)
    rows = ticket.estimates.select_related("ticket", "proposed_by", "decided_by")
    return [estimate_out(estimate) for estimate in rows]


@router.post(
    "/tickets/{number}/estimates",
    response={201: EstimateOut, **ERRORS},
    summary="Предложить оценку (3-я линия)",
)
def propose_estimate(request: HttpRequest, number: str, payload: EstimateIn) -> Any:
    estimate = services.estimate_propose(
        actor=current_user(request),
        number=number,
        hours=payload.hours,
        note=payload.note,
        expected_version=payload.version,
    )
    return Status(201, estimate_out(estimate))


@router.post(
    "/tickets/{number}/estimates/{estimate_id}/decision",
    response={200: EstimateOut, **ERRORS},
    summary="Согласовать или отклонить оценку (клиент)",
)
def decide_estimate(
    request: HttpRequest, number: str, estimate_id: int, payload: DecisionIn
) -> Any:
    estimate = services.estimate_decide(
        actor=current_user(request),
        number=number,
        estimate_id=estimate_id,
        approve=payload.approve,
        note=payload.note,
    )
    return estimate_out(estimate)


class MonthQuery(Schema):
    month: str | None = Field(None, description="ГГГГ-ММ; по умолчанию текущий месяц (МСК)")


@router.get(
    "/clients/{code}/consultation-hours",
    response={200: ConsultationOut, **ERRORS},
    summary="Часы консультаций за месяц и лимит",
)
def consultation_hours(request: HttpRequest, code: str, query: Query[MonthQuery]) -> Any:
    client = selectors.client_for(current_user(request), code)
    try:
        month = Month.parse(query.month) if query.month else Month.of(local_date(clock.now()))
    except PeriodError as error:
        raise ValidationFailed(str(error), field="month") from None
    usage = selectors.consultation_usage(client, month)
    return {
        "client": client.code,
        "month": month.code,
        "used_minutes": usage.used_minutes,
        "used_hours": usage.used_hours,
        "cap_hours": usage.cap_hours,
        "over_cap_hours": usage.over_hours,
        "remaining_minutes": usage.remaining_minutes,
        "month_closed": usage.closed,
    }
