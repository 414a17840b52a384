"""Measure the queue and ticket pages at 100,000 tickets on PostgreSQL under a bounded load.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sd_bench_web .venv/bin/python bench/web.py

The database named in DATABASE_URL is the bench's own: it is created if missing, migrated,
loaded with the Plas-Tek configuration and the demo people, and filled with tickets (with
their events and some replies) by bulk inserts until it holds --tickets of them. The script
then starts gunicorn (2 workers, a free loopback port), signs in --clients staff sessions,
lets them open queue pages and ticket pages for --duration seconds, and prints p50/p95.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

BATCH = 5_000
STAFF_LOGINS = ("sql", "sql2", "sd", "sd2", "manager", "head", "sysadmin")
QUEUES = (
    "mine",
    "unassigned",
    "all",
    "pending_requester",
    "all&service=incident",
    "all&client=mega&q=касса",
    "all&status=open",
    "all&ordering=-updated_at",
)
# A year of history: most tickets are closed, a few hundred to a few thousand are open.
STATES = (
    ("new", 15),
    ("open", 20),
    ("pending_requester", 10),
    ("pending_development", 5),
    ("resolved", 30),
    ("closed", 880),
    ("cancelled", 40),
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=2)
    return parser.parse_args()


def prepare_environment(data_dir: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database dedicated to this bench.")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "servicedesk.config.settings",
            "SECRET_KEY": "bench-only-not-secret",
            "DEBUG": "0",
            "HTTPS": "0",
            "LOG_JSON": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATA_DIR": str(data_dir),
        }
    )
    return url


def create_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def setup_django() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    from servicedesk.core.demo import load_demo
    from servicedesk.core.setup import load_plastek_configuration

    load_plastek_configuration()
    load_demo(ticket_count=0)  # people, clients, outlets, contacts; no tickets


def generate_tickets(total: int) -> None:
    """Insert tickets (with CREATED/STATUS/ASSIGNED events and some replies) up to `total`."""
    from django.db import connection, transaction

    from servicedesk.accounts.models import Client, Contact, User
    from servicedesk.accounts.roles import Role
    from servicedesk.catalog.models import Service
    from servicedesk.core import clock
    from servicedesk.core.demo import SUBJECTS
    from servicedesk.tickets.models import Comment, Ticket, TicketEvent, TicketStatus
    from servicedesk.tickets.numbers import SEQUENCE_NAME

    have = Ticket.objects.count()
    if have >= total:
        print(f"{have} tickets already there")
        return
    rng = random.Random(have)
    staff = list(User.objects.filter(client__isnull=True, username__in=STAFF_LOGINS))
    clients = list(Client.objects.prefetch_related("outlets"))
    contacts: dict[int, list[Contact]] = defaultdict(list)
    for contact in Contact.objects.all():
        contacts[contact.client_id or 0].append(contact)
    services = {s.code: s for s in Service.objects.select_related("sla_level")}
    statuses = {s.code: s for s in TicketStatus.objects.all()}
    weighted = [code for code, weight in STATES for _ in range(weight)]
    number = (Ticket.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    now = clock.now()
    started = time.perf_counter()
    while have < total:
        size = min(BATCH, total - have)
        tickets, events, comments = [], [], []
        for _ in range(size):
            client = rng.choice(clients)
            code = rng.choice(list(SUBJECTS))
            service = services.get(code)
            status = statuses[rng.choice(weighted)]
            at = now - timedelta(minutes=rng.randint(10, 365 * 24 * 60))
            assignee = rng.choice(staff) if status.code != "new" else None
            outlets = list(client.outlets.all())
            requester = rng.choice(contacts[client.pk]) if contacts[client.pk] else None
            tickets.append(
                Ticket(
                    number=number,
                    subject=rng.choice(SUBJECTS[code]),
                    description="Сгенерировано для замера.",
                    client=client,
                    outlet=rng.choice(outlets) if outlets else None,
                    requester=requester,
                    channel=rng.choice(["phone", "email", "portal", "api"]),
                    service=service,
                    line=service.default_line if service else "L2",
                    sla_level=service.sla_level if service else None,
                    status=status,
                    status_category=status.category,
                    assignee=assignee,
                    role_queue="" if assignee else rng.choice([r.value for r in Role]),
                    created_at=at,
                    updated_at=at + timedelta(hours=1),
                    resolved_at=at + timedelta(hours=5)
                    if status.category in ("resolved", "closed")
                    else None,
                )
            )
            number += 1
        with transaction.atomic():
            Ticket.objects.bulk_create(tickets, batch_size=BATCH)
            for ticket in tickets:
                events.append(
                    TicketEvent(
                        ticket=ticket,
                        type="created",
                        actor_label="Замер",
                        created_at=ticket.created_at,
                        data={"subject": ticket.subject, "status": "new"},
                    )
                )
                if ticket.status_category != "new":
                    later = ticket.created_at + timedelta(minutes=30)
                    events.append(
                        TicketEvent(
                            ticket=ticket,
                            type="assigned",
                            actor=ticket.assignee,
                            actor_label="Замер",
                            created_at=later,
                            data={
                                "assignee": {
                                    "old": None,
                                    "new": ticket.assignee.username if ticket.assignee else None,
                                },
                                "role_queue": {"old": "", "new": ""},
                            },
                        )
                    )
                    events.append(
                        TicketEvent(
                            ticket=ticket,
                            type="status_changed",
                            actor=ticket.assignee,
                            actor_label="Замер",
                            created_at=later,
                            data={"status": {"old": "new", "new": ticket.status.code}},
                        )
                    )
                if rng.random() < 0.4:
                    comments.append(
                        Comment(
                            ticket=ticket,
                            author=ticket.assignee,
                            body="Здравствуйте! Проверяем, ответим сегодня.",
                            is_public=True,
                            channel="portal",
                            created_at=ticket.created_at + timedelta(hours=1),
                        )
                    )
            Comment.objects.bulk_create(comments, batch_size=BATCH)
            events.extend(
                TicketEvent(
                    ticket=c.ticket,
                    type="commented",
                    actor=c.author,
                    actor_label="Замер",
                    created_at=c.created_at,
                    data={"public": True},
                    comment=c,
                )
                for c in comments
            )
            TicketEvent.objects.bulk_create(events, batch_size=BATCH)
        have += size
        print(f"  {have:>7} tickets ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(%s, %s)", [SEQUENCE_NAME, number - 1])
        cursor.execute("VACUUM ANALYZE")  # what autovacuum would have done by now


def add_clocks() -> None:
    """Give every ticket without clocks a reaction and a resolution clock (SQL, idempotent).

    Running for work in progress (due and warning instants from creation), paused while
    waiting on the requester, stopped for finished tickets, like the SLA app leaves them.
    """
    from django.db import connection

    from servicedesk.calendars.models import Calendar

    calendar = Calendar.objects.get(code="msk-5-2").pk
    with connection.cursor() as cursor:
        for target, hours in (("reaction", 4), ("resolution", 24)):
            cursor.execute(
                """
                INSERT INTO sla_slaclock (ticket_id, target, calendar_id, state, target_seconds,
                    elapsed_seconds, elapsed_at, due_at, warn_at, breached_at, stopped_at,
                    next_escalation_at)
                SELECT t.id, %(target)s, %(calendar)s,
                       CASE WHEN t.status_category IN ('new', 'open', 'pending_development')
                            THEN 'running'
                            WHEN t.status_category = 'pending_requester' THEN 'paused'
                            ELSE 'stopped' END,
                       %(seconds)s, 0, t.created_at,
                       CASE WHEN t.status_category IN ('new', 'open', 'pending_development')
                            THEN t.created_at + %(hours)s * interval '1 hour' END,
                       CASE WHEN t.status_category IN ('new', 'open', 'pending_development')
                            THEN t.created_at + %(hours)s * interval '45 minutes' END,
                       NULL,
                       CASE WHEN t.status_category IN ('resolved', 'closed', 'cancelled')
                            THEN t.created_at + interval '2 hours' END,
                       NULL
                FROM tickets_ticket t
                WHERE NOT EXISTS (SELECT 1 FROM sla_slaclock c
                                  WHERE c.ticket_id = t.id AND c.target = %(target)s)
                """,
                {"target": target, "calendar": calendar, "seconds": hours * 3600, "hours": hours},
            )
        cursor.execute("VACUUM ANALYZE")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "servicedesk.config.wsgi:application",
        "--pythonpath",
        str(REPO / "src"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--no-control-socket",
        "--timeout",
        "60",
    ]
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    sys.exit(
        "gunicorn did not start: " + (process.stderr.read() if process.stderr else b"").decode()
    )


def signed_in(base: str, username: str) -> Any:
    import logging

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)

    from servicedesk.core.demo import DEMO_PASSWORD

    client = httpx.Client(base_url=base, timeout=30, follow_redirects=False)
    client.get("/login/")
    token = client.cookies["csrftoken"]
    answer = client.post(
        "/login/",
        data={"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/login/"},
    )
    if answer.status_code != 302:
        sys.exit(f"could not sign in as {username}: HTTP {answer.status_code}")
    return client


def run_load(
    base: str, clients: int, duration: float, warmup: float, numbers: list[int]
) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    start = time.monotonic()
    measure_from, stop_at = start + warmup, start + warmup + duration

    def worker(index: int) -> None:
        rng = random.Random(index)
        session = signed_in(base, STAFF_LOGINS[index % len(STAFF_LOGINS)])
        turn = 0
        while (now := time.monotonic()) < stop_at:
            turn += 1
            if turn % 2:
                kind, path = "queue", f"/tickets/?queue={rng.choice(QUEUES)}"
            else:
                kind, path = "ticket", f"/tickets/{rng.choice(numbers)}/"
            for name, url in ((kind, path), ("counts", "/queues/counts/")):
                # Like the browser: each page is followed by the sidebar's counts request.
                began = time.perf_counter()
                response = session.get(url)
                elapsed = (time.perf_counter() - began) * 1000
                if now >= measure_from:
                    with lock:
                        if response.status_code == 200:
                            timings[name].append(elapsed)
                        else:
                            errors[name] += 1
        session.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for kind, count in errors.items():
        timings[f"{kind} errors"] = [float(count)]
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(label: str, timings: dict[str, list[float]], duration: float) -> None:
    for kind in ("queue", "ticket", "counts"):
        values = timings.get(kind, [])
        if not values:
            print(f"{kind:<7} {label:<10} {'no successful requests':>30}")
            continue
        print(
            f"{kind:<7} {label:<10} {len(values):>9} {len(values) / duration:>7.1f} "
            f"{statistics.median(values):>8.1f} {percentile(values, 0.95):>8.1f} "
            f"{max(values):>8.1f}"
        )
    for kind, value in timings.items():
        if kind.endswith("errors"):
            print(f"  {label}: {kind}: {int(value[0])}")


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="sd-bench-web-") as data_dir:
        url = prepare_environment(Path(data_dir))
        create_database(url)
        setup_django()
        generate_tickets(args.tickets)
        add_clocks()
        from servicedesk.tickets.models import Ticket

        numbers = list(Ticket.objects.order_by("?").values_list("number", flat=True)[:2000])
        total = Ticket.objects.count()
        port = free_port()
        server = start_gunicorn(port, args.workers)
        base = f"http://127.0.0.1:{port}"
        load_before = os.getloadavg()[0]
        try:
            alone = run_load(base, 1, args.duration / 3, args.warmup, numbers)
            loaded = run_load(base, args.clients, args.duration, args.warmup, numbers)
        finally:
            server.terminate()
            server.wait(timeout=30)
        load_after = os.getloadavg()[0]
    print(
        f"\n{total} tickets, PostgreSQL, gunicorn {args.workers} workers, loopback; "
        f"{os.cpu_count()} CPUs, load average {load_before:.1f} before, {load_after:.1f} after"
    )
    print(
        f"{'page':<7} {'clients':<10} {'requests':>9} {'req/s':>7} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'max ms':>8}"
    )
    report("1", alone, args.duration / 3)
    report(str(args.clients), loaded, args.duration)


if __name__ == "__main__":
    main()
