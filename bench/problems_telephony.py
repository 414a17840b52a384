"""Bench of same-cause suggestions and of the call-event pipeline.

Usage:  .venv/bin/python bench/problems_telephony.py [--tickets 2000] [--calls 300]
        [--database-url postgres://postgres@127.0.0.1:5432/sd_bench_problems]
Without --database-url it uses a fresh SQLite file in a temporary directory. It builds
its own data (never touches the development database) and prints one table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def setup_django(database_url: str | None, data_dir: str) -> None:
    os.environ["DATA_DIR"] = data_dir
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{data_dir}/bench.sqlite3"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("HTTPS", "0")
    os.environ.setdefault("LOG_JSON", "0")
    os.environ["DJANGO_SETTINGS_MODULE"] = "servicedesk.config.settings"
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    import logging

    logging.disable(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from servicedesk.core.setup import load_plastek_configuration

    load_plastek_configuration()


WORDS = [
    "касса",
    "баллы",
    "карта",
    "начисление",
    "списание",
    "процессинг",
    "акция",
    "отчёт",
    "выгрузка",
    "подарок",
    "скидка",
    "личный",
    "кабинет",
    "мобильное",
    "приложение",
    "регистрация",
    "активация",
    "ошибка",
    "не",
    "работает",
    "не",
    "проходит",
    "чек",
    "покупка",
    "возврат",
    "гость",
    "точка",
    "студия",
    "рассылка",
    "сегмент",
]


def fill(tickets: int) -> tuple[object, list[object]]:
    import random

    from servicedesk.accounts.models import Client, Contract, Outlet
    from servicedesk.catalog.models import Service
    from servicedesk.core import clock
    from servicedesk.tickets.models import Ticket, TicketStatus

    rng = random.Random(7)
    now = clock.now()
    clients = []
    for n in range(5):
        client, _ = Client.objects.get_or_create(code=f"bench{n}", defaults={"name": f"Сеть {n}"})
        Contract.objects.get_or_create(client=client)
        clients.append(client)
    outlets = [
        Outlet.objects.get_or_create(
            client=c, code=f"B{c.pk}-{i}", defaults={"name": f"Точка {i}"}
        )[0]
        for c in clients
        for i in range(10)
    ]
    services = list(Service.objects.all())
    status = TicketStatus.objects.get(code="open")
    Ticket.objects.filter(client__in=clients).delete()
    start = (Ticket.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    rows = []
    for i in range(tickets):
        outlet = rng.choice(outlets)
        created = now - timedelta(minutes=rng.randrange(0, 6 * 60))
        rows.append(
            Ticket(
                number=start + i,
                subject=" ".join(rng.sample(WORDS, 4)),
                description=" ".join(rng.choices(WORDS, k=25)),
                client=outlet.client,
                outlet=outlet,
                service=rng.choice(services),
                channel="phone",
                line="L2",
                status=status,
                status_category="open",
                created_at=created,
                updated_at=created,
            )
        )
    Ticket.objects.bulk_create(rows, batch_size=500)
    return rows[0], rows


def timed(fn, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def row(name: str, n: int, samples: list[float], unit_count: int = 1) -> tuple[str, ...]:
    p50 = statistics.median(samples)
    p95 = statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)
    per_second = unit_count / (sum(samples) / 1000 / len(samples))
    return (name, str(n), f"{p50:.1f}", f"{p95:.1f}", f"{per_second:,.0f}".replace(",", " "))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=2000)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        setup_django(args.database_url, data_dir)
        from django.db import connection

        from servicedesk.core import clock
        from servicedesk.problems.domain.similarity import TicketSketch, rank_similar
        from servicedesk.problems.selectors import similar_open_tickets
        from servicedesk.telephony.domain.calls import CallEventData, CallEventKind, Direction
        from servicedesk.telephony.services import call_event_receive
        from servicedesk.tickets.models import Ticket

        target, rows = fill(args.tickets)
        target = Ticket.objects.get(number=target.number)
        results = []
        results.append(
            row(
                "similar_open_tickets (≤500 кандидатов)",
                args.tickets,
                timed(lambda: similar_open_tickets(target), 30),
            )
        )
        sketches = [
            TicketSketch.of(
                i, t.client_id, t.outlet_id, t.service_id, f"{t.subject}\n{t.description}"
            )
            for i, t in enumerate(rows[:500])
        ]
        results.append(
            row(
                "rank_similar, чистая функция",
                500,
                timed(lambda: rank_similar(sketches[0], sketches, limit=10), 30),
            )
        )

        now = clock.now()
        run = uuid.uuid4().hex[:8]  # fresh call ids: a reused bench database has old calls

        def deliver(kind: CallEventKind, index: int) -> None:
            call_event_receive(
                event=CallEventData(
                    call_id=f"bench-{run}-{index}",
                    kind=kind,
                    at=now,
                    from_number=f"+7916{index:07d}",
                    to_number="88003333236",
                    direction=Direction.IN,
                    extension="106",
                )
            )

        def calls(kinds: tuple[CallEventKind, ...]) -> list[float]:
            samples = []
            for index in range(args.calls):
                for kind in kinds:
                    started = time.perf_counter()
                    deliver(kind, index)
                    samples.append((time.perf_counter() - started) * 1000)
            return samples

        kinds = (CallEventKind.NEW_CALL, CallEventKind.ANSWER, CallEventKind.HANGUP)
        results.append(row("событие звонка (новое)", args.calls * 3, calls(kinds)))
        results.append(row("событие звонка (повтор)", args.calls * 3, calls(kinds)))

        header = ("сценарий", "n", "p50, мс", "p95, мс", "в секунду")
        widths = [max(len(r[i]) for r in [header, *results]) for i in range(len(header))]
        print(f"База: {connection.vendor}, тикетов в окне: {args.tickets}, звонков: {args.calls}")
        for line in [header, *results]:
            print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))


if __name__ == "__main__":
    main()
