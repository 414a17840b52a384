"""Shared bench set-up: a dedicated PostgreSQL database filled fast with SQL.

Benches never touch the development database: they create (or reuse) their own,
`sd_bench` by default, given as BENCH_DATABASE_URL.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/sd_bench"


def bench_database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def ensure_database(url: str) -> None:
    """Create the bench database if it does not exist."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def django_for(url: str) -> None:
    """Point this process's Django at the bench database and set it up."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("HTTPS", "0")
    os.environ.setdefault("LOG_JSON", "0")
    os.environ["DJANGO_SETTINGS_MODULE"] = "servicedesk.config.settings"
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()


def migrate_and_configure() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_plastek", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from servicedesk.core.demo import load_demo

    load_demo(ticket_count=0)


def ticket_count() -> int:
    from servicedesk.tickets.models import Ticket

    return Ticket.objects.count()


def prefill(total: int) -> float:
    """Top the database up to `total` tickets with two SLA clocks each, by SQL; return seconds."""
    from django.db import connection

    from servicedesk.accounts.models import Client, User
    from servicedesk.calendars.models import Calendar
    from servicedesk.catalog.models import Service
    from servicedesk.tickets.models import TicketStatus

    have = ticket_count()
    if have >= total:
        return 0.0
    started = time.perf_counter()
    clients = list(Client.objects.values_list("pk", flat=True))
    services = list(Service.objects.select_related("sla_level").order_by("pk"))
    service_ids = [s.pk for s in services]
    level_ids = [s.sla_level_id or 2 for s in services]
    statuses = list(TicketStatus.objects.order_by("order").values_list("pk", "category"))
    staff = list(User.objects.filter(client__isnull=True).values_list("pk", flat=True))
    calendar = Calendar.objects.get(code="msk-5-2").pk
    first = have + 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(number), 0) FROM tickets_ticket")
        base = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO tickets_ticket (number, subject, description, client_id, channel,
                service_id, line, line_not_in_contract, sla_level_id, priority_raised, status_id,
                status_category, assignee_id, role_queue, created_at, updated_at, version,
                public_token, suggested_services)
            SELECT %(base)s + g,
                   'Обращение №' || g || ': не начислились баллы на кассе',
                   'Описание обращения номер ' || g,
                   (%(clients)s::bigint[])[1 + g %% %(n_clients)s],
                   (ARRAY['phone','email','portal','api'])[1 + g %% 4],
                   (%(services)s::bigint[])[1 + g %% %(n_services)s],
                   'L2', false,
                   (%(levels)s::bigint[])[1 + g %% %(n_services)s],
                   false,
                   (%(statuses)s::bigint[])[1 + g %% %(n_statuses)s],
                   (%(categories)s::text[])[1 + g %% %(n_statuses)s],
                   CASE WHEN g %% 3 = 0 THEN NULL
                        ELSE (%(staff)s::bigint[])[1 + g %% %(n_staff)s] END,
                   '',
                   now() - ((%(total)s - g) * interval '40 seconds'),
                   now() - ((%(total)s - g) * interval '40 seconds'),
                   1,
                   md5(g::text || clock_timestamp()::text),
                   '[]'::jsonb
            FROM generate_series(%(first)s, %(total)s) AS g
            """,
            {
                "base": base - first + 1,
                "clients": clients,
                "n_clients": len(clients),
                "services": service_ids,
                "levels": level_ids,
                "n_services": len(service_ids),
                "statuses": [pk for pk, _ in statuses],
                "categories": [category for _, category in statuses],
                "n_statuses": len(statuses),
                "staff": staff,
                "n_staff": len(staff),
                "first": first,
                "total": total,
            },
        )
        for target, hours in (("reaction", 4), ("resolution", 24)):
            cursor.execute(
                """
                INSERT INTO sla_slaclock (ticket_id, target, calendar_id, state, target_seconds,
                    elapsed_seconds, elapsed_at, due_at, warn_at, breached_at, stopped_at,
                    next_escalation_at)
                SELECT t.id, %(target)s::varchar, %(calendar)s::bigint,
                       CASE WHEN t.status_category IN ('new','open','pending_development')
                            THEN 'running'
                            WHEN t.status_category = 'pending_requester' THEN 'paused'
                            ELSE 'stopped' END,
                       %(seconds)s::integer, 0, t.created_at,
                       CASE WHEN t.status_category IN ('new','open','pending_development')
                            THEN t.created_at + %(hours)s::integer * interval '1 hour' END,
                       CASE WHEN t.status_category IN ('new','open','pending_development')
                            THEN t.created_at + %(hours)s::integer * interval '45 minutes' END,
                       NULL,
                       CASE WHEN t.status_category IN ('resolved','closed','cancelled')
                            THEN t.created_at + interval '2 hours' END,
                       NULL
                FROM tickets_ticket t
                WHERE NOT EXISTS (SELECT 1 FROM sla_slaclock c
                                  WHERE c.ticket_id = t.id AND c.target = %(target)s::varchar)
                """,
                {"target": target, "calendar": calendar, "seconds": hours * 3600, "hours": hours},
            )
        cursor.execute(
            "SELECT setval('tickets_ticket_number_seq', (SELECT MAX(number) FROM tickets_ticket))"
        )
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def arm_thresholds(count: int) -> None:
    """Give `count` running resolution clocks a record and a past next-escalation instant.

    Each run picks clocks that have no record yet, so the sweep always has `count` clocks
    of fresh work, like a burst of tickets all reaching 75 % in the same minute.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH chosen AS (
                SELECT c.id FROM sla_slaclock c
                WHERE c.target = 'resolution' AND c.state = 'running'
                  AND NOT EXISTS (SELECT 1 FROM sla_slaclockentry e WHERE e.clock_id = c.id)
                ORDER BY c.id LIMIT %(limit)s
            ), entries AS (
                INSERT INTO sla_slaclockentry (clock_id, kind, at, target_seconds,
                    calendar_code, reason, actor_label)
                SELECT id, 'started', now() - interval '30 days', 86400, 'msk-5-2',
                       'bench', 'bench' FROM chosen
            )
            UPDATE sla_slaclock SET next_escalation_at = now() - interval '1 minute'
            WHERE id IN (SELECT id FROM chosen)
            """,
            {"limit": count},
        )
