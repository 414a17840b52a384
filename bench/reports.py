"""Time the monthly SLA and billing reports over a million tickets on PostgreSQL.

Run: `.venv/bin/python bench/reports.py [--tickets 1000000] [--keep] [--reuse]`
(server: `DATABASE_URL`'s, else postgres://postgres@127.0.0.1:5432). The script creates
a dedicated database `sd_bench_reports`, migrates it, loads the Plas-Tek configuration,
then generates with plain SQL (INSERT … SELECT generate_series): 30 clients (every
other one with L1), N tickets over 24 months (2025-01 … 2026-12, Moscow time) in every
status, their SLA clocks (reaction, resolution, acknowledgement for L1 clients; about
one in eight late), a work log on every third ticket and its billing posting. It then
runs each report for January 2026 (about N/24 tickets) several times and prints the
median and the slowest run, plus the number of SQL queries. The database is dropped at
the end unless `--keep`; `--reuse` skips generation when it is already there.
Target: ≤ 2 s per monthly SLA and billing report.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

DB_NAME = "sd_bench_reports"
MSK = ZoneInfo("Europe/Moscow")
CLIENTS = 30
STAFF = 12
MONTH = "2026-01"
NOW = datetime(2026, 2, 10, 12, 0, tzinfo=MSK)


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        return url.rsplit("/", 1)[0]
    return "postgres://postgres@127.0.0.1:5432"


def admin(sql: str) -> None:
    with psycopg.connect(server_url() + "/postgres", autocommit=True) as connection:
        connection.execute(sql)


def database_exists() -> bool:
    with psycopg.connect(server_url() + "/postgres", autocommit=True) as connection:
        row = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]
        ).fetchone()
    return row is not None


def setup_django() -> None:
    os.environ["DATABASE_URL"] = f"{server_url()}/{DB_NAME}"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("HTTPS", "0")
    os.environ.setdefault("LOG_JSON", "0")
    os.environ["DJANGO_SETTINGS_MODULE"] = "servicedesk.config.settings"
    import django

    django.setup()


def step(label: str, action: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = action()
    print(f"  {label:<52} {time.perf_counter() - started:7.1f} s", flush=True)
    return result


def generate(tickets: int) -> None:
    from decimal import Decimal

    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    from servicedesk.accounts.models import Client, Contract, User
    from servicedesk.accounts.roles import Role
    from servicedesk.calendars.models import Calendar
    from servicedesk.catalog.models import Service
    from servicedesk.core.setup import load_plastek_configuration
    from servicedesk.tickets.models import TicketStatus

    step("migrate", lambda: call_command("migrate", verbosity=0))
    step("load_plastek", load_plastek_configuration)

    def people() -> None:
        for index in range(CLIENTS):
            client = Client.objects.create(code=f"bench{index:02d}", name=f"Сеть {index:02d}")
            Contract.objects.create(
                client=client,
                has_l1=index % 2 == 1,
                has_l3=True,
                consultation_hours_cap=Decimal(20 + index),
                l3_hourly_rate=Decimal(2500 + 100 * index),
            )
        roles = list(Role)
        for index in range(STAFF):
            user = User.objects.create(username=f"bench{index:02d}", last_name=f"Сотрудник {index}")
            user.groups.add(Group.objects.get(name=roles[index % len(roles)].value))

    step("clients, contracts, staff", people)
    clients = list(Client.objects.order_by("pk").values_list("pk", flat=True))
    l1_clients = list(
        Client.objects.filter(contract__has_l1=True).order_by("pk").values_list("pk", flat=True)
    )
    staff = list(
        User.objects.filter(client__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    services = list(Service.objects.select_related("sla_level").order_by("pk"))
    default_level = services[0].sla_level_id
    statuses = {s.category: s.pk for s in TicketStatus.objects.all()}
    five_two = Calendar.objects.get(code="msk-5-2").pk
    round_the_clock = Calendar.objects.get(code="24-7").pk
    consultation = next(s.pk for s in services if s.code == "consultation")
    params: dict[str, Any] = {
        "n": tickets,
        "clients": clients,
        "l1_clients": l1_clients,
        "staff": staff,
        "service_ids": [s.pk for s in services],
        "service_lines": [s.default_line for s in services],
        "service_levels": [s.sla_level_id or default_level for s in services],
        "categories": [
            "closed",
            "closed",
            "closed",
            "closed",
            "closed",
            "closed",
            "resolved",
            "resolved",
            "open",
            "new",
            "pending_requester",
            "pending_development",
            "cancelled",
            "closed",
            "closed",
            "closed",
        ],
        "status_ids": statuses,
        "consultation": consultation,
        "five_two": five_two,
        "round_the_clock": round_the_clock,
    }
    status_case = " ".join(f"WHEN '{category}' THEN {pk}" for category, pk in statuses.items())
    with connection.cursor() as cursor:
        step(
            f"{tickets:,} tickets (INSERT … SELECT generate_series)",
            lambda: cursor.execute(
                f"""
                INSERT INTO tickets_ticket (
                    number, subject, description, client_id, channel, service_id, line,
                    line_not_in_contract, sla_level_id, priority_raised, status_id,
                    status_category, assignee_id, role_queue, created_at, updated_at,
                    first_reaction_at, resolved_at, closed_at, version, public_token,
                    suggested_services)
                SELECT g, 'Обращение № ' || g, '',
                    (%(clients)s::bigint[])[1 + (g * 7) %% cardinality(%(clients)s::bigint[])],
                    (ARRAY['phone','email','portal','api'])[1 + (g * 13) %% 4],
                    (%(service_ids)s::bigint[])[si], (%(service_lines)s::text[])[si], false,
                    (%(service_levels)s::bigint[])[si], false,
                    CASE cat {status_case} END, cat,
                    CASE WHEN cat = 'new' THEN NULL
                         ELSE (%(staff)s::bigint[])[1 + g %% cardinality(%(staff)s::bigint[])] END,
                    '', created, created,
                    CASE WHEN cat IN ('new') THEN NULL ELSE created + interval '40 minutes' END,
                    CASE WHEN cat IN ('resolved', 'closed') THEN created + interval '6 hours' END,
                    CASE WHEN cat = 'closed' THEN created + interval '2 days' END,
                    1, md5('bench' || g), '[]'::jsonb
                FROM (
                    SELECT g,
                        1 + (g * 31) %% cardinality(%(service_ids)s::bigint[]) AS si,
                        (%(categories)s::text[])[1 + (g * 17) %% 16] AS cat,
                        timestamptz '2025-01-01 00:00 Europe/Moscow'
                            + (g - 1) * (interval '730 days' / %(n)s)
                            + ((g * 7919) %% 3600) * interval '1 second' AS created
                    FROM generate_series(1::bigint, %(n)s::bigint) AS g
                ) AS base
                """,
                params,
            ),
        )
        step(
            "SLA clocks: reaction and resolution",
            lambda: cursor.execute(
                """
                INSERT INTO sla_slaclock (
                    ticket_id, target, calendar_id, state, target_seconds, elapsed_seconds,
                    elapsed_at, due_at, warn_at, breached_at, stopped_at, next_escalation_at)
                SELECT t.id, k.target, %(five_two)s,
                    CASE WHEN t.status_category = 'cancelled' THEN 'cancelled'
                         WHEN t.status_category IN ('resolved', 'closed') THEN 'stopped'
                         WHEN k.target = 'reaction' AND t.first_reaction_at IS NOT NULL
                             THEN 'stopped'
                         WHEN t.status_category = 'pending_requester'
                              AND k.target = 'resolution' THEN 'paused'
                         ELSE 'running' END,
                    k.seconds,
                    CASE WHEN t.number %% 8 = 0 THEN k.seconds + 600 ELSE k.seconds / 2 END,
                    t.created_at + interval '6 hours',
                    t.created_at + k.seconds * interval '1 second',
                    t.created_at + k.seconds * interval '0.75 second',
                    CASE WHEN t.number %% 8 = 0
                         THEN t.created_at + k.seconds * interval '1 second' END,
                    CASE WHEN t.status_category IN ('resolved', 'closed')
                         THEN t.created_at + interval '6 hours' END,
                    NULL
                FROM tickets_ticket t
                CROSS JOIN (VALUES ('reaction', 14400), ('resolution', 86400)) AS k(target, seconds)
                """,
                params,
            ),
        )
        step(
            "SLA clocks: acknowledgement (clients with L1)",
            lambda: cursor.execute(
                """
                INSERT INTO sla_slaclock (
                    ticket_id, target, calendar_id, state, target_seconds, elapsed_seconds,
                    elapsed_at, due_at, warn_at, breached_at, stopped_at, next_escalation_at)
                SELECT t.id, 'acknowledgement', %(round_the_clock)s, 'stopped', 14400, 1800,
                    t.created_at + interval '30 minutes', NULL, NULL, NULL,
                    t.created_at + interval '30 minutes', NULL
                FROM tickets_ticket t
                WHERE t.client_id = ANY(%(l1_clients)s::bigint[])
                """,
                params,
            ),
        )
        step(
            "work logs on every third ticket",
            lambda: cursor.execute(
                """
                INSERT INTO worklogs_worklog (
                    ticket_id, author_id, work_date, minutes, billable, kind, line, note,
                    created_at, updated_at, excess_minutes, excess_state, over_cap_minutes)
                SELECT t.id, (%(staff)s::bigint[])[1 + t.number %% cardinality(%(staff)s::bigint[])],
                    (t.created_at AT TIME ZONE 'Europe/Moscow')::date,
                    15 + (t.number %% 12) * 15,
                    t.line = 'L3' AND t.service_id <> %(consultation)s,
                    CASE WHEN t.service_id = %(consultation)s THEN 'consultation' ELSE 'work' END,
                    t.line, '', t.created_at, t.created_at, 0, '', 0
                FROM tickets_ticket t
                WHERE t.number %% 3 = 0
                """,
                params,
            ),
        )
        step(
            "billing postings",
            lambda: cursor.execute(
                """
                INSERT INTO worklogs_worklogposting (
                    worklog_id, ticket_id, client_id, month, kind, line, billable_minutes,
                    consultation_minutes, created_at)
                SELECT w.id, w.ticket_id, t.client_id, date_trunc('month', w.work_date)::date,
                    w.kind, w.line,
                    CASE WHEN w.kind = 'work' AND w.billable THEN w.minutes ELSE 0 END,
                    CASE WHEN w.kind = 'consultation' THEN w.minutes ELSE 0 END,
                    w.created_at
                FROM worklogs_worklog w JOIN tickets_ticket t ON t.id = w.ticket_id
                WHERE w.billable OR w.kind = 'consultation'
                """
            ),
        )
        step("VACUUM ANALYZE", lambda: cursor.execute("VACUUM ANALYZE"))


def timed(runs: int, action: Callable[[], Any]) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    action()  # warm the caches (and Django's lazy imports) once
    times = []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            action()
            times.append(time.perf_counter() - started)
        queries = len(captured)
    return statistics.median(times), max(times), queries


def measure(runs: int) -> list[tuple[str, float, float, int]]:
    from django.db import transaction

    from servicedesk.accounts.models import Client, User
    from servicedesk.core import clock
    from servicedesk.reports.access import ReportKind, Scope
    from servicedesk.reports.domain.periods import Month
    from servicedesk.reports.filters import parse_filters
    from servicedesk.reports.selectors import build_report
    from servicedesk.reports.services import billing_month_close

    month_filters = parse_filters(today=date(2026, 2, 10), month=MONTH)
    by_service = parse_filters(today=date(2026, 2, 10), month=MONTH, group_by="service")
    l1_client = Client.objects.filter(contract__has_l1=True).order_by("pk").first()
    assert l1_client is not None
    one = parse_filters(today=date(2026, 2, 10), month=MONTH, client=l1_client.code)
    everyone = Scope(client_id=None)
    client_scope = Scope(client_id=l1_client.pk, client_code=l1_client.code)

    def report(kind: ReportKind, filters: Any, scope: Scope, **extra: Any) -> Callable[[], Any]:
        return lambda: build_report(kind, filters, scope, NOW, **extra)

    cases = [
        ("SLA, month, by client (head)", report(ReportKind.SLA, month_filters, everyone)),
        ("SLA, month, by service (head)", report(ReportKind.SLA, by_service, everyone)),
        (
            "SLA, month, one client (client user)",
            report(ReportKind.SLA, month_filters, client_scope),
        ),
        (
            "SLA, month, XLSX data (all breaches)",
            report(ReportKind.SLA, month_filters, everyone, full=True),
        ),
        ("Billing, month, all clients", report(ReportKind.BILLING, month_filters, everyone)),
        ("Billing, month, one client + ticket lines", report(ReportKind.BILLING, one, everyone)),
        (
            "Billing, month, all clients + all lines",
            report(ReportKind.BILLING, month_filters, everyone, full=True),
        ),
        ("Backlog now + daily flow", report(ReportKind.BACKLOG, month_filters, everyone)),
        ("Channel and category mix", report(ReportKind.MIX, month_filters, everyone)),
    ]
    results = []
    for label, action in cases:
        median, worst, queries = timed(runs, action)
        results.append((label, median, worst, queries))
        print(f"  {label:<52} {median * 1000:8.0f} ms", flush=True)
    head = User.objects.get(username="bench00")

    def close_month() -> None:
        with transaction.atomic(), clock.frozen_at(NOW):
            billing_month_close(actor=head, month=Month.parse(MONTH))
            transaction.set_rollback(True)

    median, worst, queries = timed(runs, close_month)
    results.append(("Close the month (snapshot, rolled back)", median, worst, queries))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database")
    args = parser.parse_args()

    reuse = args.reuse and database_exists()
    if not reuse:
        admin(f"DROP DATABASE IF EXISTS {DB_NAME}")
        admin(f"CREATE DATABASE {DB_NAME}")
    setup_django()
    try:
        print(f"Data set ({'reused' if reuse else 'generated'}):")
        if not reuse:
            generate(args.tickets)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM tickets_ticket")
            total = cursor.fetchone()[0]  # type: ignore[index]
            cursor.execute(
                "SELECT count(*) FROM tickets_ticket WHERE created_at >= %s AND created_at < %s",
                [datetime(2026, 1, 1, tzinfo=MSK), datetime(2026, 2, 1, tzinfo=MSK)],
            )
            in_month = cursor.fetchone()[0]  # type: ignore[index]
            cursor.execute("SELECT count(*) FROM sla_slaclock")
            clocks = cursor.fetchone()[0]  # type: ignore[index]
            cursor.execute("SELECT count(*) FROM worklogs_worklogposting")
            postings = cursor.fetchone()[0]  # type: ignore[index]
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]  # type: ignore[index]
        print(f"Timing reports for {MONTH} ({args.runs} runs each after a warm-up):")
        results = measure(args.runs)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            admin(f"DROP DATABASE IF EXISTS {DB_NAME}")
    print()
    print(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, PostgreSQL {version}"
    )
    print(
        f"Data: {total:,} tickets ({in_month:,} in {MONTH}), {clocks:,} SLA clocks, "
        f"{postings:,} billing postings, {CLIENTS} clients"
    )
    print()
    print(f"| {'report':<48} | median, ms | slowest, ms | queries | ≤ 2 s |")
    print(f"|{'-' * 50}|-----------:|------------:|--------:|:-----:|")
    for index, (label, median, worst, queries) in enumerate(results):
        ok = ("yes" if worst <= 2.0 else "NO") if index < len(results) - 1 else "n/a"
        print(
            f"| {label:<48} | {median * 1000:10.0f} | {worst * 1000:11.0f} | {queries:7d} | {ok:^5} |"
        )
    return 0 if all(worst <= 2.0 for _, _, worst, _ in results[:7]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
