"""SLA test helpers: Moscow instants, a desk with the 2026 production calendar."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

MSK = ZoneInfo("Europe/Moscow")


def msk(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=MSK)


@pytest.fixture
def desk(world: dict[str, Any]) -> dict[str, Any]:
    """The `world` desk with the 5/2 calendar seeded for 2025–2026 whatever today is."""
    from servicedesk.calendars.models import Calendar
    from servicedesk.calendars.services import calendar_seed_year
    from servicedesk.sla.selectors import forget_cached_ladders

    five_two = Calendar.objects.get(code="msk-5-2")
    for year in (2025, 2026):
        calendar_seed_year(calendar=five_two, year=year)
    forget_cached_ladders()
    return world
