"""Billing per client and month, and closing a month, against the hand-computed data set."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from servicedesk.core import clock
from servicedesk.core.errors import Conflict, Forbidden, ValidationFailed
from servicedesk.reports.access import ReportKind, report_scope
from servicedesk.reports.domain.periods import Month
from servicedesk.reports.filters import parse_filters
from servicedesk.reports.models import BillingLine, BillingSnapshot
from servicedesk.reports.selectors import build_report
from servicedesk.reports.services import billing_month_close
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.worklogs.services import (
    estimate_decide,
    estimate_propose,
    worklog_correct,
    worklog_excess_decide,
)
from tests.reports.dataset import NOW
from tests.worklogs.builders import log_time, msk

pytestmark = pytest.mark.django_db


def bills(user, month, **params):
    filters = parse_filters(today=date(2026, 3, 2), month=month, **params)
    with clock.frozen_at(NOW):
        report = build_report(
            ReportKind.BILLING, filters, report_scope(user, ReportKind.BILLING), NOW
        )
    return report, {row["client"]: row for row in report.table("bills").records()}


def close(user, month):
    with clock.frozen_at(NOW):
        return billing_month_close(actor=user, month=Month.parse(month))


def test_february_bills_match_the_hand_computed_figures(data) -> None:
    report, rows = bills(data["head"], "2026-02")
    mega, apteka = rows["Мега"], rows["Аптека"]
    assert mega["l3_hours"] == Decimal("2.50")  # t3: 150 billable minutes (45 not billable)
    assert mega["l3_amount"] == Decimal("7500.00")  # × 3000 ₽/h
    assert mega["consultation_hours"] == Decimal("11.00")  # t5: 600 + 60 minutes
    assert mega["cap_hours"] == Decimal("10.00")
    assert mega["over_cap_hours"] == Decimal("1.00")
    assert mega["over_cap_amount"] == Decimal("3000.00")
    assert mega["l1_tickets"] == 2  # t3 and t5 (t4 is January's)
    assert mega["total"] == Decimal("10500.00")
    assert apteka["l3_hours"] == Decimal("3.33")  # t9: 200 minutes (t1 on L2 not billable)
    assert apteka["l3_amount"] == Decimal("8333.33")  # 200 × 2500 / 60
    assert apteka["over_cap_hours"] == Decimal("0.00")
    assert apteka["l1_tickets"] is None  # no L1 in the contract
    assert report.table("bills").footer[-1] == Decimal("18833.33")
    assert mega["client_url"] == "/reports/billing/?month=2026-02&client=mega"


def test_january_holds_the_consultation_logged_for_31_january(data) -> None:
    _, rows = bills(data["head"], "2026-01")
    assert rows["Мега"]["consultation_hours"] == Decimal("0.50")
    assert rows["Мега"]["l1_tickets"] == 1  # t4, registered 31.01 23:30 MSK
    assert rows["Мега"]["total"] == Decimal("0.00")


def test_one_clients_bill_lists_the_tickets_behind_every_number(data) -> None:
    report, _ = bills(data["head"], "2026-02", client="mega")
    l3 = report.table("l3_lines").records()
    consultations = report.table("consultation_lines").records()
    l1 = report.table("l1_lines").records()
    t3, t5 = data["t3"].display_number, data["t5"].display_number
    assert [(r["ticket"], r["hours"]) for r in l3] == [(t3, Decimal("2.50"))]
    assert [(r["ticket"], r["hours"]) for r in consultations] == [(t5, Decimal("11.00"))]
    assert sorted(r["ticket"] for r in l1) == sorted([t3, t5])


def test_a_client_user_sees_only_their_own_bill_and_the_manager_none(data) -> None:
    report, rows = bills(data["mega_user"], "2026-02", client="apteka")
    assert list(rows) == ["Мега"]
    assert report.table("l3_lines").rows  # their own ticket list
    with pytest.raises(Forbidden):
        bills(data["manager"], "2026-02")


def test_closing_a_month_freezes_its_figures_and_the_lines_behind_them(data) -> None:
    closed = close(data["head"], "2026-02")
    assert closed.closed_by == data["head"]
    snapshot = BillingSnapshot.objects.get(closed_month=closed, client=data["mega"])
    assert (snapshot.l3_amount, snapshot.over_cap_amount, snapshot.total_amount) == (
        Decimal("7500.00"),
        Decimal("3000.00"),
        Decimal("10500.00"),
    )
    kinds = sorted(BillingLine.objects.filter(bill=snapshot).values_list("kind", flat=True))
    assert kinds == ["consultation", "l1", "l1", "l3"]

    data["mega"].contract.l3_hourly_rate = Decimal("4000")
    data["mega"].contract.consultation_hours_cap = Decimal("20")
    data["mega"].contract.save()
    late = log_time(data["agent"], data["t3"], 60, NOW, work_date=date(2026, 2, 20))

    report, rows = bills(data["head"], "2026-02")
    assert rows["Мега"]["total"] == Decimal("10500.00")
    assert rows["Мега"]["l3_hours"] == Decimal("2.50")
    assert "закрыт" in report.subtitle
    assert late.ticket.events.filter(
        type=TicketEventType.WORKLOG_ADDED, data__month="2026-03"
    ).exists()
    _, march = bills(data["head"], "2026-03")
    assert march["Мега"]["l3_hours"] == Decimal("1.00")
    assert march["Мега"]["l3_amount"] == Decimal("4000.00")  # March at the new rate


def test_a_correction_after_the_close_is_billed_in_the_next_open_month(data) -> None:
    close(data["head"], "2026-01")
    january_log = data["t4"].worklogs.get()
    with clock.frozen_at(NOW):
        worklog_correct(actor=data["head"], worklog_id=january_log.pk, minutes=10, reason="Ошибка")
    log_time(data["sd"], data["t4"], 20, NOW, work_date=date(2026, 1, 31))

    _, january = bills(data["head"], "2026-01")
    _, february = bills(data["head"], "2026-02")
    assert january["Мега"]["consultation_hours"] == Decimal("0.50")  # frozen
    # February: 660 + 20 (late log) − 20 (correction of a closed month's log).
    assert february["Мега"]["consultation_hours"] == Decimal("11.00")


def test_excess_approved_after_the_close_is_billed_in_the_next_open_month(data) -> None:
    t9 = data["t9"]
    with clock.frozen_at(msk(2026, 2, 16, 11)):
        estimate = estimate_propose(actor=data["agent"], number=t9.number, hours="3")
    with clock.frozen_at(msk(2026, 2, 16, 12)):
        estimate_decide(
            actor=data["apteka_user"], number=t9.number, estimate_id=estimate.pk, approve=True
        )
    extra = log_time(data["agent"], t9, 60, msk(2026, 2, 17, 12))  # 200 + 60 > 180
    assert (extra.excess_minutes, extra.excess_state) == (60, "pending")
    _, february = bills(data["head"], "2026-02")
    assert february["Аптека"]["l3_hours"] == Decimal("3.33")  # the excess waits
    close(data["head"], "2026-02")
    with clock.frozen_at(NOW):
        worklog_excess_decide(actor=data["manager"], worklog_id=extra.pk, approve=True)
    _, february = bills(data["head"], "2026-02")
    _, march = bills(data["head"], "2026-03")
    assert february["Аптека"]["l3_hours"] == Decimal("3.33")
    assert march["Аптека"]["l3_hours"] == Decimal("1.00")


def test_only_the_head_closes_an_ended_month_once(data) -> None:
    with pytest.raises(Forbidden):
        close(data["manager"], "2026-02")
    with pytest.raises(Forbidden):
        close(data["mega_user"], "2026-02")
    with pytest.raises(ValidationFailed) as not_over:
        close(data["head"], "2026-03")
    assert "ещё не закончился" in not_over.value.message
    close(data["head"], "2026-02")
    with pytest.raises(Conflict):
        close(data["head"], "2026-02")


def test_billing_needs_one_calendar_month(data) -> None:
    filters = parse_filters(today=date(2026, 3, 2), date_from="2026-02-01", date_to="2026-02-15")
    with pytest.raises(ValidationFailed) as refused:
        build_report(
            ReportKind.BILLING, filters, report_scope(data["head"], ReportKind.BILLING), NOW
        )
    assert refused.value.field == "month"
