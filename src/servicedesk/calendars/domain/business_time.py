"""Business calendars and arithmetic over their working time.

A calendar is a time zone, seven weekly days of working windows (Monday first) and
per-date overrides that replace a whole day (an empty override is a day off).
Windows are local wall times; how they map to instants across DST transitions is
described in `timeline`: each boundary is the first instant at which the clock shows
that time, so a repeated hour counts once, at its first occurrence (``fold=0``), and
a skipped hour simply is not there.

Every function takes aware datetimes, returns aware datetimes in the calendar's zone
and is exact to the microsecond. Nothing here reads the current time.

Speed: the first query on a calendar lays out its working intervals for whole
calendar years around the query (a `Timeline`) and keeps it on the calendar object;
later queries inside those years are a few bisects. The kept timeline grows to at
most `MAX_CACHED_YEARS`; a query beyond that is answered from a timeline built for
it alone, correct but slower.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from servicedesk.calendars.domain.timeline import (
    MICROSECOND,
    Timeline,
    build_timeline,
    from_micros,
    local_day,
    to_micros,
)

SECONDS_PER_DAY = 86_400
WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_CACHED_YEARS = 50
# A search that meets this many consecutive days without working time gives up
# instead of running to the end of the calendar.
NO_WORK_HORIZON = timedelta(days=3653)
_FIRST_SEARCH_SPAN = timedelta(days=31)
# When a clock goes back across midnight (St John's, 07.11.2010: 00:01 → 23:01), an
# instant in the repeat shows yesterday's date but lies after today's 00:00 boundary,
# so it belongs to the day after its date: cover one day more than the date says.
_DAY_MARGIN = timedelta(days=2)
_TIME_OF_DAY = re.compile(r"(\d{2}):(\d{2})(?::(\d{2}))?")


class CalendarError(ValueError):
    """Reject an invalid calendar or an impossible request; the message is Russian.

    `path` names the offending field in the calendar's document format
    (`week.mon[1]`, `overrides.2025-11-03`, `timezone`), empty when not about a field.
    """

    def __init__(self, reason: str, *, path: str = "") -> None:
        super().__init__(f"{path}: {reason}" if path else reason)
        self.reason = reason
        self.path = path


def parse_time_of_day(text: str, *, end_of_day_allowed: bool) -> int:
    """Return seconds since midnight for "HH:MM" or "HH:MM:SS"; "24:00" only as an end."""
    match = _TIME_OF_DAY.fullmatch(text)
    if match is None:
        raise CalendarError(f"неверное время {text!r}, ожидается ЧЧ:ММ или ЧЧ:ММ:СС")
    hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
    if hours == 24 and minutes == 0 and seconds == 0:
        if not end_of_day_allowed:
            raise CalendarError("24:00 допустимо только как конец интервала")
        return SECONDS_PER_DAY
    if hours > 23 or minutes > 59 or seconds > 59:
        raise CalendarError(f"неверное время {text!r}, ожидается ЧЧ:ММ или ЧЧ:ММ:СС")
    return hours * 3600 + minutes * 60 + seconds


def format_time_of_day(seconds: int) -> str:
    """Return "HH:MM", or "HH:MM:SS" when seconds are not zero; 86 400 is "24:00"."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}" if secs else f"{hours:02d}:{minutes:02d}"


@dataclass(frozen=True, order=True, slots=True)
class Window:
    """A working window within one local day, in seconds since local midnight.

    0 <= start < end <= 86 400, so a window may run to 24:00 but never past midnight:
    round-the-clock work is one 00:00–24:00 window on each day.
    """

    start: int
    end: int

    def __post_init__(self) -> None:
        if type(self.start) is not int or type(self.end) is not int:
            raise CalendarError("границы интервала должны быть целыми секундами")
        if not 0 <= self.start < SECONDS_PER_DAY or not 0 < self.end <= SECONDS_PER_DAY:
            raise CalendarError("интервал должен лежать в пределах суток 00:00–24:00")
        if self.end <= self.start:
            start, end = self.format()
            raise CalendarError(f"конец {end} должен быть позже начала {start}")

    @classmethod
    def parse(cls, start: str, end: str) -> Window:
        """Return the window for wall times such as ("09:00", "18:00") or ("00:00", "24:00")."""
        return cls(
            parse_time_of_day(start, end_of_day_allowed=False),
            parse_time_of_day(end, end_of_day_allowed=True),
        )

    def format(self) -> tuple[str, str]:
        """Return the window as ("HH:MM", "HH:MM") wall times."""
        return format_time_of_day(self.start), format_time_of_day(self.end)

    def __str__(self) -> str:
        return "–".join(self.format())


DayPlan = tuple[Window, ...]


class DayOverrides(Mapping[date, DayPlan]):
    """An immutable, hashable mapping of dates to the windows that replace their day."""

    __slots__ = ("_days", "_hash")

    def __init__(self, days: Iterable[tuple[date, Iterable[Window]]] = ()) -> None:
        self._days: dict[date, DayPlan] = {day: tuple(plan) for day, plan in sorted(days)}
        self._hash: int | None = None

    def __getitem__(self, day: date) -> DayPlan:
        return self._days[day]

    def __iter__(self) -> Iterator[date]:
        return iter(self._days)

    def __len__(self) -> int:
        return len(self._days)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._days.items()))
        return self._hash

    def __repr__(self) -> str:
        return f"DayOverrides({self._days!r})"


@dataclass(frozen=True)
class BusinessCalendar:
    """A time zone, weekly working windows (Monday first) and per-date overrides.

    An override replaces the whole day's windows; an empty one makes the day off.
    Construction validates everything and freezes the mapping, so a calendar can be
    a dictionary key and can safely carry its own cached `Timeline`.
    """

    timezone: str
    week: tuple[DayPlan, ...]
    overrides: Mapping[date, DayPlan] = field(default_factory=DayOverrides)
    _timeline: Timeline | None = field(
        default=None, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise CalendarError(
                f"неизвестный часовой пояс {self.timezone!r}", path="timezone"
            ) from None
        week = tuple(tuple(plan) for plan in self.week)
        if len(week) != 7:
            raise CalendarError(f"ожидается 7 дней (пн–вс), получено {len(week)}", path="week")
        overrides = DayOverrides(self.overrides.items())
        for code, plan in zip(WEEKDAY_CODES, week, strict=True):
            _check_day_plan(plan, path=f"week.{code}")
        for day, plan in overrides.items():
            if type(day) is not date:
                raise CalendarError("ключ должен быть датой", path=f"overrides.{day}")
            _check_day_plan(plan, path=f"overrides.{day.isoformat()}")
        object.__setattr__(self, "week", week)
        object.__setattr__(self, "overrides", overrides)

    @property
    def zone(self) -> ZoneInfo:
        """Return the calendar's time zone."""
        return ZoneInfo(self.timezone)


def _check_day_plan(plan: DayPlan, *, path: str) -> None:
    """Reject a day whose windows are not Windows, are unsorted or overlap."""
    previous: Window | None = None
    for position, window in enumerate(plan):
        if not isinstance(window, Window):
            raise CalendarError("ожидается интервал Window", path=f"{path}[{position}]")
        if previous is not None and window.start < previous.start:
            raise CalendarError(
                f"интервалы должны идти по возрастанию: {window} стоит после {previous}",
                path=f"{path}[{position}]",
            )
        if previous is not None and window.start < previous.end:
            raise CalendarError(
                f"интервал {window} пересекается с {previous}", path=f"{path}[{position}]"
            )
        previous = window


def windows_on(calendar: BusinessCalendar, day: date) -> DayPlan:
    """Return the working windows of local `day`: its override, else its weekday's."""
    plan = calendar.overrides.get(day)
    return calendar.week[day.weekday()] if plan is None else plan


def add_business_time(calendar: BusinessCalendar, start: datetime, duration: timedelta) -> datetime:
    """Return the instant when `duration` of working time has passed after `start`.

    A zero duration returns `start` itself (in the calendar's zone), even outside
    working hours; a positive one that is used up exactly at the end of a window
    returns that end, not the start of the next window.
    """
    start_micros = _instant(start, "start")
    if duration < timedelta(0):
        raise CalendarError(f"длительность не может быть отрицательной: {duration}")
    zone = calendar.zone
    amount = duration // MICROSECOND
    if amount == 0:
        return from_micros(start_micros, zone)

    def finish(timeline: Timeline) -> int | None:
        return timeline.instant_after_work(timeline.worked_until(start_micros) + amount)

    return from_micros(_search_forward(calendar, start_micros, finish), zone)


def business_time_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    """Return the working time in [start, end); zero when `end` is not after `start`."""
    start_micros = _instant(start, "start")
    end_micros = _instant(end, "end")
    if end_micros <= start_micros:
        return timedelta(0)
    timeline = calendar._timeline
    if timeline is None or not timeline.covers(start_micros, end_micros):
        zone = calendar.zone
        timeline = _timeline_covering(
            calendar, local_day(start_micros, zone), local_day(end_micros, zone) + _DAY_MARGIN
        )
    worked = timeline.worked_until(end_micros) - timeline.worked_until(start_micros)
    return timedelta(microseconds=worked)


def is_working_time(calendar: BusinessCalendar, at: datetime) -> bool:
    """Tell whether `at` falls inside a working window."""
    micros = _instant(at, "at")
    timeline = calendar._timeline
    if timeline is None or not timeline.covers(micros, micros):
        day = local_day(micros, calendar.zone)
        timeline = _timeline_covering(calendar, day, day + _DAY_MARGIN)
    return timeline.is_working(micros)


def next_working_instant(calendar: BusinessCalendar, at: datetime) -> datetime:
    """Return `at` if it is working time, else the start of the next working window."""
    micros = _instant(at, "at")
    found = _search_forward(calendar, micros, lambda timeline: timeline.first_working_from(micros))
    return from_micros(found, calendar.zone)


def _instant(moment: datetime, name: str) -> int:
    """Return an aware datetime as epoch microseconds; reject naive ones."""
    if moment.utcoffset() is None:
        raise CalendarError(f"{name}: нужна дата-время с часовым поясом, получена {moment}")
    return to_micros(moment)


def _search_forward(
    calendar: BusinessCalendar, start: int, answer: Callable[[Timeline], int | None]
) -> int:
    """Return `answer` on timelines reaching ever further after `start` until it has one.

    Reuses the cached timeline when it already holds the answer; otherwise doubles the
    span searched. Gives up with CalendarError after NO_WORK_HORIZON of days without
    any working time, since more days will not help a calendar that has stopped working.
    """
    timeline = calendar._timeline
    if timeline is not None and timeline.covers(start, start):
        found = answer(timeline)
        if found is not None:
            return found
    zone = calendar.zone
    first_day = local_day(start, zone)
    searched_until, searched_until_day = start, first_day
    span = _FIRST_SEARCH_SPAN
    while True:
        try:
            timeline = _timeline_covering(calendar, first_day, first_day + span)
        except OverflowError:
            raise CalendarError(
                f"рабочее время после {from_micros(start, zone)} не найдено до конца дат"
            ) from None
        found = answer(timeline)
        if found is not None:
            return found
        no_work_since_last_look = timeline.total == timeline.worked_until(searched_until)
        if no_work_since_last_look and timeline.end_day - searched_until_day >= NO_WORK_HORIZON:
            raise CalendarError(
                f"в календаре нет рабочего времени с {searched_until_day.isoformat()} "
                f"по {timeline.end_day.isoformat()}"
            )
        searched_until, searched_until_day = timeline.end_instant, timeline.end_day
        span = 2 * (timeline.end_day - first_day)


def _timeline_covering(calendar: BusinessCalendar, first_day: date, end_day: date) -> Timeline:
    """Return a timeline holding the local days [first_day, end_day).

    The calendar's cached timeline is widened to whole years that include the request,
    as long as it stays within MAX_CACHED_YEARS; beyond that the request gets a
    timeline of its own that is not kept. The cache is replaced, never mutated, so
    a reader on another thread always sees a complete timeline.
    """
    cached = calendar._timeline
    if cached is not None and cached.first_day <= first_day and end_day <= cached.end_day:
        return cached
    wanted_first = first_day if cached is None else min(first_day, cached.first_day)
    wanted_end = end_day if cached is None else max(end_day, cached.end_day)
    year_first = date(wanted_first.year, 1, 1)
    year_end = (
        wanted_end if wanted_end == date(wanted_end.year, 1, 1) else _next_new_year(wanted_end)
    )
    day_windows = _day_windows(calendar)
    if year_end.year - year_first.year > MAX_CACHED_YEARS:
        return build_timeline(calendar.zone, day_windows, first_day, end_day)
    timeline = build_timeline(calendar.zone, day_windows, year_first, year_end)
    object.__setattr__(calendar, "_timeline", timeline)
    return timeline


def _next_new_year(day: date) -> date:
    """Return 1 January after `day`, or `day` itself when there is no next year."""
    return date(day.year + 1, 1, 1) if day.year < date.max.year else day


def _day_windows(calendar: BusinessCalendar) -> Callable[[date], Iterable[tuple[int, int]]]:
    """Return a function giving the (start, end) seconds of each day's windows."""

    def seconds_on(day: date) -> Iterable[tuple[int, int]]:
        return [(window.start, window.end) for window in windows_on(calendar, day)]

    return seconds_on
