"""Work-time arithmetic without Django: what a log bills, what exceeds an estimate or a cap.

Billing figures of one work log:
* a consultation log counts its minutes against the client's monthly consultation cap;
  whatever the month uses above the cap is billed (at the L3 rate);
* any other log bills its minutes when it is billable, except the part above the
  approved estimate that the service manager has not (yet) approved.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from servicedesk.reports.domain.periods import Month

MAX_MINUTES_PER_LOG = 24 * 60
HUNDREDTH = Decimal("0.01")


class WorkKind(StrEnum):
    """What a log's time is: ordinary work, or a consultation under the contract's cap."""

    WORK = "work"
    CONSULTATION = "consultation"

    @property
    def label(self) -> str:
        return "Консультация" if self is WorkKind.CONSULTATION else "Работа"


class ExcessState(StrEnum):
    """The service manager's decision on minutes logged above the approved estimate."""

    NONE = ""
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return EXCESS_LABELS[self]


EXCESS_LABELS = {
    ExcessState.NONE: "—",
    ExcessState.PENDING: "ждёт согласования",
    ExcessState.APPROVED: "превышение согласовано",
    ExcessState.REJECTED: "превышение отклонено",
}


@dataclass(frozen=True)
class BillingFigures:
    """What a log (or a sum of postings) contributes to a month's bill, in minutes."""

    billable_minutes: int = 0
    consultation_minutes: int = 0

    def __sub__(self, other: BillingFigures) -> BillingFigures:
        return BillingFigures(
            self.billable_minutes - other.billable_minutes,
            self.consultation_minutes - other.consultation_minutes,
        )

    def __add__(self, other: BillingFigures) -> BillingFigures:
        return BillingFigures(
            self.billable_minutes + other.billable_minutes,
            self.consultation_minutes + other.consultation_minutes,
        )

    @property
    def is_zero(self) -> bool:
        return self.billable_minutes == 0 and self.consultation_minutes == 0


def counted_minutes(minutes: int, excess_minutes: int, excess_state: ExcessState) -> int:
    """Return the minutes that count: excess the manager has not approved does not."""
    if excess_state in (ExcessState.PENDING, ExcessState.REJECTED):
        return minutes - min(excess_minutes, minutes)
    return minutes


def billing_figures(
    *,
    kind: WorkKind,
    billable: bool,
    minutes: int,
    excess_minutes: int = 0,
    excess_state: ExcessState = ExcessState.NONE,
) -> BillingFigures:
    """Return what one log contributes to its month's bill."""
    if kind is WorkKind.CONSULTATION:
        return BillingFigures(consultation_minutes=minutes)
    if not billable:
        return BillingFigures()
    return BillingFigures(billable_minutes=counted_minutes(minutes, excess_minutes, excess_state))


def part_above(*, used_before: int, minutes: int, limit_minutes: int | None) -> int:
    """Return how much of `minutes`, added after `used_before`, lies above `limit_minutes`.

    Used for both the approved estimate of a ticket and the monthly consultation cap:
    the log that crosses the limit contributes only its part above it.
    """
    if limit_minutes is None:
        return 0
    return max(0, min(minutes, used_before + minutes - limit_minutes))


def booking_month(work_date: date, closed: Collection[Month]) -> Month:
    """Return the month a log dated `work_date` is billed in: its own, or the next open one."""
    month = Month.of(work_date)
    while month in closed:
        month = month.next()
    return month


def hours(minutes: int) -> Decimal:
    """Return minutes as hours with two decimals (90 → 1.50)."""
    return (Decimal(minutes) / 60).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def money(minutes: int, hourly_rate: Decimal) -> Decimal:
    """Return the amount for `minutes` at `hourly_rate`, rounded to kopecks."""
    return (Decimal(minutes) * hourly_rate / 60).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def cap_minutes(cap_hours: Decimal | None) -> int | None:
    """Return a contract's consultation cap in whole minutes (None: no cap)."""
    if cap_hours is None:
        return None
    return int((cap_hours * 60).to_integral_value(rounding=ROUND_HALF_UP))


def parse_minutes(text: str) -> int:
    """Read a duration typed by a person: `90` (minutes) or `1:30` (hours:minutes)."""
    value = text.strip().replace(" ", "")
    if not value:
        raise ValueError("Укажите время: минуты (90) или часы:минуты (1:30)")
    if ":" in value:
        hours_part, _, minutes_part = value.partition(":")
        if not (hours_part.isdigit() and minutes_part.isdigit() and len(minutes_part) == 2):
            raise ValueError("Время указывается как 90 или 1:30")
        if int(minutes_part) >= 60:
            raise ValueError("Минут в часе не больше 59")
        return int(hours_part) * 60 + int(minutes_part)
    if not value.isdigit():
        raise ValueError("Время указывается как 90 или 1:30")
    return int(value)
