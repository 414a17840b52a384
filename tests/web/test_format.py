"""Short Russian phrases for SLA times."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from servicedesk.web.format import due_phrase, format_duration

MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 1, 12, 8, 0, tzinfo=UTC)  # Monday 11:00 in Moscow


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "<1 мин"),
        (59, "<1 мин"),
        (60, "1 мин"),
        (3599, "59 мин"),
        (3600, "1 ч"),
        (3900, "1 ч 05 мин"),
        (48 * 3600, "48 ч"),
        (10 * 3600 + 300, "10 ч"),
        (9 * 3600 + 300, "9 ч 05 мин"),
        (-3900, "1 ч 05 мин"),
    ],
)
def test_working_time_is_hours_and_minutes(seconds: int, text: str) -> None:
    assert format_duration(seconds) == text


def test_due_today_tomorrow_weekday_and_date() -> None:
    assert due_phrase(datetime(2026, 1, 12, 11, 30, tzinfo=UTC), NOW, MSK) == "сегодня 14:30"
    assert due_phrase(datetime(2026, 1, 13, 9, 0, tzinfo=UTC), NOW, MSK) == "завтра 12:00"
    assert due_phrase(datetime(2026, 1, 11, 9, 0, tzinfo=UTC), NOW, MSK) == "вчера 12:00"
    assert due_phrase(datetime(2026, 1, 15, 9, 0, tzinfo=UTC), NOW, MSK) == "чт 15 янв 12:00"
    assert due_phrase(datetime(2026, 2, 2, 9, 0, tzinfo=UTC), NOW, MSK) == "2 фев 12:00"
    assert due_phrase(datetime(2027, 1, 20, 9, 0, tzinfo=UTC), NOW, MSK) == "20 янв 2027 12:00"


def test_due_uses_the_display_time_zone_for_the_day() -> None:
    late = datetime(2026, 1, 12, 21, 30, tzinfo=UTC)  # 00:30 on the 13th in Moscow
    assert due_phrase(late, NOW, MSK) == "завтра 00:30"
