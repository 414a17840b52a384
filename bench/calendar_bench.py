"""Time business-time arithmetic on the 5/2 МСК calendar for 2025–2027.

Run: `.venv/bin/python bench/calendar_bench.py [calls]`. Prints µs per call (mean and
p95) for `add_business_time` and `business_time_between` with spans from an hour to
a year, warm cache, and the first call on a fresh calendar (which lays out the
timeline) separately. Target: ≤ 50 µs per warm call.
"""

from __future__ import annotations

import dataclasses
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from servicedesk.calendars.domain.business_time import (
    BusinessCalendar,
    add_business_time,
    business_time_between,
)
from servicedesk.calendars.domain.production import five_two_moscow

MOSCOW = ZoneInfo("Europe/Moscow")
FIRST_START = datetime(2025, 1, 1, tzinfo=MOSCOW)
START_RANGE_SECONDS = int(timedelta(days=730).total_seconds())
# (label, wall-clock span for `between`, working time for `add` of about that span:
# a 5/2 week is 45 h, a month about 20 days of 9 h, the 2026 year 2219 h).
SPANS = (
    ("1 hour", timedelta(hours=1), timedelta(hours=1)),
    ("1 week", timedelta(days=7), timedelta(hours=45)),
    ("1 month", timedelta(days=30), timedelta(hours=180)),
    ("1 year", timedelta(days=365), timedelta(hours=2219)),
)


def random_starts(count: int, seed: int) -> list[datetime]:
    """Return `count` random instants in 2025–2026, to the microsecond."""
    generator = random.Random(seed)
    return [
        FIRST_START
        + timedelta(
            seconds=generator.randrange(START_RANGE_SECONDS),
            microseconds=generator.randrange(1_000_000),
        )
        for _ in range(count)
    ]


def timed_calls(call: Callable[[datetime], object], starts: list[datetime]) -> list[float]:
    """Return the µs each call took, one per start."""
    elapsed: list[float] = []
    for start in starts:
        began = time.perf_counter_ns()
        call(start)
        elapsed.append((time.perf_counter_ns() - began) / 1000)
    return elapsed


def operations(
    calendar: BusinessCalendar, between_span: timedelta, add_span: timedelta
) -> dict[str, Callable[[datetime], object]]:
    """Return the two measured operations bound to a calendar and a span."""
    return {
        "add_business_time": lambda start: add_business_time(calendar, start, add_span),
        "business_time_between": lambda start: business_time_between(
            calendar, start, start + between_span
        ),
    }


def main() -> None:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    built = time.perf_counter_ns()
    calendar = five_two_moscow([2025, 2026, 2027])
    build_ms = (time.perf_counter_ns() - built) / 1e6
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs; "
        f"five_two_moscow([2025, 2026, 2027]) built in {build_ms:.1f} ms"
    )
    header = (
        f"{'operation':<22} {'span':<8} {'calls':>7} {'mean µs':>9} {'p95 µs':>9} {'max µs':>9}"
    )
    print(header)
    print("-" * len(header))
    # Warm means warm: lay out all three years once, so no measured call widens the cache.
    business_time_between(calendar, FIRST_START, FIRST_START.replace(year=2028))
    cold_rows: list[str] = []
    seed = 0
    for label, between_span, add_span in SPANS:
        for name, call in operations(calendar, between_span, add_span).items():
            seed += 1
            fresh = dataclasses.replace(calendar)  # same calendar, empty cache
            first_start = random_starts(1, seed=1)[0]
            cold_call = operations(fresh, between_span, add_span)[name]
            cold_rows.append(
                f"{name:<22} {label:<8} {1:>7} {timed_calls(cold_call, [first_start])[0]:>9.0f}"
            )
            starts = random_starts(calls, seed=seed)
            elapsed = timed_calls(call, starts)
            p95 = statistics.quantiles(elapsed, n=20)[-1]
            print(
                f"{name:<22} {label:<8} {calls:>7} {statistics.fmean(elapsed):>9.1f} {p95:>9.1f}"
                f" {max(elapsed):>9.1f}"
            )
    print()
    print("Cold cache: first call on a fresh calendar (lays out the years it needs)")
    print(f"{'operation':<22} {'span':<8} {'calls':>7} {'µs':>9}")
    print("-" * 48)
    for row in cold_rows:
        print(row)


if __name__ == "__main__":
    main()
