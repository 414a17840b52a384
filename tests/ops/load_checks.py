"""Invariants checked after the multi-process load test, straight in the database.

Each check takes a psycopg connection and the load's ledger (what the clients were told
succeeded) and returns a list of problems. Capabilities that add background work (SLA
sweep, mail ingestion, notifications) append their own check to `CHECKS`, e.g. "every
SLA event exactly once" or "no notification sent twice".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Ledger:
    """What the load clients did and were told succeeded."""

    run: str
    tickets: dict[str, str] = field(default_factory=dict)  # number -> subject
    comments: dict[str, list[str]] = field(default_factory=dict)  # number -> bodies
    transitions: Counter[str] = field(default_factory=Counter)  # number -> status changes
    hot: str = ""


Check = Callable[[Any, Ledger], list[str]]


def _rows(connection: Any, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def no_duplicate_or_missing_tickets(connection: Any, ledger: Ledger) -> list[str]:
    rows = _rows(
        connection,
        "SELECT number, subject FROM tickets_ticket WHERE subject LIKE %s",
        f"{ledger.run}-%",
    )
    subjects = Counter(subject for _, subject in rows)
    problems = [f"тема {s!r} записана {n} раз" for s, n in subjects.items() if n > 1]
    expected = set(ledger.tickets.values())
    if set(subjects) != expected:
        problems.append(f"обращений в базе {len(subjects)}, подтверждено клиентам {len(expected)}")
    return problems


def no_lost_or_doubled_comments(connection: Any, ledger: Ledger) -> list[str]:
    problems = []
    for number, bodies in ledger.comments.items():
        rows = _rows(
            connection,
            "SELECT c.body FROM tickets_comment c JOIN tickets_ticket t ON t.id = c.ticket_id "
            "WHERE t.number = %s",
            int(number.rsplit("-", 1)[-1]),
        )
        stored = Counter(body for (body,) in rows)
        if stored != Counter(bodies):
            problems.append(f"{number}: комментарии {dict(stored)} вместо {Counter(bodies)}")
    return problems


def every_event_exactly_once(connection: Any, ledger: Ledger) -> list[str]:
    problems = []
    rows = _rows(
        connection,
        "SELECT t.number, e.type, e.comment_id FROM tickets_ticketevent e "
        "JOIN tickets_ticket t ON t.id = e.ticket_id WHERE t.subject LIKE %s",
        f"{ledger.run}-%",
    )
    created = Counter(number for number, kind, _ in rows if kind == "created")
    commented = Counter(comment for _, kind, comment in rows if kind == "commented")
    status = Counter(number for number, kind, _ in rows if kind == "status_changed")
    for display, _ in ledger.tickets.items():
        number = int(display.rsplit("-", 1)[-1])
        if created[number] != 1:
            problems.append(f"{display}: событий «создано» {created[number]}")
        if status[number] != ledger.transitions[display]:
            problems.append(
                f"{display}: смен статуса {status[number]}, а не {ledger.transitions[display]}"
            )
    problems += [f"комментарий {c}: событий {n}" for c, n in commented.items() if n != 1]
    total_comments = sum(len(bodies) for bodies in ledger.comments.values())
    if sum(commented.values()) != total_comments:
        problems.append(f"событий комментариев {sum(commented.values())} из {total_comments}")
    return problems


def ticket_versions_count_every_change(connection: Any, ledger: Ledger) -> list[str]:
    """Optimistic locking: a ticket's version is 1 + the number of saved changes."""
    number = int(ledger.hot.rsplit("-", 1)[-1])
    [(version,)] = _rows(connection, "SELECT version FROM tickets_ticket WHERE number = %s", number)
    expected = 1 + len(ledger.comments[ledger.hot])
    return [] if version == expected else [f"{ledger.hot}: версия {version}, ожидалась {expected}"]


def _has_table(connection: Any, table: str) -> bool:
    return bool(_rows(connection, "SELECT to_regclass(%s)", table)[0][0])


def every_sla_clock_event_exactly_once(connection: Any, ledger: Ledger) -> list[str]:
    """Each load ticket has its clocks, each started once; resolved ones stopped once."""
    if not _has_table(connection, "sla_slaclock"):
        return []
    rows = _rows(
        connection,
        "SELECT t.number, c.target, e.kind, count(*) FROM sla_slaclock c "
        "JOIN tickets_ticket t ON t.id = c.ticket_id "
        "JOIN sla_slaclockentry e ON e.clock_id = c.id "
        "WHERE t.subject LIKE %s GROUP BY t.number, c.target, e.kind",
        f"{ledger.run}-%",
    )
    counts = {(number, target, kind): n for number, target, kind, n in rows}
    problems = [
        f"SD-{number:06d} {target}: «{kind}» {n} раз"
        for (number, target, kind), n in counts.items()
        if kind in {"started", "stopped"} and n != 1
    ]
    for display in ledger.tickets:
        number = int(display.rsplit("-", 1)[-1])
        for target in ("reaction", "resolution"):
            if counts.get((number, target, "started")) != 1:
                problems.append(f"{display}: часы {target} не запущены")
        resolved = ledger.transitions[display] > 0
        if resolved and counts.get((number, "resolution", "stopped")) != 1:
            problems.append(f"{display}: часы решения не остановлены ровно один раз")
    return problems


def no_duplicate_notifications(connection: Any, ledger: Ledger) -> list[str]:
    if not _has_table(connection, "sla_notification"):
        return []
    rows = _rows(
        connection,
        "SELECT n.user_id, n.ticket_id, n.kind, n.title, count(*) FROM sla_notification n "
        "GROUP BY n.user_id, n.ticket_id, n.kind, n.title HAVING count(*) > 1",
    )
    return [
        f"уведомление «{title}» ({kind}) пользователю {user} — {n} раз"
        for user, _, kind, title, n in rows
    ]


CHECKS: list[Check] = [
    no_duplicate_or_missing_tickets,
    no_lost_or_doubled_comments,
    every_event_exactly_once,
    ticket_versions_count_every_change,
    every_sla_clock_event_exactly_once,
    no_duplicate_notifications,
]
