"""Reads of work time: a ticket's logs and totals, estimates, consultation usage, approvals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from servicedesk.accounts.models import Client, User
from servicedesk.accounts.roles import Capability, Role
from servicedesk.core.errors import Forbidden, NotFound
from servicedesk.reports.domain.periods import Month
from servicedesk.tickets.models import Ticket
from servicedesk.tickets.selectors import access_ticket
from servicedesk.worklogs.billing import closed_months, consultation_minutes_used
from servicedesk.worklogs.domain import (
    ExcessState,
    WorkKind,
    cap_minutes,
    counted_minutes,
    hours,
)
from servicedesk.worklogs.models import Estimate, EstimateState, WorkLog, WorkLogPosting

CONSULTATION_SERVICE = "consultation"


def is_consultation(ticket: Ticket) -> bool:
    return ticket.service is not None and ticket.service.code == CONSULTATION_SERVICE


def may_decide_excess(user: User) -> bool:
    """Return whether `user` approves time above an estimate (service manager or head)."""
    return user.is_support_staff and (
        Role.SERVICE_MANAGER in user.roles or user.can(Capability.CORRECT_WORKLOGS)
    )


def ticket_worklogs(ticket: Ticket) -> QuerySet[WorkLog]:
    return ticket.worklogs.select_related("author", "excess_decided_by").order_by("work_date", "pk")


def approved_estimate(ticket: Ticket) -> Estimate | None:
    """Return the estimate in force: the latest one the client approved."""
    return (
        ticket.estimates.filter(state=EstimateState.APPROVED).order_by("-decided_at", "-pk").first()
    )


def pending_estimate(ticket: Ticket) -> Estimate | None:
    return ticket.estimates.filter(state=EstimateState.PROPOSED).order_by("-pk").first()


def counted_work_minutes(ticket: Ticket, *, excluding: int | None = None) -> int:
    """Return the billable work minutes of a ticket that count against its estimate."""
    logs = ticket.worklogs.filter(kind=WorkKind.WORK, billable=True)
    if excluding is not None:
        logs = logs.exclude(pk=excluding)
    return sum(
        counted_minutes(log.minutes, log.excess_minutes, ExcessState(log.excess_state))
        for log in logs.only("minutes", "excess_minutes", "excess_state")
    )


@dataclass(frozen=True)
class WorkSummary:
    """What the ticket page shows above its work log."""

    total_minutes: int
    billable_minutes: int
    pending_excess_minutes: int
    estimate: Estimate | None
    proposed: Estimate | None

    @property
    def total_hours(self) -> Decimal:
        return hours(self.total_minutes)

    @property
    def billable_hours(self) -> Decimal:
        return hours(self.billable_minutes)

    @property
    def estimate_used_percent(self) -> int | None:
        if self.estimate is None or not self.estimate.minutes:
            return None
        return round(100 * self.billable_minutes / self.estimate.minutes)


def work_summary(ticket: Ticket, logs: list[WorkLog]) -> WorkSummary:
    billable = sum(
        counted_minutes(log.minutes, log.excess_minutes, ExcessState(log.excess_state))
        for log in logs
        if log.billable and log.kind == WorkKind.WORK
    )
    pending = sum(log.excess_minutes for log in logs if log.excess_state == ExcessState.PENDING)
    return WorkSummary(
        total_minutes=sum(log.minutes for log in logs),
        billable_minutes=billable,
        pending_excess_minutes=pending,
        estimate=approved_estimate(ticket),
        proposed=pending_estimate(ticket),
    )


def worklog_for(actor: User, worklog_id: int, *, for_update: bool = False) -> WorkLog:
    """Return a log whose ticket the actor may see, or NotFound."""
    rows = WorkLog.objects.select_related("ticket", "ticket__client", "author")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    log = rows.filter(pk=worklog_id).first()
    if log is None:
        raise NotFound(f"Списание времени #{worklog_id} не найдено")
    access_ticket(actor, log.ticket.number)
    return log


def pending_excess(actor: User) -> QuerySet[WorkLog]:
    """Return the logs whose time above the estimate waits for a decision."""
    if not may_decide_excess(actor):
        raise Forbidden("Согласование превышений доступно сервис-менеджеру и руководителю")
    return (
        WorkLog.objects.filter(excess_state=ExcessState.PENDING)
        .select_related("ticket", "ticket__client", "author")
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class ConsultationUsage:
    """A client's consultation hours in a month against the contract's cap."""

    client: Client
    month: Month
    used_minutes: int
    cap_minutes: int | None
    closed: bool

    @property
    def used_hours(self) -> Decimal:
        return hours(self.used_minutes)

    @property
    def cap_hours(self) -> Decimal | None:
        return hours(self.cap_minutes) if self.cap_minutes is not None else None

    @property
    def over_minutes(self) -> int:
        if self.cap_minutes is None:
            return 0
        return max(0, self.used_minutes - self.cap_minutes)

    @property
    def over_hours(self) -> Decimal:
        return hours(self.over_minutes)

    @property
    def remaining_minutes(self) -> int | None:
        if self.cap_minutes is None:
            return None
        return max(0, self.cap_minutes - self.used_minutes)

    @property
    def percent(self) -> int | None:
        if not self.cap_minutes:
            return None
        return round(100 * self.used_minutes / self.cap_minutes)


def client_for(actor: User, code: str) -> Client:
    """Return a client the actor may look at (staff: any; a client user: their own)."""
    client = Client.objects.select_related("contract").filter(code=code).first()
    if client is None or (actor.client_id is not None and actor.client_id != client.pk):
        raise NotFound(f"Клиент «{code}» не найден")
    if actor.client_id is None and not actor.is_support_staff:
        raise Forbidden("Нет доступа")
    return client


def consultation_usage(client: Client, month: Month) -> ConsultationUsage:
    """Return consultation hours billed to `month` (logs booked there) and the cap."""
    contract = getattr(client, "contract", None)
    return ConsultationUsage(
        client=client,
        month=month,
        used_minutes=consultation_minutes_used(client.pk, month),
        cap_minutes=cap_minutes(contract.consultation_hours_cap) if contract else None,
        closed=month in closed_months(),
    )


def current_month(today: date) -> Month:
    return Month.of(today)


def posting_rows(log: WorkLog) -> QuerySet[WorkLogPosting]:
    return log.postings.order_by("month", "pk")
