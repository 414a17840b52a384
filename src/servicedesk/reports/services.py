"""The one write of the reports app: closing a billing month (a frozen snapshot)."""

from __future__ import annotations

from django.db import connection, transaction

from servicedesk.accounts.models import User
from servicedesk.core import clock
from servicedesk.core.errors import Conflict, Forbidden, ValidationFailed
from servicedesk.reports.access import may_close_months
from servicedesk.reports.domain.periods import Month
from servicedesk.reports.models import BillingLine, BillingSnapshot, ClosedMonth
from servicedesk.reports.selectors.billing import live_bills
from servicedesk.worklogs.billing import billing_lock


@transaction.atomic
def billing_month_close(*, actor: User, month: Month) -> ClosedMonth:
    """Freeze every client's bill of an ended month, with the tickets behind each number.

    From then on the month is read from the snapshot; work logged later with a date in
    it, and corrections of its logs, are billed in the next open month.
    """
    if not may_close_months(actor):
        raise Forbidden("Закрыть месяц может только руководитель")
    now = clock.now()
    if month.end > now:
        raise ValidationFailed(
            f"{month.label.capitalize()} ещё не закончился: закрыть можно только прошедший месяц",
            field="month",
        )
    billing_lock(exclusive=True)
    with connection.cursor() as cursor:  # see reports.selectors.report_queries
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL jit = off")
    if ClosedMonth.objects.filter(month=month.first_day).exists():
        raise Conflict(f"{month.label.capitalize()} уже закрыт", field="month")
    closed = ClosedMonth.objects.create(
        month=month.first_day, closed_at=now, closed_by=actor, closed_by_label=str(actor)
    )
    lines: list[BillingLine] = []
    for bill in live_bills(month, None, with_lines=True):
        snapshot = BillingSnapshot.objects.create(
            closed_month=closed,
            client_id=bill.client_id,
            client_code=bill.client_code,
            client_name=bill.client_name,
            contract_number=bill.contract_number,
            has_l1=bill.has_l1,
            l3_rate=bill.rate,
            l3_minutes=bill.l3_minutes,
            l3_amount=bill.l3_amount,
            consultation_minutes=bill.consultation_minutes,
            consultation_cap_minutes=bill.cap_minutes,
            over_cap_minutes=bill.over_cap_minutes,
            over_cap_amount=bill.over_cap_amount,
            l1_tickets=bill.l1_tickets,
            total_amount=bill.total,
        )
        lines += [
            BillingLine(
                bill=snapshot,
                kind=line.kind,
                ticket_id=line.ticket_id,
                ticket_number=line.number,
                subject=line.subject[:300],
                minutes=line.minutes,
            )
            for line in bill.lines
        ]
    BillingLine.objects.bulk_create(lines, batch_size=5000)
    return closed
