"""SLA compliance: reaction and resolution met or breached, grouped, with the breaches.

A ticket belongs to the period in which it was registered (Moscow time). Each clock of
it is, at the moment the report runs:
* breached — it crossed its target (stopped late, or still running past its due time);
* met — it stopped (first reaction, resolution) within its target;
* in progress — still running or paused, not yet late;
* cancelled tickets' clocks are left out.
Compliance = met / (met + breached); clocks in progress are not counted either way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDay, TruncMonth, TruncWeek

from servicedesk.accounts.models import SupportLine
from servicedesk.reports.access import Scope
from servicedesk.reports.domain.charts import Series, bar_chart, line_chart
from servicedesk.reports.domain.periods import REPORT_TZ, format_day
from servicedesk.reports.domain.tables import (
    Chart,
    Column,
    Figure,
    Kind,
    Report,
    Table,
    percent,
)
from servicedesk.reports.filters import SLA_GROUPS, ReportFilters
from servicedesk.reports.selectors.common import (
    NO_SERVICE,
    in_period,
    person_name,
    ticket_link,
    ticket_q,
)
from servicedesk.sla.domain.clock import ClockState
from servicedesk.sla.domain.policy import Target
from servicedesk.sla.models import SlaClock
from servicedesk.tickets.domain.statuses import StatusCategory
from servicedesk.tickets.models import Ticket

MEASURED = (Target.REACTION.value, Target.RESOLUTION.value)
BREACH_LIST_LIMIT = 500
MET_COLOUR, BREACHED_COLOUR, OPEN_COLOUR = "#5cb85c", "#d9534f", "#b0b0b0"


def breached_q(now: datetime) -> Q:
    """A clock that crossed its target, whether the sweep has marked it yet or not."""
    late = (
        Q(breached_at__isnull=False)
        | Q(state=ClockState.RUNNING, due_at__lte=now)
        | Q(elapsed_seconds__gt=F("target_seconds"))
    )
    return late & ~Q(state=ClockState.CANCELLED)


def met_q(now: datetime) -> Q:
    return Q(state=ClockState.STOPPED) & ~breached_q(now)


def open_q(now: datetime) -> Q:
    return Q(state__in=[ClockState.RUNNING, ClockState.PAUSED]) & ~breached_q(now)


@dataclass
class Outcome:
    met: int = 0
    breached: int = 0
    running: int = 0

    @property
    def compliance(self) -> float | None:
        return percent(self.met, self.met + self.breached)

    def add(self, other: Outcome) -> None:
        self.met += other.met
        self.breached += other.breached
        self.running += other.running


@dataclass
class Group:
    label: str
    order: Any
    outcomes: dict[str, Outcome] = field(
        default_factory=lambda: {target: Outcome() for target in MEASURED}
    )


_PERIOD_TRUNC = {"month": TruncMonth, "week": TruncWeek, "day": TruncDay}
_GROUP_FIELDS: dict[str, tuple[str, ...]] = {
    "client": ("ticket__client__name",),
    "service": ("ticket__service__order", "ticket__service__name"),
    "sla_level": (
        "ticket__sla_level__rank",
        "ticket__sla_level__code",
        "ticket__sla_level__priority",
    ),
    "line": ("ticket__line",),
    "assignee": (
        "ticket__assignee__username",
        "ticket__assignee__first_name",
        "ticket__assignee__last_name",
    ),
}


def measured_clocks(filters: ReportFilters, scope: Scope) -> QuerySet[SlaClock]:
    """Return the reaction and resolution clocks of the tickets the report covers."""
    return SlaClock.objects.filter(
        in_period(filters.period, "ticket__created_at"),
        ticket_q(filters, scope, "ticket__"),
        target__in=MEASURED,
    ).exclude(ticket__status_category=StatusCategory.CANCELLED)


def _period_label(group_by: str, row: dict[str, Any]) -> tuple[str, Any]:
    bucket = row["bucket"].astimezone(REPORT_TZ).date()
    if group_by == "month":
        return f"{bucket:%m.%Y}", bucket
    if group_by == "week":
        return f"неделя с {format_day(bucket)}", bucket
    return format_day(bucket), bucket


def _service_label(row: dict[str, Any]) -> tuple[str, Any]:
    name = row["ticket__service__name"] or NO_SERVICE
    return name, (row["ticket__service__order"] or 999, name)


def _level_label(row: dict[str, Any]) -> tuple[str, Any]:
    code = row["ticket__sla_level__code"]
    if code is None:
        return "Без уровня", 99
    return f"{code} ({row['ticket__sla_level__priority']})", row["ticket__sla_level__rank"]


def _line_label(row: dict[str, Any]) -> tuple[str, Any]:
    line = row["ticket__line"]
    return (SupportLine(line).label if line else "—"), line


def _assignee_label(row: dict[str, Any]) -> tuple[str, Any]:
    name = person_name(
        row["ticket__assignee__first_name"],
        row["ticket__assignee__last_name"],
        row["ticket__assignee__username"],
    )
    return name, (row["ticket__assignee__username"] is None, name)


_LABELS: dict[str, Callable[[dict[str, Any]], tuple[str, Any]]] = {
    "client": lambda row: (row["ticket__client__name"], row["ticket__client__name"]),
    "service": _service_label,
    "sla_level": _level_label,
    "line": _line_label,
    "assignee": _assignee_label,
}


def _label(group_by: str, row: dict[str, Any]) -> tuple[str, Any]:
    """Return a group's label and its sort key."""
    if group_by in _PERIOD_TRUNC:
        return _period_label(group_by, row)
    return _LABELS[group_by](row)


def compliance_groups(filters: ReportFilters, scope: Scope, now: datetime) -> list[Group]:
    """Return met / breached / in-progress counts per group and clock (one query)."""
    clocks = measured_clocks(filters, scope)
    group_by = filters.group_by
    if group_by in _PERIOD_TRUNC:
        trunc = _PERIOD_TRUNC[group_by]
        clocks = clocks.annotate(bucket=trunc("ticket__created_at", tzinfo=REPORT_TZ))
        fields: tuple[str, ...] = ("bucket",)
    else:
        fields = _GROUP_FIELDS[group_by]
    rows = (
        clocks.values(*fields, "target")
        .annotate(
            met=Count("pk", filter=met_q(now)),
            breached=Count("pk", filter=breached_q(now)),
            running=Count("pk", filter=open_q(now)),
        )
        .order_by()
    )
    groups: dict[str, Group] = {}
    for row in rows:
        label, order = _label(group_by, row)
        group = groups.setdefault(label, Group(label=label, order=order))
        group.outcomes[row["target"]].add(
            Outcome(met=row["met"], breached=row["breached"], running=row["running"])
        )
    return sorted(groups.values(), key=lambda g: g.order)


def _columns(first: str) -> list[Column]:
    columns = [Column("group", first)]
    for target in MEASURED:
        name = Target(target).label
        columns += [
            Column(f"{target}_met", f"{name}: в срок", Kind.INT),
            Column(f"{target}_breached", f"{name}: нарушено", Kind.INT),
            Column(f"{target}_open", f"{name}: в работе", Kind.INT),
            Column(f"{target}_percent", f"{name}: % в срок", Kind.PERCENT),
        ]
    return columns


def _cells(outcomes: dict[str, Outcome]) -> list[Any]:
    cells: list[Any] = []
    for target in MEASURED:
        outcome = outcomes[target]
        cells += [outcome.met, outcome.breached, outcome.running, outcome.compliance]
    return cells


_STATE_TEXT = {
    ClockState.STOPPED.value: "остановлены после срока",
    ClockState.RUNNING.value: "идут, срок прошёл",
    ClockState.PAUSED.value: "на паузе, срок превышен",
}


def breach_table(
    filters: ReportFilters, scope: Scope, now: datetime, limit: int = BREACH_LIST_LIMIT
) -> tuple[Table, int]:
    """Return the breached clocks, latest first (at most `limit`), and how many there are."""
    breached = measured_clocks(filters, scope).filter(breached_q(now))
    total = breached.count()
    rows = (
        breached.annotate(breach_at=Coalesce("breached_at", "due_at"))
        .values(
            "ticket__number",
            "ticket__subject",
            "ticket__client__name",
            "ticket__service__name",
            "ticket__sla_level__code",
            "ticket__line",
            "ticket__assignee__username",
            "ticket__assignee__first_name",
            "ticket__assignee__last_name",
            "target",
            "state",
            "breach_at",
            "ticket__created_at",
        )
        .order_by(F("breach_at").desc(nulls_last=True), "-ticket__number", "target")[:limit]
    )
    table = Table(
        key="breaches",
        title="Нарушения SLA",
        columns=[
            Column("ticket", "Обращение"),
            Column("subject", "Тема"),
            Column("client", "Клиент"),
            Column("service", "Услуга"),
            Column("sla_level", "Уровень SLA"),
            Column("line", "Линия"),
            Column("assignee", "Исполнитель"),
            Column("clock", "Часы"),
            Column("created_at", "Зарегистрировано", Kind.DATETIME),
            Column("breached_at", "Срок нарушен", Kind.DATETIME),
            Column("state", "Состояние"),
        ],
    )
    for row in rows:
        table.add(
            ticket_link(row["ticket__number"]),
            row["ticket__subject"],
            row["ticket__client__name"],
            row["ticket__service__name"] or NO_SERVICE,
            row["ticket__sla_level__code"] or "—",
            row["ticket__line"],
            person_name(
                row["ticket__assignee__first_name"],
                row["ticket__assignee__last_name"],
                row["ticket__assignee__username"],
            ),
            Target(row["target"]).label,
            row["ticket__created_at"],
            row["breach_at"],
            _STATE_TEXT.get(row["state"], row["state"]),
        )
    if total > limit:
        table.note = f"Показаны последние {limit} из {total}; полный список — в выгрузке XLSX."
    return table, total


def sla_report(
    filters: ReportFilters, scope: Scope, now: datetime, *, breach_limit: int = BREACH_LIST_LIMIT
) -> Report:
    """Return the SLA compliance report (groups, totals, charts, breaches)."""
    groups = compliance_groups(filters, scope, now)
    table = Table(
        key="compliance", title="Соблюдение SLA", columns=_columns(SLA_GROUPS[filters.group_by])
    )
    totals = {target: Outcome() for target in MEASURED}
    for group in groups:
        table.add(group.label, *_cells(group.outcomes))
        for target in MEASURED:
            totals[target].add(group.outcomes[target])
    table.footer = ["Итого", *_cells(totals)]
    breaches, breach_count = breach_table(filters, scope, now, breach_limit)
    tickets = (
        Ticket.objects.filter(in_period(filters.period, "created_at"), ticket_q(filters, scope))
        .exclude(status_category=StatusCategory.CANCELLED)
        .count()
    )
    report = Report(
        key="sla",
        title="Соблюдение SLA",
        subtitle=f"Обращения, зарегистрированные: {filters.period_label} (МСК)",
        period_code=filters.period_code,
        tables=[table, breaches],
        figures=[
            Figure("Обращений за период (без отменённых)", tickets),
            Figure("Реакция в срок, %", totals[Target.REACTION].compliance, Kind.PERCENT),
            Figure("Решение в срок, %", totals[Target.RESOLUTION].compliance, Kind.PERCENT),
            Figure("Нарушений сроков", breach_count),
        ],
        notes=[
            "Обращение относится к периоду по дате регистрации (московское время). "
            "«В срок» — часы остановлены до норматива; «нарушено» — норматив превышен "
            "(в том числе у ещё идущих часов); «в работе» — часы идут, срок не прошёл. "
            "Отменённые обращения не учитываются."
        ],
    )
    report.charts = _charts(filters, groups)
    return report


def _charts(filters: ReportFilters, groups: list[Group]) -> list[Chart]:
    labels = [group.label for group in groups]
    if filters.group_by in _PERIOD_TRUNC and len(groups) > 1:
        series = [
            Series(
                f"{Target(target).label}: % в срок",
                [group.outcomes[target].compliance or 0.0 for group in groups],
            )
            for target in MEASURED
        ]
        return [
            Chart(
                "Доля в срок по периодам, %",
                line_chart(labels, series, title="Доля в срок по периодам", unit=" %"),
                "compliance",
            )
        ]
    charts = []
    for target in MEASURED:
        name = Target(target).label
        series = [
            Series("В срок", [g.outcomes[target].met for g in groups], MET_COLOUR),
            Series("Нарушено", [g.outcomes[target].breached for g in groups], BREACHED_COLOUR),
            Series("В работе", [g.outcomes[target].running for g in groups], OPEN_COLOUR),
        ]
        charts.append(
            Chart(
                name,
                bar_chart(labels, series, title=f"{name}: в срок и с нарушением"),
                "compliance",
            )
        )
    return charts
