"""Booking work logs into the monthly bill (postings), the billing lock, the cap notice."""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.db.models import Sum

from servicedesk.accounts.models import User
from servicedesk.accounts.roles import Role
from servicedesk.reports.domain.periods import Month
from servicedesk.sla.notifications import notify_users
from servicedesk.worklogs.domain import (
    BillingFigures,
    ExcessState,
    WorkKind,
    billing_figures,
    booking_month,
    cap_minutes,
    hours,
)
from servicedesk.worklogs.models import ConsultationCapNotice, WorkLog, WorkLogPosting

# One advisory lock guards "which months are closed" against postings in flight: a month
# close takes it exclusively, every posting shares it (PostgreSQL; SQLite serialises writes).
# Lock order: this lock first, then the ticket row. The close's snapshot lines reference
# tickets, so its foreign-key checks at commit need the ticket rows; a poster holding a
# ticket row while waiting here would deadlock with it.
BILLING_LOCK_KEY = 7_204_211


def billing_lock(*, exclusive: bool) -> None:
    """Hold the billing lock until the end of the current transaction."""
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [BILLING_LOCK_KEY])


def closed_months() -> set[Month]:
    from servicedesk.reports.models import ClosedMonth

    return {
        Month.from_first_day(day) for day in ClosedMonth.objects.values_list("month", flat=True)
    }


def log_figures(log: WorkLog) -> BillingFigures:
    return billing_figures(
        kind=WorkKind(log.kind),
        billable=log.billable,
        minutes=log.minutes,
        excess_minutes=log.excess_minutes,
        excess_state=ExcessState(log.excess_state),
    )


def _posted(postings: list[WorkLogPosting]) -> BillingFigures:
    total = BillingFigures()
    for posting in postings:
        total += BillingFigures(posting.billable_minutes, posting.consultation_minutes)
    return total


def target_month(log: WorkLog) -> Month:
    """Return the open month a change of this log is billed in now."""
    return booking_month(log.work_date, closed_months())


def post_worklog(log: WorkLog, at: datetime) -> Month:
    """Make the log's postings match its figures; return the month the change lands in.

    Postings in closed months stay as they are; the open-month posting is replaced by the
    difference between what the log should bill and what closed months already billed.
    """
    billing_lock(exclusive=False)
    closed = closed_months()
    postings = list(WorkLogPosting.objects.filter(worklog=log))
    frozen = [p for p in postings if Month.from_first_day(p.month) in closed]
    movable = [p.pk for p in postings if Month.from_first_day(p.month) not in closed]
    month = booking_month(log.work_date, closed)
    wanted = log_figures(log) - _posted(frozen)
    if movable:
        WorkLogPosting.objects.filter(pk__in=movable).delete()
    if not wanted.is_zero:
        WorkLogPosting.objects.create(
            worklog=log,
            ticket_id=log.ticket_id,
            client_id=log.ticket.client_id,
            month=month.first_day,
            kind=log.kind,
            line=log.line,
            billable_minutes=wanted.billable_minutes,
            consultation_minutes=wanted.consultation_minutes,
            created_at=at,
        )
    return month


def consultation_minutes_used(client_id: int, month: Month, *, excluding: int | None = None) -> int:
    """Return the consultation minutes billed to `month` (optionally without one log)."""
    rows = WorkLogPosting.objects.filter(client_id=client_id, month=month.first_day)
    if excluding is not None:
        rows = rows.exclude(worklog_id=excluding)
    return int(rows.aggregate(total=Sum("consultation_minutes"))["total"] or 0)


def notify_cap_exceeded(log: WorkLog, month: Month, at: datetime) -> bool:
    """Tell the service managers, once per client and month, that the cap is exceeded."""
    contract = getattr(log.ticket.client, "contract", None)
    cap = cap_minutes(contract.consultation_hours_cap) if contract is not None else None
    if cap is None:
        return False
    used = consultation_minutes_used(log.ticket.client_id, month)
    if used <= cap:
        return False
    _, created = ConsultationCapNotice.objects.get_or_create(
        client_id=log.ticket.client_id, month=month.first_day, defaults={"notified_at": at}
    )
    if not created:
        return False
    client = log.ticket.client
    managers = User.objects.filter(
        groups__name=Role.SERVICE_MANAGER.value, is_active=True, client__isnull=True
    )
    notify_users(
        managers,
        ticket=log.ticket,
        kind="consultation_cap_exceeded",
        title=f"{client.name}: превышен лимит консультаций за {month.label}",
        body=(
            f"Использовано {hours(used)} ч при лимите {hours(cap)} ч. "
            "Время сверх лимита оплачивается клиентом."
        ),
        at=at,
    )
    return True
