"""Load: tickets and logged hours per person and role; when the team is actually working.

Work schedules (shifts) are not part of the desk yet, so coverage is shown from what
people did: staff actions in tickets by weekday and hour (Moscow time) and logged hours
by weekday. A person with several roles counts in each of them in the per-role table.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay

from servicedesk.accounts.models import User
from servicedesk.accounts.roles import Role
from servicedesk.reports.access import Scope
from servicedesk.reports.domain.charts import Series, bar_chart, line_chart
from servicedesk.reports.domain.periods import REPORT_TZ
from servicedesk.reports.domain.tables import Chart, Column, Figure, Kind, Report, Table
from servicedesk.reports.filters import ReportFilters
from servicedesk.reports.selectors.common import in_period, ticket_q
from servicedesk.tickets.domain.statuses import ACTIVE_CATEGORIES
from servicedesk.tickets.models import Ticket, TicketEvent
from servicedesk.worklogs.domain import WorkKind, hours
from servicedesk.worklogs.models import WorkLog

WEEKDAYS = ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс")
COVERAGE_NOTE = (
    "Графики смен в системе пока не ведутся, поэтому покрытие показано по факту: "
    "действия сотрудников в обращениях по дням недели и часам (МСК) и списанное время "
    "по дням недели."
)


@dataclass
class PersonLoad:
    user_id: int
    minutes: int = 0
    billable_minutes: int = 0
    worked_tickets: int = 0
    open_assigned: int = 0
    resolved: int = 0
    name: str = ""
    roles: list[Role] = field(default_factory=list)


def _people(filters: ReportFilters, scope: Scope) -> list[PersonLoad]:
    tickets = ticket_q(dataclasses.replace(filters, assignee=None), scope, "ticket__")
    plain = ticket_q(dataclasses.replace(filters, assignee=None), scope)
    people: dict[int, PersonLoad] = {}

    def person(user_id: int) -> PersonLoad:
        return people.setdefault(user_id, PersonLoad(user_id))

    logs = (
        WorkLog.objects.filter(
            tickets,
            work_date__gte=filters.period.first_day,
            work_date__lte=filters.period.last_day,
        )
        .values("author_id")
        .annotate(
            logged=Sum("minutes"),
            paid=Sum("minutes", filter=Q(billable=True, kind=WorkKind.WORK)),
            tickets=Count("ticket_id", distinct=True),
        )
        .order_by()
    )
    for row in logs:
        load = person(row["author_id"])
        load.minutes = row["logged"] or 0
        load.billable_minutes = row["paid"] or 0
        load.worked_tickets = row["tickets"]
    assigned = (
        Ticket.objects.filter(
            plain,
            assignee__isnull=False,
            status_category__in=[c.value for c in ACTIVE_CATEGORIES],
        )
        .values("assignee_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in assigned:
        person(row["assignee_id"]).open_assigned = row["n"]
    resolved = (
        Ticket.objects.filter(
            plain, in_period(filters.period, "resolved_at"), assignee__isnull=False
        )
        .values("assignee_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in resolved:
        person(row["assignee_id"]).resolved = row["n"]
    users = User.objects.filter(pk__in=people).prefetch_related("groups")
    if filters.assignee:
        users = users.filter(username=filters.assignee)
    result = []
    for user in users:
        load = people[user.pk]
        load.name = str(user)
        load.roles = sorted(user.roles, key=list(Role).index)
        result.append(load)
    return sorted(result, key=lambda p: (-p.minutes, p.name))


@dataclass(frozen=True)
class Coverage:
    heat: Table
    weekdays: Table
    actions_per_hour: list[int]
    minutes_per_weekday: list[int]


def _coverage(filters: ReportFilters, scope: Scope) -> Coverage:
    condition = ticket_q(filters, scope, "ticket__")
    actions = (
        TicketEvent.objects.filter(
            condition,
            in_period(filters.period, "created_at"),
            actor__isnull=False,
            actor__client__isnull=True,
        )
        .annotate(
            weekday=ExtractIsoWeekDay("created_at", tzinfo=REPORT_TZ),
            hour=ExtractHour("created_at", tzinfo=REPORT_TZ),
        )
        .values("weekday", "hour")
        .annotate(n=Count("pk"))
        .order_by()
    )
    grid: dict[tuple[int, int], int] = {(r["weekday"], r["hour"]): r["n"] for r in actions}
    heat = Table(
        key="coverage",
        title="Действия сотрудников по часам",
        columns=[
            Column("weekday", "День"),
            *[Column(f"h{hour:02d}", f"{hour:02d}", Kind.INT) for hour in range(24)],
            Column("total", "Всего", Kind.INT),
        ],
        note=COVERAGE_NOTE,
    )
    for day in range(1, 8):
        cells = [grid.get((day, hour), 0) for hour in range(24)]
        heat.add(WEEKDAYS[day - 1], *cells, sum(cells))
    by_day = (
        WorkLog.objects.filter(
            condition,
            work_date__gte=filters.period.first_day,
            work_date__lte=filters.period.last_day,
        )
        .annotate(weekday=ExtractIsoWeekDay("work_date"))
        .values("weekday")
        .annotate(logged=Sum("minutes"))
        .order_by()
    )
    minutes = {row["weekday"]: row["logged"] or 0 for row in by_day}
    logged = Table(
        key="weekdays",
        title="Списанное время по дням недели",
        columns=[Column("weekday", "День"), Column("hours", "Часы", Kind.HOURS)],
    )
    for day in range(1, 8):
        logged.add(WEEKDAYS[day - 1], hours(minutes.get(day, 0)))
    return Coverage(
        heat=heat,
        weekdays=logged,
        actions_per_hour=[sum(grid.get((d, h), 0) for d in range(1, 8)) for h in range(24)],
        minutes_per_weekday=[minutes.get(day, 0) for day in range(1, 8)],
    )


def load_report(filters: ReportFilters, scope: Scope, now: datetime) -> Report:
    """Return load per person and role and the coverage tables."""
    people = _people(filters, scope)
    per_person = Table(
        key="people",
        title="Нагрузка по сотрудникам",
        columns=[
            Column("person", "Сотрудник"),
            Column("roles", "Роли"),
            Column("hours", "Списано, ч", Kind.HOURS),
            Column("billable_hours", "В т. ч. оплачиваемые, ч", Kind.HOURS),
            Column("worked_tickets", "Обращений с трудозатратами", Kind.INT),
            Column("open_assigned", "Открыто на исполнителе сейчас", Kind.INT),
            Column("resolved", "Решено за период", Kind.INT),
        ],
    )
    by_role: dict[Role, list[PersonLoad]] = defaultdict(list)
    for load in people:
        per_person.add(
            load.name,
            ", ".join(role.label for role in load.roles) or "—",
            hours(load.minutes),
            hours(load.billable_minutes),
            load.worked_tickets,
            load.open_assigned,
            load.resolved,
        )
        for role in load.roles:
            by_role[role].append(load)
    per_person.footer = [
        "Итого",
        "",
        hours(sum(p.minutes for p in people)),
        hours(sum(p.billable_minutes for p in people)),
        None,
        sum(p.open_assigned for p in people),
        sum(p.resolved for p in people),
    ]
    per_role = Table(
        key="roles",
        title="Нагрузка по ролям",
        columns=[
            Column("role", "Роль"),
            Column("people", "Сотрудников", Kind.INT),
            Column("hours", "Списано, ч", Kind.HOURS),
            Column("billable_hours", "В т. ч. оплачиваемые, ч", Kind.HOURS),
            Column("open_assigned", "Открыто сейчас", Kind.INT),
            Column("resolved", "Решено за период", Kind.INT),
        ],
        note="Сотрудник с несколькими ролями учитывается в каждой.",
    )
    for role in Role:
        members = by_role.get(role, [])
        if members:
            per_role.add(
                role.label,
                len(members),
                hours(sum(p.minutes for p in members)),
                hours(sum(p.billable_minutes for p in members)),
                sum(p.open_assigned for p in members),
                sum(p.resolved for p in members),
            )
    coverage = _coverage(filters, scope)
    report = Report(
        key="load",
        title="Нагрузка и покрытие",
        subtitle=f"{filters.period_label} (МСК)",
        period_code=filters.period_code,
        tables=[per_person, per_role, coverage.heat, coverage.weekdays],
        figures=[
            Figure("Сотрудников с нагрузкой", len(people)),
            Figure("Списано, ч", hours(sum(p.minutes for p in people)), Kind.HOURS),
            Figure("Решено за период", sum(p.resolved for p in people)),
        ],
        notes=[COVERAGE_NOTE],
    )
    names = [load.name for load in people]
    report.charts = [
        Chart(
            "Списанное время по сотрудникам, ч",
            bar_chart(
                names,
                [
                    Series("Оплачиваемое", [float(hours(p.billable_minutes)) for p in people]),
                    Series(
                        "Прочее",
                        [float(hours(p.minutes - p.billable_minutes)) for p in people],
                        "#9e9e9e",
                    ),
                ],
                title="Списанное время по сотрудникам",
                unit=" ч",
            ),
            "people",
        ),
        Chart(
            "Действия сотрудников по часам суток (все дни)",
            line_chart(
                [f"{hour:02d}" for hour in range(24)],
                [Series("Действия", [float(n) for n in coverage.actions_per_hour])],
                title="Действия сотрудников по часам суток",
            ),
            "coverage",
        ),
        Chart(
            "Списанное время по дням недели, ч",
            bar_chart(
                list(WEEKDAYS),
                [Series("Часы", [float(hours(m)) for m in coverage.minutes_per_weekday])],
                title="Списанное время по дням недели",
                unit=" ч",
            ),
            "weekdays",
        ),
    ]
    return report
