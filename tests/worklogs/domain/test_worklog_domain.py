"""Work-time arithmetic: parts above a limit, billing figures, booking months."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicedesk.reports.domain.periods import Month
from servicedesk.worklogs.domain import (
    BillingFigures,
    ExcessState,
    WorkKind,
    billing_figures,
    booking_month,
    cap_minutes,
    hours,
    money,
    parse_minutes,
    part_above,
)

minutes = st.integers(min_value=0, max_value=10_000)


@given(st.lists(st.integers(min_value=1, max_value=1440), max_size=30), minutes)
def test_the_parts_above_a_limit_add_up_to_the_total_above_it(logs: list[int], limit: int) -> None:
    used = 0
    above = 0
    for logged in logs:
        part = part_above(used_before=used, minutes=logged, limit_minutes=limit)
        assert 0 <= part <= logged
        above += part
        used += logged
    assert above == max(0, used - limit)


def test_the_log_that_crosses_the_limit_contributes_only_its_part_above() -> None:
    assert part_above(used_before=500, minutes=200, limit_minutes=600) == 100
    assert part_above(used_before=700, minutes=60, limit_minutes=600) == 60
    assert part_above(used_before=0, minutes=60, limit_minutes=None) == 0


def test_billing_figures_of_a_log() -> None:
    work = {"kind": WorkKind.WORK, "billable": True, "minutes": 90}
    assert billing_figures(**work) == BillingFigures(90, 0)
    pending = billing_figures(**work, excess_minutes=30, excess_state=ExcessState.PENDING)
    assert pending == BillingFigures(60, 0)
    approved = billing_figures(**work, excess_minutes=30, excess_state=ExcessState.APPROVED)
    assert approved == BillingFigures(90, 0)
    assert billing_figures(kind=WorkKind.WORK, billable=False, minutes=90) == BillingFigures()
    consultation = billing_figures(kind=WorkKind.CONSULTATION, billable=False, minutes=40)
    assert consultation == BillingFigures(0, 40)


def test_late_work_is_booked_into_the_next_open_month() -> None:
    closed = {Month(2026, 1), Month(2026, 2)}
    assert booking_month(date(2026, 1, 31), closed) == Month(2026, 3)
    assert booking_month(date(2026, 3, 1), closed) == Month(2026, 3)
    assert booking_month(date(2025, 12, 31), closed) == Month(2025, 12)


def test_hours_and_money_round_half_up_to_two_places() -> None:
    assert hours(200) == Decimal("3.33")
    assert hours(5) == Decimal("0.08")
    assert money(200, Decimal("2500")) == Decimal("8333.33")
    assert money(1, Decimal("3000")) == Decimal("50.00")
    assert cap_minutes(Decimal("10.5")) == 630
    assert cap_minutes(None) is None


@pytest.mark.parametrize(
    ("text", "expected"), [("90", 90), ("1:30", 90), (" 0:05 ", 5), ("2:00", 120)]
)
def test_durations_people_type(text: str, expected: int) -> None:
    assert parse_minutes(text) == expected


@pytest.mark.parametrize("text", ["", "1,5", "1:5", "1:60", "полтора", "-5", "1:30:00"])
def test_durations_that_make_no_sense_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_minutes(text)


def test_the_pure_modules_do_not_import_django() -> None:
    code = (
        "import sys, servicedesk.worklogs.domain, servicedesk.reports.domain.charts, "
        "servicedesk.reports.domain.tables, servicedesk.reports.domain.periods; "
        "print('django' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
