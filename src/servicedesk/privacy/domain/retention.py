"""When guest data of a closed ticket may be anonymised."""

from __future__ import annotations

import calendar
from datetime import datetime


def months_before(instant: datetime, months: int) -> datetime:
    """Return the same day and time `months` calendar months earlier (clamped to month end)."""
    if months < 0:
        raise ValueError("months must not be negative")
    index = instant.year * 12 + (instant.month - 1) - months
    year, month0 = divmod(index, 12)
    day = min(instant.day, calendar.monthrange(year, month0 + 1)[1])
    return instant.replace(year=year, month=month0 + 1, day=day)
