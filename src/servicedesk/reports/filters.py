"""Report filters parsed from query strings, the same way for pages, exports and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from servicedesk.accounts.models import SupportLine
from servicedesk.core.errors import ValidationFailed
from servicedesk.reports.domain.periods import Month, Period, PeriodError

SLA_GROUPS = {
    "client": "Клиент",
    "service": "Услуга",
    "sla_level": "Уровень SLA",
    "line": "Линия",
    "assignee": "Исполнитель",
    "month": "Месяц",
    "week": "Неделя",
    "day": "День",
}
STEPS = {"day": "по дням", "week": "по неделям", "month": "по месяцам"}


@dataclass(frozen=True)
class ReportFilters:
    """What a report is narrowed by; the period is always set (this month by default)."""

    period: Period
    month: Month | None = None  # set when the period is exactly one calendar month
    clients: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    lines: tuple[str, ...] = ()
    assignee: str | None = None
    group_by: str = "client"
    step: str = "day"

    @property
    def period_code(self) -> str:
        if self.month is not None:
            return self.month.code
        return f"{self.period.first_day.isoformat()}_{self.period.last_day.isoformat()}"

    @property
    def period_label(self) -> str:
        if self.month is not None:
            return self.month.label.capitalize()
        return self.period.label


def split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def _date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed(
            "Дата указывается как ГГГГ-ММ-ДД, например 2026-01-31", field=field
        ) from None


def parse_filters(
    *,
    today: date,
    month: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    client: str | None = None,
    service: str | None = None,
    sla_level: str | None = None,
    line: str | None = None,
    assignee: str | None = None,
    group_by: str | None = None,
    step: str | None = None,
) -> ReportFilters:
    """Return filters from query-string values; bad values raise a 422 naming the field."""
    chosen_month: Month | None = None
    try:
        if date_from or date_to:
            first = _date(date_from, "from") if date_from else Month.of(today).first_day
            last = _date(date_to, "to") if date_to else today
            period = Period(first, last)
            if Month.of(first).first_day == first and Month.of(first).last_day == last:
                chosen_month = Month.of(first)
        else:
            chosen_month = Month.parse(month) if month else Month.of(today)
            period = Period.of_month(chosen_month)
    except PeriodError as error:
        raise ValidationFailed(str(error), field="month" if month else "from") from None
    lines = split(line)
    for value in lines:
        if value not in SupportLine.values:
            raise ValidationFailed(f"Неизвестная линия «{value}»", field="line")
    group = group_by or "client"
    if group not in SLA_GROUPS:
        raise ValidationFailed(f"Группировка: одно из {', '.join(SLA_GROUPS)}", field="group_by")
    chosen_step = step or "day"
    if chosen_step not in STEPS:
        raise ValidationFailed(f"Шаг: одно из {', '.join(STEPS)}", field="step")
    return ReportFilters(
        period=period,
        month=chosen_month,
        clients=split(client),
        services=split(service),
        levels=split(sla_level),
        lines=lines,
        assignee=(assignee or "").strip() or None,
        group_by=group,
        step=chosen_step,
    )
