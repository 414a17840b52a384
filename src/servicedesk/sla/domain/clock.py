"""An SLA clock as an append-only record, and the figures that record implies.

A clock is a list of entries (started, paused, resumed, stopped, target or calendar
changed). Replaying the entries against the calendars gives the running segments; the
working time inside them is the elapsed time. Due instants, breach instants and threshold
instants are where the elapsed time crosses a value, so the same record always gives the
same figures, and a change of target or calendar never loses paused time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from servicedesk.calendars.domain.business_time import (
    BusinessCalendar,
    add_business_time,
    business_time_between,
    is_working_time,
)


class EntryKind(StrEnum):
    STARTED = "started"
    PAUSED = "paused"
    RESUMED = "resumed"
    STOPPED = "stopped"
    CANCELLED = "cancelled"
    TARGET_CHANGED = "target_changed"
    CALENDAR_CHANGED = "calendar_changed"


class ClockState(StrEnum):
    NOT_STARTED = "not_started"
    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"
    CANCELLED = "cancelled"


class ClockRecordError(ValueError):
    """An entry that makes no sense after the ones before it (a bug in the caller)."""


@dataclass(frozen=True)
class ClockEntry:
    """One line of a clock's record."""

    kind: EntryKind
    at: datetime
    target_seconds: int | None = None
    calendar: str | None = None


@dataclass(frozen=True)
class Segment:
    """A stretch of wall time during which the clock ran, on one calendar."""

    start: datetime
    end: datetime | None  # None: still running
    calendar: str


@dataclass(frozen=True)
class ClockFigures:
    """What a clock's record means at a given instant."""

    state: ClockState
    target_seconds: int
    elapsed_seconds: int
    due_at: datetime | None  # only while running: when the target will be reached
    breached_at: datetime | None  # when the target was crossed, if it was
    stopped_at: datetime | None
    calendar: str

    @property
    def remaining_seconds(self) -> int:
        return self.target_seconds - self.elapsed_seconds

    @property
    def breached(self) -> bool:
        return self.breached_at is not None

    @property
    def percent(self) -> float:
        if self.target_seconds <= 0:
            return 100.0
        return 100.0 * self.elapsed_seconds / self.target_seconds


CalendarLookup = Callable[[str], BusinessCalendar]


@dataclass(frozen=True)
class Replay:
    """The running segments and the current target of a clock record."""

    state: ClockState
    segments: tuple[Segment, ...]
    target_seconds: int
    calendar: str
    stopped_at: datetime | None


class _Replayer:
    """Walk a record entry by entry, collecting the running segments."""

    def __init__(self) -> None:
        self.state = ClockState.NOT_STARTED
        self.segments: list[Segment] = []
        self.target = 0
        self.calendar = ""
        self.open_start: datetime | None = None
        self.stopped_at: datetime | None = None

    def close_segment(self, at: datetime) -> None:
        if self.open_start is not None:
            self.segments.append(Segment(self.open_start, at, self.calendar))
            self.open_start = None

    def start(self, entry: ClockEntry) -> None:
        if self.state != ClockState.NOT_STARTED:
            raise ClockRecordError("clock started twice")
        if entry.target_seconds is None or entry.calendar is None:
            raise ClockRecordError("a started entry needs a target and a calendar")
        self.target, self.calendar = entry.target_seconds, entry.calendar
        self.open_start, self.state = entry.at, ClockState.RUNNING

    def change_target(self, entry: ClockEntry) -> None:
        if entry.target_seconds is None:
            raise ClockRecordError("a target change needs the new target")
        self.target = entry.target_seconds

    def change_calendar(self, entry: ClockEntry) -> None:
        if entry.calendar is None:
            raise ClockRecordError("a calendar change needs the new calendar")
        if self.open_start is not None:
            self.close_segment(entry.at)
            self.open_start = entry.at
        self.calendar = entry.calendar

    def resume(self, entry: ClockEntry) -> None:
        if self.state != ClockState.RUNNING:  # resuming a running clock changes nothing
            self.open_start, self.state, self.stopped_at = entry.at, ClockState.RUNNING, None

    def halt(self, entry: ClockEntry) -> None:
        self.close_segment(entry.at)
        self.state = _HALTED_STATE[entry.kind]
        self.stopped_at = None if entry.kind == EntryKind.PAUSED else entry.at

    def apply(self, entry: ClockEntry) -> None:
        if entry.kind == EntryKind.STARTED:
            self.start(entry)
            return
        if self.state == ClockState.NOT_STARTED:
            raise ClockRecordError(f"{entry.kind} before the clock started")
        {
            EntryKind.TARGET_CHANGED: self.change_target,
            EntryKind.CALENDAR_CHANGED: self.change_calendar,
            EntryKind.RESUMED: self.resume,
            EntryKind.PAUSED: self.halt,
            EntryKind.STOPPED: self.halt,
            EntryKind.CANCELLED: self.halt,
        }[entry.kind](entry)


_HALTED_STATE = {
    EntryKind.PAUSED: ClockState.PAUSED,
    EntryKind.STOPPED: ClockState.STOPPED,
    EntryKind.CANCELLED: ClockState.CANCELLED,
}


def replay(entries: Sequence[ClockEntry]) -> Replay:
    """Turn the record into segments; raise ClockRecordError on an impossible sequence."""
    replayer = _Replayer()
    for entry in sorted(entries, key=lambda e: e.at):
        replayer.apply(entry)
    if replayer.open_start is not None:
        replayer.segments.append(Segment(replayer.open_start, None, replayer.calendar))
    return Replay(
        replayer.state,
        tuple(replayer.segments),
        replayer.target,
        replayer.calendar,
        replayer.stopped_at,
    )


def _segment_seconds(segment: Segment, calendars: CalendarLookup, now: datetime) -> int:
    end = segment.end if segment.end is not None else now
    if end <= segment.start:
        return 0
    seconds = business_time_between(calendars(segment.calendar), segment.start, end)
    return int(seconds.total_seconds())


def crossing_instant(
    record: Replay, seconds: int, calendars: CalendarLookup, now: datetime
) -> datetime | None:
    """Return when the elapsed working time reaches `seconds`.

    A past instant if it already happened (even if the clock is paused now), a future one
    if the clock runs and will get there, None if it never will on this record.
    """
    accumulated = 0
    for segment in record.segments:
        length = _segment_seconds(segment, calendars, now)
        if segment.end is None:
            # The running segment: the crossing may lie in the future.
            return add_business_time(
                calendars(segment.calendar),
                segment.start,
                timedelta(seconds=max(0, seconds - accumulated)),
            )
        if accumulated + length >= seconds:
            return add_business_time(
                calendars(segment.calendar),
                segment.start,
                timedelta(seconds=max(0, seconds - accumulated)),
            )
        accumulated += length
    return None


def figures(
    entries: Sequence[ClockEntry], calendars: CalendarLookup, now: datetime
) -> ClockFigures:
    """Return the clock's state, elapsed working time, due and breach instants at `now`."""
    record = replay(entries)
    elapsed = sum(_segment_seconds(s, calendars, now) for s in record.segments)
    due_at = (
        crossing_instant(record, record.target_seconds, calendars, now)
        if record.state == ClockState.RUNNING
        else None
    )
    breached_at: datetime | None = None
    if elapsed > record.target_seconds:
        breached_at = crossing_instant(record, record.target_seconds, calendars, now)
    return ClockFigures(
        state=record.state,
        target_seconds=record.target_seconds,
        elapsed_seconds=elapsed,
        due_at=due_at,
        breached_at=breached_at,
        stopped_at=record.stopped_at,
        calendar=record.calendar,
    )


def threshold_instant(
    entries: Sequence[ClockEntry], percent: int, calendars: CalendarLookup, now: datetime
) -> datetime | None:
    """Return when the clock reaches `percent` % of its current target (past or future)."""
    record = replay(entries)
    seconds = record.target_seconds * percent // 100
    return crossing_instant(record, seconds, calendars, now)


def counting_now(figures_now: ClockFigures, calendar: BusinessCalendar, now: datetime) -> bool:
    """Return whether the clock is ticking at this very instant (running inside hours)."""
    return figures_now.state == ClockState.RUNNING and is_working_time(calendar, now)
