"""Allocate ticket numbers: unique under concurrency, gaps allowed (a rollback skips one)."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection

from servicedesk.core.errors import NotFound
from servicedesk.core.options import desk_options

SEQUENCE_NAME = "tickets_ticket_number_seq"
_NUMBER = re.compile(r"^\s*#?(?:(?P<prefix>[A-Za-zА-Яа-я]+)-)?0*(?P<digits>\d{1,12})\s*$")


def next_ticket_number() -> int:
    """Return a fresh number; PostgreSQL uses a sequence, SQLite a counter row.

    SQLite serialises writers, so the counter row cannot hand out a number twice; on
    PostgreSQL a sequence never blocks concurrent creators.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(%s)", [SEQUENCE_NAME])
            row = cursor.fetchone()
        else:
            row = _bump_sqlite_counter(cursor)
            if row is None:
                # The counter row is gone (a test flush, a hand-made database): rebuild it
                # above the highest number ever given, then take the next one.
                cursor.execute(
                    "INSERT OR IGNORE INTO tickets_ticketnumbercounter (id, value)"
                    " SELECT 1, COALESCE(MAX(number), 0) FROM tickets_ticket"
                )
                row = _bump_sqlite_counter(cursor)
    if row is None:
        raise RuntimeError("no ticket number was allocated")
    return int(row[0])


def _bump_sqlite_counter(cursor: Any) -> Any:
    cursor.execute(
        "UPDATE tickets_ticketnumbercounter SET value = value + 1 WHERE id = 1 RETURNING value"
    )
    return cursor.fetchone()


def parse_ticket_number(raw: str | int) -> int:
    """Return the integer of `SD-000123`, `#123` or `123`; NotFound for anything else."""
    if isinstance(raw, int):
        return raw
    match = _NUMBER.match(raw)
    prefix = desk_options().ticket_number_prefix
    if not match or (match["prefix"] and match["prefix"].upper() != prefix.upper()):
        raise NotFound(f"Обращение «{raw}» не найдено")
    return int(match["digits"])
