"""Channel and category mix: where requests come from and what they are about."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db.models import Count

from servicedesk.reports.access import Scope
from servicedesk.reports.domain.charts import Series, bar_chart
from servicedesk.reports.domain.tables import Chart, Column, Figure, Kind, Report, Table, percent
from servicedesk.reports.filters import ReportFilters
from servicedesk.reports.selectors.common import NO_SERVICE, in_period, ticket_q
from servicedesk.tickets.models import Channel, Ticket


def mix_report(filters: ReportFilters, scope: Scope, now: datetime) -> Report:
    """Return registered tickets by channel, by service, and service × channel (one query)."""
    rows = (
        Ticket.objects.filter(in_period(filters.period, "created_at"), ticket_q(filters, scope))
        .values("channel", "service__code", "service__name", "service__order")
        .annotate(n=Count("pk"))
        .order_by()
    )
    channels: dict[str, int] = defaultdict(int)
    services: dict[str, int] = defaultdict(int)
    service_order: dict[str, tuple[int, str]] = {}
    matrix: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        name = row["service__name"] or NO_SERVICE
        channels[row["channel"]] += row["n"]
        services[name] += row["n"]
        service_order[name] = (row["service__order"] or 999, name)
        matrix[(name, row["channel"])] += row["n"]
    total = sum(channels.values())

    by_channel = Table(
        key="channels",
        title="По каналам",
        columns=[
            Column("channel", "Канал"),
            Column("tickets", "Обращений", Kind.INT),
            Column("share", "Доля, %", Kind.PERCENT),
        ],
    )
    for channel in Channel:
        by_channel.add(
            channel.label,
            channels.get(channel.value, 0),
            percent(channels.get(channel.value, 0), total),
        )
    by_channel.footer = ["Итого", total, percent(total, total)]

    ordered = sorted(services, key=lambda name: (-services[name], service_order[name]))
    by_service = Table(
        key="services",
        title="По категориям (услугам)",
        columns=[
            Column("service", "Категория"),
            Column("tickets", "Обращений", Kind.INT),
            Column("share", "Доля, %", Kind.PERCENT),
        ],
    )
    for name in ordered:
        by_service.add(name, services[name], percent(services[name], total))
    by_service.footer = ["Итого", total, percent(total, total)]

    cross = Table(
        key="matrix",
        title="Категории по каналам",
        columns=[
            Column("service", "Категория"),
            *[Column(c.value, c.label, Kind.INT) for c in Channel],
            Column("total", "Всего", Kind.INT),
        ],
    )
    for name in ordered:
        cells = [matrix.get((name, c.value), 0) for c in Channel]
        cross.add(name, *cells, sum(cells))
    cross.footer = ["Итого", *[channels.get(c.value, 0) for c in Channel], total]

    report = Report(
        key="mix",
        title="Каналы и категории",
        subtitle=f"Обращения, зарегистрированные: {filters.period_label} (МСК)",
        period_code=filters.period_code,
        tables=[by_channel, by_service, cross],
        figures=[
            Figure("Обращений за период", total),
            Figure(
                "Главный канал",
                max(Channel, key=lambda c: channels.get(c.value, 0)).label if total else "—",
                Kind.TEXT,
            ),
            Figure("Главная категория", ordered[0] if ordered else "—", Kind.TEXT),
        ],
        notes=["Учитываются все зарегистрированные обращения, включая отменённые."],
    )
    report.charts = [
        Chart(
            "Обращения по каналам",
            bar_chart(
                [c.label for c in Channel],
                [Series("Обращений", [float(channels.get(c.value, 0)) for c in Channel])],
                title="Обращения по каналам",
            ),
            "channels",
        ),
        Chart(
            "Категории по каналам",
            bar_chart(
                ordered,
                [
                    Series(c.label, [float(matrix.get((name, c.value), 0)) for name in ordered])
                    for c in Channel
                ],
                title="Категории по каналам",
            ),
            "matrix",
        ),
    ]
    return report
