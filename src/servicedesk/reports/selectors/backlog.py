"""Backlog and ageing: open tickets now by age and status; created vs resolved over time."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek

from servicedesk.reports.access import Scope
from servicedesk.reports.domain.charts import Series, bar_chart, line_chart
from servicedesk.reports.domain.periods import REPORT_TZ, Month, Period, format_day, week_start
from servicedesk.reports.domain.tables import Chart, Column, Figure, Kind, Report, Table
from servicedesk.reports.filters import ReportFilters
from servicedesk.reports.selectors.common import (
    NO_SERVICE,
    in_period,
    person_name,
    ticket_link,
    ticket_q,
)
from servicedesk.tickets.domain.statuses import ACTIVE_CATEGORIES, StatusCategory
from servicedesk.tickets.models import Ticket

# (label, lower bound in days inclusive); the last bucket has no upper bound.
AGE_BUCKETS = (
    ("до 1 дня", 0),
    ("1–3 дня", 1),
    ("3–7 дней", 3),
    ("7–30 дней", 7),
    ("более 30 дней", 30),
)
OPEN_ORDER = [
    StatusCategory.NEW,
    StatusCategory.OPEN,
    StatusCategory.PENDING_REQUESTER,
    StatusCategory.PENDING_DEVELOPMENT,
]
OLDEST_LIMIT = 20
_TRUNC = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth}


def age_bucket(now: datetime) -> Case:
    """Return the index of a ticket's age bucket, computed by the database."""
    whens = [
        When(created_at__gt=now - timedelta(days=AGE_BUCKETS[i + 1][1]), then=Value(i))
        for i in range(len(AGE_BUCKETS) - 1)
    ]
    return Case(*whens, default=Value(len(AGE_BUCKETS) - 1), output_field=IntegerField())


def steps(period: Period, step: str) -> list[date]:
    """Return the first day of every step (day, ISO week, month) the period touches."""
    if step == "month":
        return [month.first_day for month in period.months()]
    if step == "week":
        first = week_start(period.first_day)
        return [first + timedelta(weeks=i) for i in range((period.last_day - first).days // 7 + 1)]
    return [period.first_day + timedelta(days=i) for i in range(period.days)]


def step_label(day: date, step: str) -> str:
    if step == "month":
        return Month.of(day).label
    if step == "week":
        return f"с {format_day(day)}"
    return format_day(day)


def _counts_by_step(filters: ReportFilters, scope: Scope, field: str) -> dict[date, int]:
    trunc = _TRUNC[filters.step]
    rows = (
        Ticket.objects.filter(in_period(filters.period, field), ticket_q(filters, scope))
        .annotate(bucket=trunc(field, tzinfo=REPORT_TZ))
        .values("bucket")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["bucket"].astimezone(REPORT_TZ).date(): row["n"] for row in rows}


def backlog_report(filters: ReportFilters, scope: Scope, now: datetime) -> Report:
    """Return the backlog now (by age and status) and the flow over the period."""
    open_tickets = Ticket.objects.filter(
        ticket_q(filters, scope), status_category__in=[c.value for c in ACTIVE_CATEGORIES]
    )
    grid = (
        open_tickets.annotate(age=age_bucket(now))
        .values("age", "status_category")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[tuple[int, str], int] = {(r["age"], r["status_category"]): r["n"] for r in grid}
    ageing = Table(
        key="ageing",
        title="Открытые обращения по возрасту",
        columns=[
            Column("age", "Возраст"),
            *[Column(c.value, c.label, Kind.INT) for c in OPEN_ORDER],
            Column("total", "Всего", Kind.INT),
        ],
    )
    grid_rows = [
        (label, [counts.get((index, c.value), 0) for c in OPEN_ORDER])
        for index, (label, _) in enumerate(AGE_BUCKETS)
    ]
    for label, cells in grid_rows:
        ageing.add(label, *cells, sum(cells))
    column_totals = [sum(cells[i] for _, cells in grid_rows) for i in range(len(OPEN_ORDER))]
    total_open = sum(column_totals)
    ageing.footer = ["Итого", *column_totals, total_open]

    created = _counts_by_step(filters, scope, "created_at")
    resolved = _counts_by_step(filters, scope, "resolved_at")
    flow = Table(
        key="flow",
        title="Поступило и решено",
        columns=[
            Column("step", "Период"),
            Column("created", "Поступило", Kind.INT),
            Column("resolved", "Решено", Kind.INT),
            Column("difference", "Разница", Kind.INT),
        ],
    )
    flow_rows = [
        (step_label(day, filters.step), created.get(day, 0), resolved.get(day, 0))
        for day in steps(filters.period, filters.step)
    ]
    for label, came, done in flow_rows:
        flow.add(label, came, done, came - done)
    came_total, done_total = sum(created.values()), sum(resolved.values())
    flow.footer = ["Итого", came_total, done_total, came_total - done_total]

    oldest = _oldest(open_tickets, now, scope)
    older_than_week = sum(sum(cells) for _, cells in grid_rows[3:])
    report = Report(
        key="backlog",
        title="Очередь и возраст обращений",
        subtitle=f"Открытые — на {now.astimezone(REPORT_TZ):%d.%m.%Y %H:%M} МСК; "
        f"поток — {filters.period_label}",
        period_code=filters.period_code,
        tables=[ageing, flow, oldest],
        figures=[
            Figure("Открыто сейчас", total_open),
            Figure("Из них старше 7 дней", older_than_week),
            Figure("Поступило за период", came_total),
            Figure("Решено за период", done_total),
        ],
        notes=[
            "Возраст — время с регистрации. «Решено» — по дате последнего решения: "
            "обращение, открытое повторно, не считается решённым, пока его не решат снова."
        ],
    )
    report.charts = [
        Chart(
            "Открытые обращения по возрасту и статусу",
            bar_chart(
                [label for label, _ in grid_rows],
                [
                    Series(c.label, [float(cells[i]) for _, cells in grid_rows])
                    for i, c in enumerate(OPEN_ORDER)
                ],
                title="Открытые обращения по возрасту и статусу",
            ),
            "ageing",
        ),
        Chart(
            "Поступило и решено",
            line_chart(
                [label for label, _, _ in flow_rows],
                [
                    Series("Поступило", [float(came) for _, came, _ in flow_rows], "#2f6fb3"),
                    Series("Решено", [float(done) for _, _, done in flow_rows], "#5cb85c"),
                ],
                title="Поступило и решено",
            ),
            "flow",
        ),
    ]
    return report


def _oldest(open_tickets: QuerySet[Ticket], now: datetime, scope: Scope) -> Table:
    table = Table(
        key="oldest",
        title="Самые старые открытые обращения",
        columns=[
            Column("ticket", "Обращение"),
            Column("subject", "Тема"),
            Column("client", "Клиент"),
            Column("service", "Услуга"),
            Column("status", "Статус"),
            Column("assignee", "Исполнитель"),
            Column("created_at", "Зарегистрировано", Kind.DATETIME),
            Column("age_days", "Возраст, дней", Kind.INT),
        ],
    )
    rows = open_tickets.values(
        "number",
        "subject",
        "client__name",
        "service__name",
        "status__name",
        "assignee__username",
        "assignee__first_name",
        "assignee__last_name",
        "created_at",
    ).order_by("created_at", "number")[:OLDEST_LIMIT]
    for row in rows:
        table.add(
            ticket_link(row["number"], scope),
            row["subject"],
            row["client__name"],
            row["service__name"] or NO_SERVICE,
            row["status__name"],
            person_name(
                row["assignee__first_name"], row["assignee__last_name"], row["assignee__username"]
            ),
            row["created_at"],
            (now - row["created_at"]).days,
        )
    return table
