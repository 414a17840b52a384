"""SLA bench: business-time µs per call, and the escalation sweep over 1,000,000 tickets.

Usage:  .venv/bin/python bench/sla.py [--tickets 1000000] [--at-threshold 10000]
Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/sd_bench).
The database is topped up to N tickets (two clocks each) by SQL once; each run arms
`--at-threshold` running clocks (1 % of N by default) with a past escalation instant and
times the sweep that processes them, plus the indexed "what is due now" query.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _setup
import calendar_bench


def business_time_rows(calls: int) -> list[tuple[str, str, float, float]]:
    from servicedesk.calendars.domain.business_time import business_time_between
    from servicedesk.calendars.domain.production import five_two_moscow

    calendar = five_two_moscow([2025, 2026, 2027])
    first = calendar_bench.FIRST_START
    business_time_between(calendar, first, first.replace(year=2028))
    rows = []
    for label, between_span, add_span in calendar_bench.SPANS:
        ops = calendar_bench.operations(calendar, between_span, add_span)
        for name, call in ops.items():
            elapsed = calendar_bench.timed_calls(call, calendar_bench.random_starts(calls, 7))
            p95 = statistics.quantiles(elapsed, n=20)[-1]
            rows.append((name, label, statistics.fmean(elapsed), p95))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--at-threshold", type=int, default=None)
    parser.add_argument("--calls", type=int, default=20_000)
    args = parser.parse_args()
    at_threshold = args.at_threshold if args.at_threshold is not None else args.tickets // 100

    url = _setup.bench_database_url()
    _setup.ensure_database(url)
    _setup.django_for(url)
    _setup.migrate_and_configure()
    filled = _setup.prefill(args.tickets)

    from django.db import connection

    from servicedesk.core import clock
    from servicedesk.sla.escalation import sla_sweep
    from servicedesk.sla.models import SlaClock

    _setup.arm_thresholds(at_threshold)
    now = clock.now()
    started = time.perf_counter()
    list(
        SlaClock.objects.filter(next_escalation_at__lte=now)
        .order_by("next_escalation_at")
        .values_list("pk", flat=True)[:1000]
    )
    query_ms = (time.perf_counter() - started) * 1000
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT id FROM sla_slaclock WHERE next_escalation_at <= now() "
            "ORDER BY next_escalation_at LIMIT 1000"
        )
        plan = cursor.fetchone()[0]

    batches: list[float] = []
    processed = notifications = 0
    total_started = time.perf_counter()
    while True:
        began = time.perf_counter()
        result = sla_sweep(now=clock.now(), batch=1000)
        if result.clocks == 0:
            break
        batches.append(time.perf_counter() - began)
        processed += result.clocks
        notifications += result.notifications
    total = time.perf_counter() - total_started

    tickets = SlaClock.objects.values("ticket_id").distinct().count()
    print(
        f"\nSLA bench on PostgreSQL: {tickets:,} tickets, {SlaClock.objects.count():,} clocks "
        f"(prefill {filled:.1f} s)"
    )
    print(f"{'operation':<22} {'span':<8} {'mean µs':>9} {'p95 µs':>9}")
    for name, label, mean, p95 in business_time_rows(args.calls):
        print(f"{name:<22} {label:<8} {mean:>9.1f} {p95:>9.1f}")
    print()
    print(f"{'sweep':<44} {'value':>12}")
    print(f"{'due-now query (first 1000 ids), ms':<44} {query_ms:>12.1f}")
    print(f"{'  plan':<44} {plan[:60]}")
    print(f"{'clocks at a threshold processed':<44} {processed:>12,}")
    print(f"{'notifications created':<44} {notifications:>12,}")
    print(f"{'whole sweep, s':<44} {total:>12.2f}")
    if batches:
        print(f"{'per batch of 1000 clocks, s (mean)':<44} {statistics.fmean(batches):>12.2f}")
        print(f"{'per clock, ms':<44} {total / max(processed, 1) * 1000:>12.2f}")


if __name__ == "__main__":
    main()
