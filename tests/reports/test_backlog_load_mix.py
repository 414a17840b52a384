"""Backlog, load and channel mix against the hand-computed data set."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from servicedesk.core.errors import Forbidden
from servicedesk.reports.access import ReportKind, report_scope
from servicedesk.reports.filters import parse_filters
from servicedesk.reports.selectors import build_report
from tests.reports.dataset import NOW

pytestmark = pytest.mark.django_db


def run(kind, user, **params):
    filters = parse_filters(today=date(2026, 3, 2), **params)
    return build_report(kind, filters, report_scope(user, kind), NOW)


def by_first_column(table):
    return {row[0]: row[1:] for row in table.rows}


def test_open_tickets_by_age_and_status_now(data) -> None:
    report = run(ReportKind.BACKLOG, data["head"], month="2026-02")
    ageing = by_first_column(report.table("ageing"))
    # columns: new, open, pending requester, pending development, total
    assert ageing["до 1 дня"] == [1, 0, 0, 0, 1]  # t8, registered two hours ago
    assert ageing["1–3 дня"] == [0, 0, 0, 0, 0]
    assert ageing["3–7 дней"] == [0, 1, 0, 0, 1]  # t10, exactly three days old
    assert ageing["7–30 дней"] == [1, 1, 1, 0, 3]  # t5, t2, t7
    assert ageing["более 30 дней"] == [0, 0, 0, 0, 0]
    figures = {f.label: f.value for f in report.figures}
    assert figures["Открыто сейчас"] == 5
    assert figures["Из них старше 7 дней"] == 3
    oldest = report.table("oldest").records()
    assert [row["ticket"] for row in oldest] == [
        data[k].display_number for k in ("t5", "t2", "t7", "t10", "t8")
    ]


def test_created_and_resolved_per_day_count_moscow_days(data) -> None:
    report = run(ReportKind.BACKLOG, data["head"], month="2026-02")
    flow = by_first_column(report.table("flow"))
    assert len(flow) == 28
    assert flow["01.02.2026"] == [1, 1, 0]  # t5 at 00:10; t4 resolved at 01:00 MSK
    assert flow["02.02.2026"] == [2, 0, 2]
    assert flow["03.02.2026"] == [0, 1, -1]
    assert flow["16.02.2026"] == [1, 1, 0]
    assert report.table("flow").footer == ["Итого", 8, 4, 4]


def test_created_and_resolved_per_week(data) -> None:
    report = run(ReportKind.BACKLOG, data["head"], month="2026-02", step="week")
    flow = by_first_column(report.table("flow"))
    assert flow == {
        "с 26.01.2026": [1, 1, 0],
        "с 02.02.2026": [3, 1, 2],
        "с 09.02.2026": [2, 1, 1],
        "с 16.02.2026": [1, 1, 0],
        "с 23.02.2026": [1, 0, 1],
    }


def test_a_client_user_sees_only_their_own_backlog(data) -> None:
    report = run(ReportKind.BACKLOG, data["apteka_user"], month="2026-02")
    assert report.table("ageing").footer[-1] == 4  # t2, t7, t8, t10
    assert {row["client"] for row in report.table("oldest").records()} == {"Аптека"}


def test_load_per_person_and_role(data) -> None:
    report = run(ReportKind.LOAD, data["manager"], month="2026-02")
    people = {row["person"]: row for row in report.table("people").records()}
    agent, sd = people[str(data["agent"])], people[str(data["sd"])]
    assert agent["hours"] == Decimal("7.58")  # 150 + 45 + 60 + 200 minutes
    assert agent["billable_hours"] == Decimal("5.83")  # 150 + 200
    assert (agent["worked_tickets"], agent["open_assigned"], agent["resolved"]) == (3, 3, 3)
    assert sd["hours"] == Decimal("11.00")  # 600 + 60; the January 30 minutes are not here
    assert (sd["worked_tickets"], sd["open_assigned"], sd["resolved"]) == (1, 0, 1)
    roles = {row["role"]: row for row in report.table("roles").records()}
    assert roles["Инженер SQL"]["hours"] == Decimal("7.58")
    assert roles["Менеджер SD"]["people"] == 1


def test_coverage_by_weekday_and_moscow_hour(data) -> None:
    report = run(ReportKind.LOAD, data["head"], month="2026-02")
    weekdays = by_first_column(report.table("weekdays"))
    assert weekdays["Пн"] == [Decimal("15.83")]  # 150 + 600 + 200 minutes
    assert weekdays["Вт"] == [Decimal("2.75")]  # 45 + 60 + 60
    assert weekdays["Сб"] == [Decimal("0.00")]
    heat = by_first_column(report.table("coverage"))
    assert heat["Сб"][-1] == 0  # t4 registered on Saturday 31.01 belongs to January
    sunday = heat["Вс"][:24]
    assert [hour for hour, n in enumerate(sunday) if n] == [0, 1]  # 00:10–01:00 MSK
    assert "Графики смен" in report.notes[0]


def test_load_and_mix_are_for_staff_with_the_reports_capability(data) -> None:
    for kind in (ReportKind.LOAD, ReportKind.MIX):
        with pytest.raises(Forbidden):
            run(kind, data["mega_user"], month="2026-02")
        with pytest.raises(Forbidden):
            run(kind, data["agent"], month="2026-02")


def test_channel_and_category_mix(data) -> None:
    report = run(ReportKind.MIX, data["head"], month="2026-02")
    channels = by_first_column(report.table("channels"))
    assert channels["Телефон"] == [4, 50.0]
    assert channels["E-mail"] == [2, 25.0]
    assert channels["API"] == [1, 12.5]
    assert channels["Портал"] == [1, 12.5]
    services = report.table("services").records()
    assert [(r["service"], r["tickets"]) for r in services] == [
        ("Инцидент", 4),
        ("Отчет", 2),
        ("Консультация", 1),
        ("Железо", 1),
    ]
    matrix = {r["service"]: r for r in report.table("matrix").records()}
    assert (matrix["Инцидент"]["phone"], matrix["Инцидент"]["email"]) == (2, 2)
    assert report.table("matrix").footer[-1] == 8
    assert len(report.charts) == 2 and all("<svg" in c.svg for c in report.charts)
