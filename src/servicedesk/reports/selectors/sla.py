"""SLA compliance: reaction and resolution met or breached, grouped, with the breaches.

A ticket belongs to the period in which it was registered (Moscow time). Each clock of
it is, at the moment the report runs:
* breached — it crossed its target (stopped late, or still running past its due time);
* met — it stopped (first reaction, resolution) within its target;
* in progress — still running or paused, not yet late;
* cancelled tickets' clocks are left out.
Compliance = met / (met + breached); clocks in progress are not counted either way.

The queries start from the period's tickets (index on `created_at`) and look each clock up
by its unique (ticket, target) index, so the cost follows the month's tickets, not the
size of the whole clock table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDay, TruncMonth, TruncWeek

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
MET, BREACHED, OPEN = "met", "breached", "open"
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
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

    def count(self, outcome: str | None, n: int) -> None:
        if outcome == MET:
            self.met += n
        elif outcome == BREACHED:
            self.breached += n
        elif outcome == OPEN:
            self.running += n

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
    "client": ("client__name",),
    "service": ("service__order", "service__name"),
    "sla_level": ("sla_level__rank", "sla_level__code", "sla_level__priority"),
    "line": ("line",),
    "assignee": ("assignee__username", "assignee__first_name", "assignee__last_name"),
}


def measured_tickets(filters: ReportFilters, scope: Scope) -> QuerySet[Ticket]:
    """Return the tickets the report covers: registered in the period, not cancelled."""
    return Ticket.objects.filter(
        in_period(filters.period, "created_at"), ticket_q(filters, scope)
    ).exclude(status_category=StatusCategory.CANCELLED)


def _clock(target: str) -> QuerySet[SlaClock]:
    return SlaClock.objects.filter(ticket_id=OuterRef("pk"), target=target)


def clock_outcome(target: str, now: datetime) -> Subquery:
    """Return met / breached / open for one clock of the outer ticket ("" if none)."""
    outcome = Case(
        When(breached_q(now), then=Value(BREACHED)),
        When(met_q(now), then=Value(MET)),
        When(open_q(now), then=Value(OPEN)),
        default=Value(""),
        output_field=CharField(),
    )
    return Subquery(_clock(target).annotate(outcome=outcome).values("outcome")[:1])


def breach_instant(target: str, now: datetime) -> Subquery:
    """Return when a late clock of the outer ticket crossed its target (None if not late)."""
    instant = Coalesce("breached_at", "due_at", "stopped_at", "elapsed_at")
    return Subquery(
        _clock(target).filter(breached_q(now)).annotate(instant=instant).values("instant")[:1]
    )


def clock_state(target: str) -> Subquery:
    return Subquery(_clock(target).values("state")[:1])


def _period_label(group_by: str, row: dict[str, Any]) -> tuple[str, Any]:
    bucket = row["bucket"].astimezone(REPORT_TZ).date()
    if group_by == "month":
        return f"{bucket:%m.%Y}", bucket
    if group_by == "week":
        return f"неделя с {format_day(bucket)}", bucket
    return format_day(bucket), bucket


def _service_label(row: dict[str, Any]) -> tuple[str, Any]:
    name = row["service__name"] or NO_SERVICE
    return name, (row["service__order"] or 999, name)


def _level_label(row: dict[str, Any]) -> tuple[str, Any]:
    code = row["sla_level__code"]
    if code is None:
        return "Без уровня", 99
    return f"{code} ({row['sla_level__priority']})", row["sla_level__rank"]


def _line_label(row: dict[str, Any]) -> tuple[str, Any]:
    line = row["line"]
    return (SupportLine(line).label if line else "—"), line


def _assignee_label(row: dict[str, Any]) -> tuple[str, Any]:
    name = person_name(
        row["assignee__first_name"], row["assignee__last_name"], row["assignee__username"]
    )
    return name, (row["assignee__username"] is None, name)


_LABELS: dict[str, Callable[[dict[str, Any]], tuple[str, Any]]] = {
    "client": lambda row: (row["client__name"], row["client__name"]),
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


def compliance_groups(
    filters: ReportFilters, scope: Scope, now: datetime
) -> tuple[list[Group], int]:
    """Return met / breached / open counts per group and clock, and the ticket count."""
    tickets = measured_tickets(filters, scope)
    group_by = filters.group_by
    if group_by in _PERIOD_TRUNC:
        tickets = tickets.annotate(bucket=_PERIOD_TRUNC[group_by]("created_at", tzinfo=REPORT_TZ))
        fields: tuple[str, ...] = ("bucket",)
    else:
        fields = _GROUP_FIELDS[group_by]
    rows = (
        tickets.annotate(
            reaction=clock_outcome(Target.REACTION.value, now),
            resolution=clock_outcome(Target.RESOLUTION.value, now),
        )
        .values(*fields, "reaction", "resolution")
        .annotate(n=Count("pk"))
        .order_by()
    )
    groups: dict[str, Group] = {}
    total = 0
    for row in rows:
        label, order = _label(group_by, row)
        group = groups.setdefault(label, Group(label=label, order=order))
        for target in MEASURED:
            group.outcomes[target].count(row[target], row["n"])
        total += row["n"]
    return sorted(groups.values(), key=lambda g: g.order), total


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
) -> Table:
    """Return the late clocks, latest breach first (at most `limit` rows)."""
    reaction, resolution = Target.REACTION.value, Target.RESOLUTION.value
    late = (
        measured_tickets(filters, scope)
        .annotate(
            reaction_breach=breach_instant(reaction, now),
            resolution_breach=breach_instant(resolution, now),
        )
        .filter(Q(reaction_breach__isnull=False) | Q(resolution_breach__isnull=False))
        .annotate(
            reaction_state=clock_state(reaction),
            resolution_state=clock_state(resolution),
            latest=Greatest(
                Coalesce("reaction_breach", Value(_EPOCH)),
                Coalesce("resolution_breach", Value(_EPOCH)),
            ),
        )
        .values(
            "number",
            "subject",
            "client__name",
            "service__name",
            "sla_level__code",
            "line",
            "assignee__username",
            "assignee__first_name",
            "assignee__last_name",
            "created_at",
            "reaction_breach",
            "resolution_breach",
            "reaction_state",
            "resolution_state",
        )
        .order_by("-latest", "-number")[:limit]
    )
    clocks = [
        (row[f"{target}_breach"], row["number"], target, row)
        for row in late
        for target in (resolution, reaction)
        if row[f"{target}_breach"] is not None
    ]
    clocks.sort(key=lambda item: (item[0], item[1], item[2] == reaction), reverse=True)
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
    for instant, number, target, row in clocks[:limit]:
        table.add(
            ticket_link(number, scope),
            row["subject"],
            row["client__name"],
            row["service__name"] or NO_SERVICE,
            row["sla_level__code"] or "—",
            row["line"],
            person_name(
                row["assignee__first_name"], row["assignee__last_name"], row["assignee__username"]
            ),
            Target(target).label,
            row["created_at"],
            instant,
            _STATE_TEXT.get(row[f"{target}_state"], row[f"{target}_state"]),
        )
    return table


def sla_report(
    filters: ReportFilters, scope: Scope, now: datetime, *, breach_limit: int = BREACH_LIST_LIMIT
) -> Report:
    """Return the SLA compliance report (groups, totals, charts, breaches)."""
    groups, tickets = compliance_groups(filters, scope, now)
    table = Table(
        key="compliance", title="Соблюдение SLA", columns=_columns(SLA_GROUPS[filters.group_by])
    )
    totals = {target: Outcome() for target in MEASURED}
    for group in groups:
        table.add(group.label, *_cells(group.outcomes))
        for target in MEASURED:
            totals[target].add(group.outcomes[target])
    table.footer = ["Итого", *_cells(totals)]
    breaches = breach_table(filters, scope, now, breach_limit)
    breach_count = sum(totals[target].breached for target in MEASURED)
    if breach_count > len(breaches.rows):
        breaches.note = (
            f"Показаны последние {len(breaches.rows)} из {breach_count}; "
            "полный список — в выгрузке XLSX."
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
