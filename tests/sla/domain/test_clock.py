"""Replaying a clock record: properties against plain arithmetic on a 24/7 calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from servicedesk.calendars.domain.production import five_two_moscow, round_the_clock
from servicedesk.sla.domain.clock import (
    ClockEntry,
    ClockState,
    EntryKind,
    figures,
    threshold_instant,
)

ALWAYS = round_the_clock("UTC")
FIVE_TWO = five_two_moscow([2025, 2026])
CALENDARS = {"always": ALWAYS, "5/2": FIVE_TWO}
T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # Monday 09:00 Moscow


def lookup(code: str):
    return CALENDARS[code]


def start(target_hours: float, calendar: str = "always", at: datetime = T0) -> ClockEntry:
    return ClockEntry(
        EntryKind.STARTED, at, target_seconds=round(target_hours * 3600), calendar=calendar
    )


def entry(kind: EntryKind, minutes_after: int, **extra) -> ClockEntry:
    return ClockEntry(kind, T0 + timedelta(minutes=minutes_after), **extra)


# A random life of a clock: alternating pauses and resumes at increasing minutes.
lives = st.lists(st.integers(min_value=1, max_value=600), min_size=0, max_size=8)


@given(
    gaps=lives,
    target_minutes=st.integers(min_value=1, max_value=3000),
    now_after=st.integers(min_value=0, max_value=600),
)
@settings(max_examples=200)
def test_elapsed_is_the_sum_of_running_stretches_on_a_24_7_calendar(
    gaps, target_minutes, now_after
):
    entries = [start(target_minutes / 60)]
    minute, running, expected = 0, True, 0
    for gap in gaps:
        minute += gap
        if running:
            expected += gap
        entries.append(entry(EntryKind.PAUSED if running else EntryKind.RESUMED, minute))
        running = not running
    now = T0 + timedelta(minutes=minute + now_after)
    if running:
        expected += now_after
    result = figures(entries, lookup, now)
    assert result.elapsed_seconds == expected * 60
    assert result.state == (ClockState.RUNNING if running else ClockState.PAUSED)
    if running and expected < target_minutes:
        # Due = now + what is left (24/7: wall time equals working time).
        assert result.due_at == now + timedelta(minutes=target_minutes - expected)
    elif running:
        # Reached already: due is the past instant the target was crossed.
        assert result.due_at is not None
        assert result.due_at <= now
    else:
        assert result.due_at is None
    assert result.breached == (expected > target_minutes)


@given(gaps=lives, first=st.integers(1, 48), second=st.integers(1, 48))
@settings(max_examples=100)
def test_a_target_change_keeps_the_elapsed_time(gaps, first, second):
    entries = [start(first)]
    minute, running = 0, True
    for gap in gaps:
        minute += gap
        entries.append(entry(EntryKind.PAUSED if running else EntryKind.RESUMED, minute))
        running = not running
    now = T0 + timedelta(minutes=minute + 5)
    before = figures(entries, lookup, now)
    changed = [*entries, entry(EntryKind.TARGET_CHANGED, minute + 1, target_seconds=second * 3600)]
    after = figures(changed, lookup, now)
    assert after.elapsed_seconds == before.elapsed_seconds
    assert after.target_seconds == second * 3600
    assert after.remaining_seconds == second * 3600 - before.elapsed_seconds


@given(percent=st.integers(1, 200), pause_at=st.integers(1, 300), pause_for=st.integers(1, 300))
def test_threshold_instants_skip_the_paused_stretch(percent, pause_at, pause_for):
    target_minutes = 200
    entries = [
        start(target_minutes / 60),
        entry(EntryKind.PAUSED, pause_at),
        entry(EntryKind.RESUMED, pause_at + pause_for),
    ]
    now = T0 + timedelta(minutes=pause_at + pause_for)
    minutes_needed = target_minutes * percent / 100
    instant = threshold_instant(entries, percent, lookup, now)
    shift = 0 if minutes_needed <= pause_at else pause_for
    assert instant == T0 + timedelta(minutes=minutes_needed + shift)


def test_the_same_record_always_gives_the_same_figures():
    entries = [start(24, "5/2"), entry(EntryKind.PAUSED, 120), entry(EntryKind.RESUMED, 3000)]
    now = T0 + timedelta(days=3)
    assert figures(entries, lookup, now) == figures(list(reversed(entries)), lookup, now)


def test_a_stopped_clock_keeps_its_breach_instant():
    entries = [start(4, "5/2"), entry(EntryKind.STOPPED, 6 * 60)]  # stopped at 15:00 Moscow
    result = figures(entries, lookup, T0 + timedelta(days=10))
    assert result.state == ClockState.STOPPED
    assert result.elapsed_seconds == 6 * 3600
    assert result.breached_at == T0 + timedelta(hours=4)
    assert result.stopped_at == T0 + timedelta(hours=6)


def test_a_calendar_change_measures_each_stretch_on_its_own_calendar():
    # 2 h on 24/7 from Saturday 10:00 Moscow, then the rest on 5/2 (Monday 09:00 onwards).
    saturday = datetime(2026, 2, 28, 7, 0, tzinfo=UTC)
    entries = [
        start(4, "always", at=saturday),
        ClockEntry(EntryKind.CALENDAR_CHANGED, saturday + timedelta(hours=2), calendar="5/2"),
    ]
    result = figures(entries, lookup, saturday + timedelta(hours=5))
    assert result.elapsed_seconds == 2 * 3600
    assert result.due_at == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday 11:00 Moscow
