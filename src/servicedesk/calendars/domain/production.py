"""The Russian production calendar (производственный календарь) and stock calendars.

Holidays and transfers come from the `holidays` package (`holidays.RU`), which tracks
the yearly government decrees. No library models shortened days, so they are derived
here by the Labour Code rule in `is_shortened_day`. The result is seed data: the
application stores it as editable calendar days, and admins confirm a new year.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

import holidays

from servicedesk.calendars.domain.business_time import (
    BusinessCalendar,
    DayPlan,
    Window,
)

MOSCOW = "Europe/Moscow"
FIVE_TWO_DAY: DayPlan = (Window.parse("09:00", "18:00"),)
# Labour Code art. 95: the eve of a statutory holiday is one hour shorter.
FIVE_TWO_SHORT_DAY: DayPlan = (Window.parse("09:00", "17:00"),)
ROUND_THE_CLOCK_DAY: DayPlan = (Window.parse("00:00", "24:00"),)


class DayKind(StrEnum):
    """How a date is worked: a full day, a day one hour shorter, or not at all."""

    WORKING = "working"
    SHORT = "short"
    OFF = "off"


def russian_production_year(year: int) -> dict[date, DayKind]:
    """Return the days of `year` that differ from a plain Monday-to-Friday week.

    Weekday holidays, transferred days off and the days off that replace a holiday
    falling on a weekend are OFF; working Saturdays and Sundays are WORKING or SHORT;
    shortened weekdays are SHORT.
    """
    # Transfers cross year boundaries (a January weekend can move to December), so the
    # neighbouring years are loaded too.
    years = range(year - 1, year + 2)
    days_off = holidays.country_holidays("RU", years=years)
    weekend_workdays: set[date] = set(days_off.weekend_workdays)
    replaced_weekday = _replaced_weekdays(days_off, years)
    statutory = _statutory_holidays(years)

    differing: dict[date, DayKind] = {}
    day = date(year, 1, 1)
    while day.year == year:
        is_weekend = day.weekday() >= 5
        if day in days_off or (is_weekend and day not in weekend_workdays):
            kind = DayKind.OFF
        elif is_shortened_day(
            day,
            replaces=replaced_weekday.get(day) if is_weekend else None,
            statutory_holidays=statutory,
        ):
            kind = DayKind.SHORT
        else:
            kind = DayKind.WORKING
        if kind != (DayKind.OFF if is_weekend else DayKind.WORKING):
            differing[day] = kind
        day += timedelta(days=1)
    return differing


def is_shortened_day(
    working_day: date, *, replaces: date | None, statutory_holidays: Collection[date]
) -> bool:
    """Tell whether a working day is one hour shorter under Labour Code art. 95.

    The eve of a statutory non-working holiday (art. 112) is shorter. A working
    Saturday or Sunday takes the regime of the weekday it `replaces` (2025-11-01
    replaces 2025-11-03, the eve of 4 November, so it is short). A transferred day
    off is not a holiday, so its eve is a full day (2025-12-30, 2025-05-07).
    """
    regime_day = replaces or working_day
    return regime_day + timedelta(days=1) in statutory_holidays


def _statutory_holidays(years: Collection[int]) -> set[date]:
    """Return the art. 112 holidays themselves, without transfers and observed days."""
    calendar = holidays.country_holidays("RU", years=years, observed=False)
    decreed = {
        date(year, entry[0], entry[1])
        for year in years
        for entry in _special_entries(calendar, year)
    }
    return set(calendar) - decreed


def _replaced_weekdays(calendar: Any, years: Iterable[int]) -> dict[date, date]:
    """Return, for each working weekend day, the weekday whose day off it became."""
    replaced: dict[date, date] = {}
    for year in years:
        for entry in _special_entries(calendar, year):
            if len(entry) < 4:  # a one-off day off, not a transfer
                continue
            to_month, to_day, from_month, from_day, *from_year = entry
            worked = date(from_year[0] if from_year else year, from_month, from_day)
            replaced[worked] = date(year, to_month, to_day)
    return replaced


def _special_entries(calendar: Any, year: int) -> tuple[tuple[Any, ...], ...]:
    """Return the decree entries of `holidays.RU` for a year as a tuple of tuples.

    `special_public_holidays` maps a year to one entry or a tuple of entries;
    `(to_month, to_day, from_month, from_day[, from_year])` is a transfer,
    `(month, day, name)` a one-off day off. The golden tests pin the outcome, so a
    change in this layout shows up as a failing test, not as a wrong calendar.
    """
    entries = getattr(calendar, "special_public_holidays", {}).get(year, ())
    if entries and not isinstance(entries[0], tuple):
        return (tuple(entries),)
    return tuple(tuple(entry) for entry in entries)


def calendar_overrides_for(
    days: Mapping[date, DayKind], working: DayPlan, short: DayPlan
) -> dict[date, DayPlan]:
    """Return calendar overrides that give each day the windows of its kind."""
    plans = {DayKind.WORKING: working, DayKind.SHORT: short, DayKind.OFF: ()}
    return {day: plans[kind] for day, kind in days.items()}


def five_two_moscow(years: Iterable[int]) -> BusinessCalendar:
    """Return the default 5/2 calendar: Mon–Fri 09:00–18:00 Moscow time on the production calendar.

    Short days end at 17:00. Years not listed follow the plain week with no holidays
    at all, so load every year a clock may reach.
    """
    days: dict[date, DayKind] = {}
    for year in years:
        days |= russian_production_year(year)
    return BusinessCalendar(
        timezone=MOSCOW,
        week=(FIVE_TWO_DAY,) * 5 + ((), ()),
        overrides=calendar_overrides_for(days, FIVE_TWO_DAY, FIVE_TWO_SHORT_DAY),
    )


def round_the_clock(timezone: str = MOSCOW) -> BusinessCalendar:
    """Return the 24/7 calendar: every day 00:00–24:00, no holidays."""
    return BusinessCalendar(timezone=timezone, week=(ROUND_THE_CLOCK_DAY,) * 7)
