"""SLA compliance against the hand-computed data set (tests/reports/dataset.py)."""

from __future__ import annotations

from datetime import date

import pytest

from servicedesk.reports.access import ReportKind, report_scope
from servicedesk.reports.filters import parse_filters
from servicedesk.reports.selectors.sla import sla_report
from tests.reports.dataset import NOW
from tests.worklogs.builders import msk

pytestmark = pytest.mark.django_db


def run(user, **params):
    filters = parse_filters(today=date(2026, 3, 2), **params)
    return sla_report(filters, report_scope(user, ReportKind.SLA), NOW)


def rows(report, key="compliance"):
    return {row["group"]: row for row in report.table(key).records()}


def test_february_by_client_matches_the_hand_computed_figures(data) -> None:
    report = run(data["head"], month="2026-02")
    by_client = rows(report)
    assert set(by_client) == {"Аптека", "Мега"}
    apteka, mega = by_client["Аптека"], by_client["Мега"]
    # Аптека: t1, t2, t7, t9, t10 (t6 cancelled is left out).
    assert (apteka["reaction_met"], apteka["reaction_breached"], apteka["reaction_open"]) == (
        4,
        1,
        0,
    )
    assert apteka["reaction_percent"] == 80.0
    assert (
        apteka["resolution_met"],
        apteka["resolution_breached"],
        apteka["resolution_open"],
    ) == (2, 1, 2)
    assert apteka["resolution_percent"] == 66.7
    # Мега: t3 (reaction in time, resolution late), t5 (never taken: both late).
    assert (mega["reaction_met"], mega["reaction_breached"], mega["reaction_open"]) == (1, 1, 0)
    assert (mega["resolution_met"], mega["resolution_breached"]) == (0, 2)
    assert mega["resolution_percent"] == 0.0
    footer = report.table("compliance").footer_record()
    assert footer["reaction_percent"] == 71.4  # 5 of 7
    assert footer["resolution_percent"] == 40.0  # 2 of 5; two still in progress
    figures = {f.label: f.value for f in report.figures}
    assert figures["Обращений за период (без отменённых)"] == 7
    assert figures["Нарушений сроков"] == 5


def test_the_breach_list_links_every_late_clock_latest_first(data) -> None:
    report = run(data["head"], month="2026-02")
    breaches = report.table("breaches").records()
    found = [(row["ticket"], row["clock"]) for row in breaches]
    t2, t3, t5 = (data[k].display_number for k in ("t2", "t3", "t5"))
    assert sorted(found) == sorted(
        [(t2, "Реакция"), (t2, "Решение"), (t3, "Решение"), (t5, "Реакция"), (t5, "Решение")]
    )
    assert breaches[0]["ticket"] == t3  # Fri 17–18 + Mon 09–12 = 4 h: late from Mon 12:00
    assert breaches[0]["breached_at"] == msk(2026, 2, 9, 12)
    assert breaches[0]["ticket_url"] == f"/tickets/{t3}/"  # the workspace's ticket page
    t2_reaction = next(r for r in breaches if r["ticket"] == t2 and r["clock"] == "Реакция")
    assert t2_reaction["breached_at"] == msk(2026, 2, 2, 14)  # 10:00 + 4 working hours
    assert t2_reaction["state"] == "остановлены после срока"
    t2_resolution = next(r for r in breaches if r["ticket"] == t2 and r["clock"] == "Решение")
    assert t2_resolution["state"] == "идут, срок прошёл"
    assert t2_resolution["breached_at"] == msk(2026, 2, 4, 16)  # the due instant


def test_a_ticket_registered_at_2330_on_31_january_belongs_to_january(data) -> None:
    january = rows(run(data["head"], month="2026-01"))
    assert list(january) == ["Мега"]
    assert january["Мега"]["reaction_met"] == 1  # t4 only
    assert january["Мега"]["resolution_met"] == 1
    february = run(data["head"], month="2026-02", client="mega")
    assert rows(february)["Мега"]["reaction_breached"] == 1  # t5 at 00:10 on 1 February


def test_grouping_by_month_splits_at_moscow_midnight(data) -> None:
    report = run(data["head"], date_from="2026-01-01", date_to="2026-02-28", group_by="month")
    by_month = rows(report)
    assert list(by_month) == ["01.2026", "02.2026"]
    assert by_month["01.2026"]["reaction_met"] == 1
    assert by_month["02.2026"]["reaction_met"] == 5
    assert report.charts and "<polyline" in report.charts[0].svg


@pytest.mark.parametrize(
    ("group_by", "expected"),
    [
        ("line", {"1-я линия": (0, 1), "2-я линия": (3, 1), "3-я линия": (2, 0)}),
        ("service", {"Отчет": (2, 0), "Инцидент": (3, 1), "Консультация": (0, 1)}),
        ("sla_level", {"SL_1 (Критический)": (2, 1), "SL_2 (Средний)": (3, 1)}),
        ("assignee", {"Не назначено": (0, 1), None: (5, 1)}),
    ],
)
def test_grouping_by_line_service_level_and_assignee(data, group_by, expected) -> None:
    by_group = rows(run(data["head"], month="2026-02", group_by=group_by))
    if None in expected:
        agent = str(data["agent"])
        expected = {agent if k is None else k: v for k, v in expected.items()}
    assert {k: (v["reaction_met"], v["reaction_breached"]) for k, v in by_group.items()} == expected


def test_filters_narrow_the_tickets(data) -> None:
    only_l3 = rows(run(data["head"], month="2026-02", line="L3"))
    assert {k: v["resolution_breached"] for k, v in only_l3.items()} == {"Аптека": 0, "Мега": 1}
    incidents = rows(run(data["head"], month="2026-02", service="incident"))
    assert list(incidents) == ["Аптека"]


def test_a_client_user_sees_only_their_own_client_whatever_the_filter(data) -> None:
    report = run(data["apteka_user"], month="2026-02", client="mega")
    assert list(rows(report)) == ["Аптека"]
    breaches = report.table("breaches").records()
    assert {r["client"] for r in breaches} == {"Аптека"}
    assert all(r["ticket_url"].startswith("/portal/") for r in breaches)  # their portal


def test_staff_without_the_reports_capability_are_refused(data) -> None:
    from servicedesk.core.errors import Forbidden

    with pytest.raises(Forbidden):
        run(data["agent"], month="2026-02")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"month": "2026-13"}, "month"),
        ({"month": "февраль"}, "month"),
        ({"date_from": "2026-02-30"}, "from"),
        ({"date_from": "2026-03-01", "date_to": "2026-02-01"}, "from"),
        ({"group_by": "colour"}, "group_by"),
        ({"line": "L4"}, "line"),
    ],
)
def test_bad_filters_are_refused_with_the_field_named(params, field) -> None:
    from servicedesk.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        parse_filters(today=date(2026, 3, 2), **params)
    assert refused.value.field == field
