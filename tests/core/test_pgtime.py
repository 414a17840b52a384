"""PostgreSQL timestamps come back as the same aware UTC instants, through the C parser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import connection

from servicedesk.core.pgtime import UtcTimestampLoader

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

MOSCOW = timezone(timedelta(hours=3))


def test_timestamps_read_back_are_the_instants_written_in_utc() -> None:
    written = [
        datetime(2026, 3, 29, 1, 30, tzinfo=MOSCOW),
        datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(1999, 1, 1, tzinfo=UTC),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz, %s::timestamptz, %s::timestamptz", written)
        read = cursor.fetchone()
    assert list(read) == written
    assert all(value.tzinfo is UTC for value in read)


def test_the_c_parser_serves_this_connection() -> None:
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(1184, 0)  # timestamptz, text
    assert loader is UtcTimestampLoader
