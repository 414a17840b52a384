"""Demo schedules: a vacation and a weekend duty, so the head sees how they look."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from servicedesk.accounts.models import User
from servicedesk.core import clock
from servicedesk.routing.models import Absence, AbsenceKind, Shift


def load_demo_schedules() -> None:
    """sql2 is on vacation this week; sysadmin covers next Saturday 10:00–16:00."""
    zone = ZoneInfo(settings.TIME_ZONE)
    today = clock.now().astimezone(zone).date()
    vacationer = User.objects.filter(username="sql2").first()
    if vacationer is not None and not Absence.objects.filter(user=vacationer).exists():
        Absence.objects.create(
            user=vacationer,
            kind=AbsenceKind.VACATION,
            starts_on=today - timedelta(days=today.weekday()),
            ends_on=today - timedelta(days=today.weekday()) + timedelta(days=6),
            note="Демо: отпуск",
        )
    duty = User.objects.filter(username="sysadmin").first()
    if duty is not None and not Shift.objects.filter(user=duty).exists():
        saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
        start = datetime.combine(saturday, time(10), tzinfo=zone)
        Shift.objects.create(
            user=duty, starts_at=start, ends_at=start + timedelta(hours=6), note="Демо: дежурство"
        )
