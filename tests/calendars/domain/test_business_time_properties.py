"""Business-time maths checked against a naive minute-by-minute reference.

The reference knows nothing of timelines, bisects or DST gap searches. It walks UTC
minute by minute and asks one question per minute: is the latest wall time the
clock has shown so far inside a window of that wall time's day? That running
maximum is the documented DST rule in another form: a window boundary is the first
instant the clock shows that time, a repeated hour counts at its first occurrence,
a skipped hour is not there. Windows and transitions fall on whole minutes, so
each minute is wholly working or not.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servicedesk.calendars.domain.business_time import (
    BusinessCalendar,
    Window,
    add_business_time,
    business_time_between,
    is_working_time,
    next_working_instant,
)

MINUTE = timedelta(minutes=1)
# Zones chosen for their transitions: Berlin and New York (ordinary DST), Moscow
# (+4 → +3 on 2014-10-26), Sao Paulo (DST that started at midnight, so 00:00 did
# not exist, until 2019), Lord Howe (30-minute DST), Apia (skipped 2011-12-30
# entirely), Kathmandu (+05:45), St John's (went back across midnight in 2010), UTC.
ZONES = (
    "UTC",
    "Europe/Moscow",
    "Europe/Berlin",
    "America/New_York",
    "America/Sao_Paulo",
    "Australia/Lord_Howe",
    "Pacific/Apia",
    "Asia/Kathmandu",
    "America/St_Johns",
)
# (zone, local date) of clock changes, each listed in the zone it belongs to.
TRANSITIONS = (
    ("Europe/Moscow", date(2011, 3, 27)),  # +3 → +4, 02:00 skipped
    ("Europe/Moscow", date(2014, 10, 26)),  # +4 → +3, 01:00–02:00 repeated
    ("Europe/Berlin", date(2025, 3, 30)),
    ("Europe/Berlin", date(2025, 10, 26)),
    ("America/New_York", date(2025, 3, 9)),
    ("America/New_York", date(2025, 11, 2)),
    ("America/Sao_Paulo", date(2018, 11, 4)),  # 00:00–01:00 skipped: no midnight
    ("America/Sao_Paulo", date(2019, 2, 16)),  # 23:00–24:00 repeated across midnight
    ("Australia/Lord_Howe", date(2025, 4, 6)),  # 01:30–02:00 repeated
    ("Australia/Lord_Howe", date(2025, 10, 5)),  # 02:00–02:30 skipped
    ("Pacific/Apia", date(2011, 12, 30)),  # the whole day skipped
    ("Pacific/Apia", date(2014, 4, 6)),
    ("America/St_Johns", date(2010, 11, 6)),  # 00:01 → 23:01 the day before
)
# Window boundaries (minutes) near the clock changes above, drawn often so windows
# start, end and straddle inside gaps and repeated hours.
NEAR_CHANGES = (0, 1, 30, 60, 90, 100, 120, 150, 170, 180, 210, 240, 1380, 1381, 1400, 1410, 1440)
# The reference gives up after this much wall time; the property then only checks
# that the result lies beyond it.
REFERENCE_REACH = timedelta(days=30)
# The largest backward clock change among ZONES, for the reference's look-back.
LARGEST_BACKWARD_CHANGE = timedelta(hours=2)


def utc(moment: datetime) -> datetime:
    """Return `moment` in UTC.

    Compare through this: Python never calls an instant of a repeated hour equal to
    a datetime in another zone (PEP 495), even when both are the same instant.
    """
    return moment.astimezone(UTC)


def reference_windows_on(calendar: BusinessCalendar, day: date) -> tuple[Window, ...]:
    """Return a day's windows the obvious way."""
    if day in calendar.overrides:
        return calendar.overrides[day]
    return calendar.week[day.weekday()]


def reference_minutes(
    calendar: BusinessCalendar, start: datetime
) -> Iterator[tuple[datetime, bool]]:
    """Yield (minute, whether that minute is working) from minute-aligned `start` on."""
    zone = ZoneInfo(calendar.timezone)
    moment = start.astimezone(UTC)
    look_back = moment - LARGEST_BACKWARD_CHANGE
    latest_shown = look_back.astimezone(zone).replace(tzinfo=None)
    while look_back < moment:
        latest_shown = max(latest_shown, look_back.astimezone(zone).replace(tzinfo=None))
        look_back += MINUTE
    day, windows = None, ()
    while True:
        latest_shown = max(latest_shown, moment.astimezone(zone).replace(tzinfo=None))
        if latest_shown.date() != day:
            day = latest_shown.date()
            windows = reference_windows_on(calendar, day)
        second_of_day = latest_shown.hour * 3600 + latest_shown.minute * 60
        yield moment, any(window.start <= second_of_day < window.end for window in windows)
        moment += MINUTE


def reference_add(
    calendar: BusinessCalendar, start: datetime, duration: timedelta
) -> datetime | None:
    """Return start + duration of working minutes, or None past REFERENCE_REACH."""
    if not duration:
        return start
    left = duration
    for minute, working in reference_minutes(calendar, start):
        if minute - start > REFERENCE_REACH:
            return None
        if working:
            left -= MINUTE
            if not left:
                return minute + MINUTE
    raise AssertionError("unreachable")


def reference_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    """Return the working minutes in [start, end)."""
    worked = timedelta(0)
    for minute, working in reference_minutes(calendar, start):
        if minute >= end:
            return worked
        worked += MINUTE if working else timedelta(0)
    raise AssertionError("unreachable")


@st.composite
def day_plans(draw: st.DrawFn) -> tuple[Window, ...]:
    """Draw a day's minute-aligned windows: touching ones, 24:00 ends and empty days too."""
    boundary = st.one_of(st.integers(0, 1440), st.sampled_from(NEAR_CHANGES))
    edges = sorted(draw(st.lists(boundary, max_size=6)))
    return tuple(
        Window(start * 60, end * 60) for start, end in zip(edges[::2], edges[1::2]) if start < end
    )


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[BusinessCalendar, datetime]:
    """Draw a calendar with overrides around a minute-aligned start, often near a clock change."""
    if draw(st.booleans()):
        zone, change_day = draw(st.sampled_from(TRANSITIONS))
        base_day = change_day - timedelta(days=draw(st.integers(0, 2)))
    else:
        zone = draw(st.sampled_from(ZONES))
        base_day = draw(st.dates(date(2010, 1, 1), date(2027, 12, 1)))
    week = tuple(draw(day_plans()) for _ in range(7))
    if not any(week) and draw(st.booleans()):
        week = ((Window(9 * 3600, 18 * 3600),),) * 7
    override_days = draw(
        st.lists(
            st.integers(-3, 40).map(lambda offset: base_day + timedelta(days=offset)), max_size=8
        )
    )
    overrides = {day: draw(day_plans()) for day in override_days}
    calendar = BusinessCalendar(zone, week, overrides)
    start = datetime.combine(base_day, datetime.min.time(), tzinfo=UTC) + draw(
        st.integers(-1440, 4 * 1440).map(lambda minutes: minutes * MINUTE)
    )
    return calendar, start


durations = st.one_of(st.integers(0, 1440), st.integers(0, 14 * 1440)).map(
    lambda minutes: minutes * MINUTE
)
micro_offsets = st.integers(0, 21 * 86_400 * 1_000_000).map(lambda us: timedelta(microseconds=us))
reference_settings = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@reference_settings
@given(scenarios(), durations)
def test_adding_business_time_matches_the_minute_reference(
    scenario: tuple[BusinessCalendar, datetime], duration: timedelta
) -> None:
    calendar, start = scenario
    expected = reference_add(calendar, start, duration)
    if expected is None:
        try:
            result = add_business_time(calendar, start, duration)
        except ValueError:
            return  # a calendar with no working time ahead is allowed to give up
        assert result - start > REFERENCE_REACH
    else:
        assert utc(add_business_time(calendar, start, duration)) == expected


@reference_settings
@given(scenarios(), st.integers(0, 21 * 1440).map(lambda minutes: minutes * MINUTE))
def test_business_time_between_matches_the_minute_reference(
    scenario: tuple[BusinessCalendar, datetime], span: timedelta
) -> None:
    calendar, start = scenario
    end = start + span
    assert business_time_between(calendar, start, end) == reference_between(calendar, start, end)


@reference_settings
@given(scenarios(), st.integers(0, 3 * 1440).map(lambda minutes: minutes * MINUTE))
def test_working_time_and_next_working_instant_match_the_minute_reference(
    scenario: tuple[BusinessCalendar, datetime], offset: timedelta
) -> None:
    calendar, start = scenario
    at = start + offset
    minutes = reference_minutes(calendar, at)
    _, working_now = next(minutes)
    assert is_working_time(calendar, at) is working_now
    if working_now:
        assert utc(next_working_instant(calendar, at)) == at
        return
    for minute, working in minutes:
        if working:
            assert utc(next_working_instant(calendar, at)) == minute
            return
        if minute - at > REFERENCE_REACH:
            return


def _add_or_none(
    calendar: BusinessCalendar, start: datetime, duration: timedelta
) -> datetime | None:
    """Return add_business_time, or None when the calendar has no working time ahead."""
    try:
        return add_business_time(calendar, start, duration)
    except ValueError:
        return None


@settings(max_examples=200, deadline=None)
@given(scenarios(), micro_offsets, durations.map(lambda d: d + timedelta(microseconds=7)))
def test_time_between_start_and_added_result_is_the_duration_and_no_earlier_instant_has_it(
    scenario: tuple[BusinessCalendar, datetime], offset: timedelta, duration: timedelta
) -> None:
    calendar, start = scenario
    start += offset
    result = _add_or_none(calendar, start, duration)
    if result is None:
        return
    assert business_time_between(calendar, start, result) == duration
    assert business_time_between(calendar, start, result - timedelta(microseconds=1)) < duration
    assert result.tzinfo == ZoneInfo(calendar.timezone)


@settings(max_examples=200, deadline=None)
@given(scenarios(), micro_offsets, micro_offsets, micro_offsets)
def test_business_time_between_is_additive_over_consecutive_spans(
    scenario: tuple[BusinessCalendar, datetime],
    first: timedelta,
    second: timedelta,
    third: timedelta,
) -> None:
    calendar, start = scenario
    a, b, c = sorted(start + offset for offset in (first, second, third))
    assert business_time_between(calendar, a, c) == (
        business_time_between(calendar, a, b) + business_time_between(calendar, b, c)
    )
    assert business_time_between(calendar, c, a) == timedelta(0)


@settings(max_examples=200, deadline=None)
@given(scenarios(), micro_offsets, durations, durations)
def test_adding_more_business_time_never_ends_earlier(
    scenario: tuple[BusinessCalendar, datetime],
    offset: timedelta,
    one: timedelta,
    other: timedelta,
) -> None:
    calendar, start = scenario
    start += offset
    shorter, longer = sorted((one, other))
    shorter_end = _add_or_none(calendar, start, shorter)
    longer_end = _add_or_none(calendar, start, longer)
    if shorter_end is not None and longer_end is not None:
        # Compared in UTC: two datetimes of one zone compare by wall clock, which is
        # wrong inside a repeated hour (Moscow, 26 Oct 2014 01:00–02:00).
        assert start.astimezone(UTC) <= shorter_end.astimezone(UTC) <= longer_end.astimezone(UTC)
