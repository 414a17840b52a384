"""Calendar months and periods in Moscow time, the time zone every report counts in.

A ticket created 2026-01-31 23:30 MSK (20:30 UTC) belongs to January; one created
2026-02-01 00:10 MSK (2026-01-31 21:10 UTC) to February. Everything here is pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

REPORT_TZ = ZoneInfo("Europe/Moscow")

MONTH_NAMES = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)
MONTH_NAMES_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


class PeriodError(ValueError):
    """A month or period the user typed that makes no sense (the message is Russian)."""


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month; its instants are Moscow midnights."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 2000 <= self.year <= 2100:
            raise PeriodError("Месяц указывается как ГГГГ-ММ, например 2026-01")

    @classmethod
    def parse(cls, text: str) -> Month:
        match = _MONTH_RE.match(text.strip())
        if match is None:
            raise PeriodError("Месяц указывается как ГГГГ-ММ, например 2026-01")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, value: date | datetime) -> Month:
        """Return the month of a day, or of an instant as seen in Moscow."""
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise ValueError("Month.of needs an aware datetime")
            value = value.astimezone(REPORT_TZ).date()
        return cls(value.year, value.month)

    @classmethod
    def from_first_day(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, time(0), tzinfo=REPORT_TZ)

    @property
    def end(self) -> datetime:
        """The first instant after the month (exclusive bound)."""
        return self.next().start

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    @property
    def code(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class Period:
    """A half-open span of instants [start, end) with the Moscow days it covers."""

    first_day: date
    last_day: date

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise PeriodError("Начало периода позже его конца")
        if (self.last_day - self.first_day).days > 366 * 3:
            raise PeriodError("Период не длиннее трёх лет")

    @classmethod
    def of_month(cls, month: Month) -> Period:
        return cls(month.first_day, month.last_day)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, time(0), tzinfo=REPORT_TZ)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last_day + timedelta(days=1), time(0), tzinfo=REPORT_TZ)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def label(self) -> str:
        return f"{format_day(self.first_day)} — {format_day(self.last_day)}"

    def months(self) -> list[Month]:
        result = [Month.of(self.first_day)]
        while result[-1].last_day < self.last_day:
            result.append(result[-1].next())
        return result


def format_day(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def month_start(day: date) -> date:
    return day.replace(day=1)


def local_date(instant: datetime) -> date:
    """Return the Moscow calendar day of an aware instant."""
    return instant.astimezone(REPORT_TZ).date()


def week_start(day: date) -> date:
    """Return the Monday of the ISO week of `day`."""
    return day - timedelta(days=day.weekday())
