"""Short Russian phrases for SLA times (no Django: the browser script mirrors this)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

WEEKDAYS = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
LONG_HOURS = 10
MONTHS = ("янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек")


def format_duration(seconds: int) -> str:
    """Return working time as hours and minutes: `45 мин`, `3 ч 05 мин`, `47 ч`.

    Working time is counted in hours, never days: a working day is not 24 hours. From
    ten hours on, minutes are dropped: they no longer change a decision.
    """
    total = abs(int(seconds))
    minutes = total // 60
    if minutes < 1:
        return "<1 мин"
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"{minutes} мин"
    if not minutes or hours >= LONG_HOURS:
        return f"{hours} ч"
    return f"{hours} ч {minutes:02d} мин"


def due_phrase(due: datetime, now: datetime, zone: ZoneInfo) -> str:
    """Return when `due` is, seen from `now`: `14:30`, `завтра 12:00`, `пн 12 янв 10:00`.

    Today's times need no day; yesterday and tomorrow are named; within a week the
    weekday is shown; further away, the date (and the year when it differs).
    """
    local_due, local_now = due.astimezone(zone), now.astimezone(zone)
    time = f"{local_due:%H:%M}"
    days = (local_due.date() - local_now.date()).days
    if days == 0:
        return f"сегодня {time}"
    if days == 1:
        return f"завтра {time}"
    if days == -1:
        return f"вчера {time}"
    date = f"{local_due.day} {MONTHS[local_due.month - 1]}"
    if local_due.year != local_now.year:
        date += f" {local_due.year}"
    if 1 < days < 7:
        return f"{WEEKDAYS[local_due.weekday()]} {date} {time}"
    return f"{date} {time}"
