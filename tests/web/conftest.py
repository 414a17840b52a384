"""Workspace test helpers: a desk whose 5/2 calendar knows 2026, Moscow instants."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

MSK = ZoneInfo("Europe/Moscow")


def msk(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=MSK)


@pytest.fixture
def sla_desk(world: dict[str, Any]) -> dict[str, Any]:
    """The `world` desk with the 5/2 calendar seeded for 2026, so due times are exact."""
    from servicedesk.calendars.models import Calendar
    from servicedesk.calendars.services import calendar_seed_year
    from servicedesk.sla.selectors import forget_cached_ladders

    calendar_seed_year(calendar=Calendar.objects.get(code="msk-5-2"), year=2026)
    forget_cached_ladders()
    return world
