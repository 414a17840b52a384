"""Writes of calendars: seeding the production calendar, import and export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from servicedesk.calendars.domain.business_time import WEEKDAY_CODES, BusinessCalendar
from servicedesk.calendars.domain.production import (
    FIVE_TWO_SHORT_DAY,
    russian_production_year,
)
from servicedesk.calendars.domain.serialization import (
    calendar_from_document,
    calendar_to_document,
)
from servicedesk.calendars.models import Calendar, CalendarDay, DayKind, DaySource
from servicedesk.calendars.selectors import (
    forget_cached_calendars,
    regular_day,
    short_day,
    to_business_calendar,
)
from servicedesk.core import clock

FIVE_TWO_CODE = "msk-5-2"
ROUND_THE_CLOCK_CODE = "24-7"


@dataclass(frozen=True)
class SeedResult:
    year: int
    written: int
    kept_admin_edits: int
    removed: int


def _windows(plan: tuple[Any, ...]) -> list[list[str]]:
    return [list(window.format()) for window in plan]


@transaction.atomic
def calendar_seed_year(*, calendar: Calendar, year: int) -> SeedResult:
    """Load the Russian production calendar for `year`; days edited by the head are kept."""
    production = russian_production_year(year)
    existing = {day.date: day for day in calendar.days.filter(date__year=year)}
    written = kept = removed = 0
    for day, kind in production.items():
        row = existing.pop(day, None)
        if row is not None and row.source == DaySource.ADMIN:
            kept += 1
            continue
        CalendarDay.objects.update_or_create(
            calendar=calendar,
            date=day,
            defaults={"kind": kind.value, "windows": None, "source": DaySource.SEED, "note": ""},
        )
        written += 1
    for row in existing.values():
        if row.source == DaySource.SEED:
            row.delete()  # the decree changed: a seeded day that no longer differs
            removed += 1
    _touch(calendar)
    return SeedResult(year=year, written=written, kept_admin_edits=kept, removed=removed)


def _touch(calendar: Calendar) -> None:
    Calendar.objects.filter(pk=calendar.pk).update(updated_at=clock.now())
    forget_cached_calendars()


@transaction.atomic
def calendars_load_plastek() -> str:
    """Create "5/2 МСК" (seeded for this year and the next) and "24/7" if missing."""
    this_year = clock.now().year
    five_two, created = Calendar.objects.get_or_create(
        code=FIVE_TWO_CODE,
        defaults={
            "name": "5/2 МСК",
            "timezone": "Europe/Moscow",
            "short_day_windows": _windows(FIVE_TWO_SHORT_DAY),
        },
    )
    if created:
        for year in (this_year, this_year + 1):
            calendar_seed_year(calendar=five_two, year=year)
    full_day = [["00:00", "24:00"]]
    Calendar.objects.get_or_create(
        code=ROUND_THE_CLOCK_CODE,
        defaults={
            "name": "24/7",
            "timezone": "Europe/Moscow",
            "week": dict.fromkeys(WEEKDAY_CODES, full_day),
            "short_day_windows": full_day,
        },
    )
    return "создан 5/2 МСК" if created else "уже есть"


def calendar_export(calendar: Calendar) -> dict[str, Any]:
    """Return the calendar as the documented JSON document."""
    built = to_business_calendar(calendar, list(calendar.days.all()))
    return calendar_to_document(calendar.code, calendar.name, built)


@transaction.atomic
def calendar_import(document: object) -> tuple[Calendar, bool]:
    """Create or replace a calendar from a JSON document; raise CalendarError on bad input.

    The document describes the whole calendar, so its days replace the stored ones; they
    are recorded as the head's edits, which a later production-calendar seed keeps.
    """
    code, name, built = calendar_from_document(document)
    calendar, created = Calendar.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "timezone": built.timezone,
            "week": {
                weekday: _windows(plan)
                for weekday, plan in zip(WEEKDAY_CODES, built.week, strict=True)
            },
        },
    )
    calendar.days.all().delete()
    CalendarDay.objects.bulk_create(
        [_day_row(calendar, day, plan, built) for day, plan in sorted(built.overrides.items())]
    )
    _touch(calendar)
    return calendar, created


def _day_row(
    calendar: Calendar, day: date, plan: tuple[Any, ...], built: BusinessCalendar
) -> CalendarDay:
    if not plan:
        kind, windows = DayKind.OFF, None
    elif plan == short_day(calendar):
        kind, windows = DayKind.SHORT, None
    elif plan == regular_day(calendar):
        kind, windows = DayKind.WORKING, None
    else:
        kind, windows = DayKind.WORKING, _windows(plan)
    return CalendarDay(
        calendar=calendar, date=day, kind=kind, windows=windows, source=DaySource.ADMIN
    )
