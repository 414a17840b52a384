"""The Russian production calendar against the decrees (golden data) and `work_calendar`.

The golden tables are typed in from domain.md §1 (decrees No. 1335 of 04.10.2024 and
No. 1466 of 24.09.2025), so they do not move when the `holidays` package does.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import work_calendar

from servicedesk.calendars.domain.business_time import Window
from servicedesk.calendars.domain.production import (
    FIVE_TWO_DAY,
    FIVE_TWO_SHORT_DAY,
    DayKind,
    calendar_overrides_for,
    five_two_moscow,
    is_shortened_day,
    round_the_clock,
    russian_production_year,
)

OFF, SHORT = DayKind.OFF, DayKind.SHORT

GOLDEN_2025 = {
    # New Year holidays on weekdays (Sat 4 and Sun 5 are weekend anyway).
    date(2025, 1, 1): OFF,
    date(2025, 1, 2): OFF,
    date(2025, 1, 3): OFF,
    date(2025, 1, 6): OFF,
    date(2025, 1, 7): OFF,
    date(2025, 1, 8): OFF,
    date(2025, 3, 7): SHORT,  # eve of 8 March (Sat)
    date(2025, 4, 30): SHORT,  # eve of 1 May
    date(2025, 5, 1): OFF,
    date(2025, 5, 2): OFF,  # transferred from Sat 4 January
    date(2025, 5, 8): OFF,  # transferred from Sun 23 February
    date(2025, 5, 9): OFF,
    date(2025, 6, 11): SHORT,  # eve of 12 June
    date(2025, 6, 12): OFF,
    date(2025, 6, 13): OFF,  # transferred from Sat 8 March
    date(2025, 11, 1): SHORT,  # working Saturday in place of Mon 3 Nov, the eve of 4 Nov
    date(2025, 11, 3): OFF,  # transferred from Sat 1 November
    date(2025, 11, 4): OFF,
    date(2025, 12, 31): OFF,  # transferred from Sun 5 January
}

GOLDEN_2026 = {
    date(2026, 1, 1): OFF,
    date(2026, 1, 2): OFF,
    date(2026, 1, 5): OFF,
    date(2026, 1, 6): OFF,
    date(2026, 1, 7): OFF,
    date(2026, 1, 8): OFF,
    date(2026, 1, 9): OFF,  # transferred from Sat 3 January
    date(2026, 2, 23): OFF,
    date(2026, 3, 9): OFF,  # 8 March falls on a Sunday
    date(2026, 4, 30): SHORT,
    date(2026, 5, 1): OFF,
    date(2026, 5, 8): SHORT,  # eve of 9 May (Sat)
    date(2026, 5, 11): OFF,  # 9 May falls on a Saturday
    date(2026, 6, 11): SHORT,
    date(2026, 6, 12): OFF,
    date(2026, 11, 3): SHORT,
    date(2026, 11, 4): OFF,
    date(2026, 12, 31): OFF,  # transferred from Sun 4 January
}


def plain_kind(day: date) -> DayKind:
    return DayKind.WORKING if day.weekday() < 5 else DayKind.OFF


def days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]


def working_days_and_norm_hours(year: int, differing: dict[date, DayKind]) -> tuple[int, int]:
    """Return (working days, norm hours) with 8-hour days and 7-hour short days."""
    kinds = [differing.get(day, plain_kind(day)) for day in days_of(year)]
    working = sum(kind != DayKind.OFF for kind in kinds)
    return working, 8 * working - sum(kind == DayKind.SHORT for kind in kinds)


@pytest.mark.parametrize(("year", "golden"), [(2025, GOLDEN_2025), (2026, GOLDEN_2026)])
def test_the_production_year_matches_the_decree_day_for_day(
    year: int, golden: dict[date, DayKind]
) -> None:
    assert russian_production_year(year) == golden


@pytest.mark.parametrize(("year", "golden"), [(2025, GOLDEN_2025), (2026, GOLDEN_2026)])
def test_the_decree_year_has_247_working_days_and_1972_norm_hours(
    year: int, golden: dict[date, DayKind]
) -> None:
    assert working_days_and_norm_hours(year, golden) == (247, 1972)
    assert working_days_and_norm_hours(year, russian_production_year(year)) == (247, 1972)


@pytest.mark.parametrize("year", [2025, 2026])
def test_working_and_non_working_days_agree_with_work_calendar(year: int) -> None:
    differing = russian_production_year(year)
    disagreements = [
        day
        for day in days_of(year)
        if (differing.get(day, plain_kind(day)) != DayKind.OFF) != work_calendar.is_workday(day)
    ]
    assert disagreements == []


def test_only_days_that_differ_from_a_plain_week_are_listed() -> None:
    for day, kind in russian_production_year(2026).items():
        assert kind != plain_kind(day), day


def test_the_eve_of_a_statutory_holiday_is_shortened() -> None:
    assert is_shortened_day(
        date(2025, 6, 11), replaces=None, statutory_holidays={date(2025, 6, 12)}
    )


def test_the_eve_of_a_transferred_day_off_is_a_full_day() -> None:
    # 31.12.2025 is a day off transferred from 5 January, not a holiday itself.
    assert not is_shortened_day(
        date(2025, 12, 30), replaces=None, statutory_holidays={date(2026, 1, 1)}
    )


def test_a_working_saturday_takes_the_regime_of_the_weekday_it_replaces() -> None:
    assert is_shortened_day(
        date(2025, 11, 1), replaces=date(2025, 11, 3), statutory_holidays={date(2025, 11, 4)}
    )
    assert not is_shortened_day(
        date(2025, 11, 1), replaces=date(2025, 11, 10), statutory_holidays={date(2025, 11, 4)}
    )


def test_day_kinds_become_overrides_with_the_windows_of_their_kind() -> None:
    working = (Window.parse("08:00", "17:00"),)
    short = (Window.parse("08:00", "16:00"),)
    days = {date(2025, 11, 1): SHORT, date(2025, 11, 3): OFF, date(2025, 11, 8): DayKind.WORKING}
    assert calendar_overrides_for(days, working, short) == {
        date(2025, 11, 1): short,
        date(2025, 11, 3): (),
        date(2025, 11, 8): working,
    }


def test_the_five_two_moscow_calendar_works_weekdays_nine_to_six_on_the_production_calendar() -> (
    None
):
    calendar = five_two_moscow([2025])
    assert calendar.timezone == "Europe/Moscow"
    assert calendar.week == (FIVE_TWO_DAY,) * 5 + ((), ())
    assert FIVE_TWO_DAY == (Window.parse("09:00", "18:00"),)
    assert calendar.overrides[date(2025, 11, 1)] == FIVE_TWO_SHORT_DAY
    assert calendar.overrides[date(2025, 11, 3)] == ()
    assert len(calendar.overrides) == len(GOLDEN_2025)


def test_the_round_the_clock_calendar_works_every_day_all_day_without_holidays() -> None:
    calendar = round_the_clock()
    assert calendar.week == ((Window.parse("00:00", "24:00"),),) * 7
    assert not calendar.overrides
    assert round_the_clock("Asia/Yekaterinburg").timezone == "Asia/Yekaterinburg"
