"""Working time laid out as sorted UTC intervals, so every query is one or two bisects.

Instants are integers: microseconds since the Unix epoch (UTC). Integer maths keeps
results exact, and comparing ints is what makes `bisect` cheap enough for the
50 µs-per-call budget of the SLA sweep.

Local wall times become instants by `first_instant_showing`: the first instant at
which the zone's clock shows that wall time or a later one. That one rule covers
both kinds of DST transition:

* a repeated (ambiguous) wall time maps to its first occurrence, which is zoneinfo's
  ``fold=0``; a window boundary is never "held back" until the clock repeats it;
* a skipped (nonexistent) wall time maps to the instant of the jump, because the clock
  goes straight past it; a window wholly inside a gap therefore has no working time.

The mapping is monotonic, so windows that do not overlap in wall time do not overlap
as instants either, and a day's last window ending at 24:00 meets the next day's
00:00 window exactly.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
MICROS_PER_SECOND = 1_000_000

# (start, end) in seconds since local midnight, end may be 86 400 (24:00).
DayWindows = Callable[[date], Iterable[tuple[int, int]]]


def to_micros(moment: datetime) -> int:
    """Return an aware datetime as microseconds since the epoch."""
    return (moment - EPOCH) // MICROSECOND


def from_micros(micros: int, zone: ZoneInfo) -> datetime:
    """Return the aware datetime in `zone` for microseconds since the epoch."""
    return (EPOCH + timedelta(microseconds=micros)).astimezone(zone)


def local_day(micros: int, zone: ZoneInfo) -> date:
    """Return the local calendar date in `zone` of an instant."""
    return from_micros(micros, zone).date()


def first_instant_showing(zone: ZoneInfo, wall: datetime) -> int:
    """Return the first instant at which the clock of `zone` shows naive `wall` or later."""
    first_occurrence = wall.replace(tzinfo=zone, fold=0)
    micros = to_micros(first_occurrence)
    if from_micros(micros, zone).replace(tzinfo=None) == wall:
        return micros
    # `wall` falls into a forward jump. With fold=0 zoneinfo applied the offset from
    # before the jump, which lands after it; with fold=1 the offset from after the
    # jump, which lands before it. The jump lies between: find it to the second,
    # the resolution of tzdata transitions.
    low = to_micros(wall.replace(tzinfo=zone, fold=1)) // MICROS_PER_SECOND
    high = micros // MICROS_PER_SECOND
    while low < high:
        middle = (low + high) // 2
        if from_micros(middle * MICROS_PER_SECOND, zone).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle + 1
    return high * MICROS_PER_SECOND


def day_start(zone: ZoneInfo, day: date) -> int:
    """Return the instant at which local `day` begins in `zone`."""
    return first_instant_showing(zone, datetime.combine(day, time()))


@dataclass(frozen=True, slots=True)
class Timeline:
    """The working intervals of a calendar over the local days [first_day, end_day).

    `starts[i]`/`ends[i]` bound interval i; touching intervals are merged, empty ones
    dropped. `worked_before[i]` is the working time before interval i and
    `worked_through[i]` the working time up to its end, both counted from the
    timeline's own beginning, so only differences between them mean anything.
    """

    zone: ZoneInfo
    first_day: date
    end_day: date
    first_instant: int
    end_instant: int
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    worked_before: tuple[int, ...]
    worked_through: tuple[int, ...]

    @property
    def total(self) -> int:
        """Return the working time of the whole timeline in microseconds."""
        return self.worked_through[-1] if self.worked_through else 0

    def covers(self, first: int, last: int) -> bool:
        """Tell whether both instants lie within the timeline's days."""
        return self.first_instant <= first and last <= self.end_instant

    def worked_until(self, instant: int) -> int:
        """Return the working time from the timeline's beginning up to `instant`."""
        index = bisect_right(self.starts, instant) - 1
        if index < 0:
            return 0
        return self.worked_before[index] + min(instant, self.ends[index]) - self.starts[index]

    def instant_after_work(self, worked: int) -> int | None:
        """Return the first instant by which `worked` has been worked, or None if later.

        A target reached exactly at the end of an interval returns that end, not the
        start of the next interval.
        """
        if worked > self.total:
            return None
        index = bisect_left(self.worked_through, worked)
        return self.starts[index] + worked - self.worked_before[index]

    def first_working_from(self, instant: int) -> int | None:
        """Return the first working instant at or after `instant`, or None if past the end."""
        index = bisect_right(self.ends, instant)
        if index == len(self.ends):
            return None
        return max(instant, self.starts[index])

    def is_working(self, instant: int) -> bool:
        """Tell whether `instant` lies inside a working interval."""
        index = bisect_right(self.starts, instant) - 1
        return index >= 0 and instant < self.ends[index]


def build_timeline(
    zone: ZoneInfo, windows_on: DayWindows, first_day: date, end_day: date
) -> Timeline:
    """Lay out the working windows of the local days [first_day, end_day) as instants."""
    starts: list[int] = []
    ends: list[int] = []
    worked_before: list[int] = []
    worked_through: list[int] = []
    worked = 0
    day = first_day
    one_day = timedelta(days=1)
    while day < end_day:
        midnight = datetime.combine(day, time())
        for start_second, end_second in windows_on(day):
            start = first_instant_showing(zone, midnight + timedelta(seconds=start_second))
            end = first_instant_showing(zone, midnight + timedelta(seconds=end_second))
            if end <= start:  # the whole window fell into a DST gap
                continue
            worked_from = worked
            worked += end - start
            if ends and ends[-1] == start:  # e.g. 24:00 of one day meets 00:00 of the next
                ends[-1] = end
                worked_through[-1] = worked
                continue
            starts.append(start)
            ends.append(end)
            worked_before.append(worked_from)
            worked_through.append(worked)
        day += one_day
    return Timeline(
        zone=zone,
        first_day=first_day,
        end_day=end_day,
        first_instant=day_start(zone, first_day),
        end_instant=day_start(zone, end_day),
        starts=tuple(starts),
        ends=tuple(ends),
        worked_before=tuple(worked_before),
        worked_through=tuple(worked_through),
    )
