"""Reads of calendars: database rows turned into the pure BusinessCalendar the maths uses."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime

from servicedesk.calendars.domain.business_time import (
    WEEKDAY_CODES,
    BusinessCalendar,
    DayPlan,
    Window,
)
from servicedesk.calendars.models import Calendar, CalendarDay, DayKind
from servicedesk.core.errors import NotFound

# A calendar changes a few times a year; re-checking its version every few seconds keeps
# every process current without a query per SLA computation.
RECHECK_SECONDS = 5.0


def plan_from_lists(windows: list[list[str]] | None) -> DayPlan:
    return tuple(Window.parse(start, end) for start, end in (windows or []))


def regular_day(calendar: Calendar) -> DayPlan:
    """Return the windows of an ordinary working day (the first weekday that has any)."""
    for code in WEEKDAY_CODES[:5]:
        plan = plan_from_lists(calendar.week.get(code))
        if plan:
            return plan
    return ()


def short_day(calendar: Calendar) -> DayPlan:
    """Return the windows of a shortened day: as configured, or one hour off the end."""
    if calendar.short_day_windows:
        return plan_from_lists(calendar.short_day_windows)
    regular = regular_day(calendar)
    if not regular:
        return ()
    last = regular[-1]
    shortened = Window(last.start, max(last.start + 1, last.end - 3600))
    return (*regular[:-1], shortened)


def day_plan(calendar: Calendar, day: CalendarDay) -> DayPlan:
    if day.windows is not None:
        return plan_from_lists(day.windows)
    if day.kind == DayKind.OFF:
        return ()
    return short_day(calendar) if day.kind == DayKind.SHORT else regular_day(calendar)


def to_business_calendar(calendar: Calendar, days: list[CalendarDay]) -> BusinessCalendar:
    """Build the pure calendar from its row and its special days."""
    return BusinessCalendar(
        timezone=calendar.timezone,
        week=tuple(plan_from_lists(calendar.week.get(code)) for code in WEEKDAY_CODES),
        overrides={day.date: day_plan(calendar, day) for day in days},
    )


@dataclass
class _Cached:
    version: datetime
    calendar: BusinessCalendar
    checked: float


_cache: dict[str, _Cached] = {}
_lock = threading.Lock()


def business_calendar(code: str) -> BusinessCalendar:
    """Return the calendar `code` for the SLA maths, rebuilt only when it was edited."""
    now = time.monotonic()
    cached = _cache.get(code)
    if cached is not None and now - cached.checked < RECHECK_SECONDS:
        return cached.calendar
    row = Calendar.objects.filter(code=code).only("updated_at").first()
    if row is None:
        raise NotFound(f"Календарь «{code}» не найден", field="calendar")
    if cached is not None and cached.version == row.updated_at:
        cached.checked = now
        return cached.calendar
    full = Calendar.objects.get(pk=row.pk)
    built = to_business_calendar(full, list(full.days.all()))
    with _lock:
        _cache[code] = _Cached(version=full.updated_at, calendar=built, checked=now)
    return built


def forget_cached_calendars() -> None:
    """Drop every cached calendar (tests that edit calendars call this)."""
    with _lock:
        _cache.clear()
