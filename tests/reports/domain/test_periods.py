"""Months and periods in Moscow time, without Django."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicedesk.reports.domain.periods import Month, Period, PeriodError, week_start


def test_an_instant_late_on_31_january_in_moscow_is_january() -> None:
    assert Month.of(datetime(2026, 1, 31, 20, 30, tzinfo=UTC)) == Month(2026, 1)  # 23:30 MSK
    assert Month.of(datetime(2026, 1, 31, 21, 10, tzinfo=UTC)) == Month(2026, 2)  # 00:10 MSK


def test_month_bounds_are_moscow_midnights() -> None:
    january = Month.parse("2026-01")
    assert january.start == datetime(2025, 12, 31, 21, 0, tzinfo=UTC)
    assert january.end == datetime(2026, 1, 31, 21, 0, tzinfo=UTC)
    assert january.label == "январь 2026"
    assert january.last_day == date(2026, 1, 31)
    assert Month(2026, 12).next() == Month(2027, 1)
    assert Month(2026, 1).previous() == Month(2025, 12)


@pytest.mark.parametrize("text", ["2026-13", "2026-1", "январь", "", "1999-01", "2026-00"])
def test_bad_months_are_refused_in_russian(text: str) -> None:
    with pytest.raises(PeriodError, match="ГГГГ-ММ"):
        Month.parse(text)


def test_a_period_covers_whole_moscow_days() -> None:
    period = Period(date(2026, 2, 1), date(2026, 2, 28))
    assert period.start == datetime(2026, 1, 31, 21, 0, tzinfo=UTC)
    assert period.end == datetime(2026, 2, 28, 21, 0, tzinfo=UTC)
    assert period.days == 28
    assert Period(date(2026, 1, 20), date(2026, 3, 2)).months() == [
        Month(2026, 1),
        Month(2026, 2),
        Month(2026, 3),
    ]
    with pytest.raises(PeriodError):
        Period(date(2026, 2, 2), date(2026, 2, 1))
    with pytest.raises(PeriodError):
        Period(date(2020, 1, 1), date(2026, 1, 1))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 11, 30)))
def test_every_day_lies_inside_its_month_and_its_week(day: date) -> None:
    month = Month.of(day)
    assert month.first_day <= day <= month.last_day
    assert month.next().previous() == month
    monday = week_start(day)
    assert monday.weekday() == 0
    assert 0 <= (day - monday).days < 7
