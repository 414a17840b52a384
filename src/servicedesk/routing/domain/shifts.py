"""Who is at work at a given instant: the team calendar, extra shifts and absences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from servicedesk.calendars.domain.business_time import BusinessCalendar, is_working_time


@dataclass(frozen=True)
class Absence:
    """Days (inclusive, in the team's zone) a person is away: vacation, sick leave."""

    starts_on: date
    ends_on: date

    def __post_init__(self) -> None:
        if self.ends_on < self.starts_on:
            raise ValueError("an absence cannot end before it starts")

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class Shift:
    """A shift outside the person's usual calendar, e.g. a weekend duty."""

    starts_at: datetime
    ends_at: datetime

    def __post_init__(self) -> None:
        if self.starts_at.utcoffset() is None or self.ends_at.utcoffset() is None:
            raise ValueError("shift bounds must be timezone-aware")
        if self.ends_at <= self.starts_at:
            raise ValueError("a shift must end after it starts")

    def covers(self, at: datetime) -> bool:
        return self.starts_at <= at < self.ends_at


@dataclass(frozen=True)
class WorkPattern:
    """A person's schedule: a calendar to follow (or none) plus extra shifts and absences."""

    zone: ZoneInfo
    calendar: BusinessCalendar | None
    shifts: tuple[Shift, ...] = ()
    absences: tuple[Absence, ...] = ()


def on_shift(pattern: WorkPattern, at: datetime) -> bool:
    """Return True when the person works at `at`. An absence outranks any shift."""
    if at.utcoffset() is None:
        raise ValueError("at must be timezone-aware")
    day = at.astimezone(pattern.zone).date()
    if any(absence.covers(day) for absence in pattern.absences):
        return False
    if any(shift.covers(at) for shift in pattern.shifts):
        return True
    return pattern.calendar is not None and is_working_time(pattern.calendar, at)
