"""The report endpoints: JSON, exports, closing a month, access and bad input."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from servicedesk.core import clock
from tests.reports.dataset import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(data, api_as):
    def caller(key):
        return api_as(data[key])

    return caller


def get(caller, path):
    with clock.frozen_at(NOW):
        return caller.get(path)


def test_the_sla_report_as_json(api) -> None:
    response = get(api("head"), "/reports/sla?month=2026-02&group_by=client")
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == "2026-02"
    assert [t["key"] for t in body["tables"]] == ["compliance", "breaches"]
    compliance = body["tables"][0]
    assert compliance["columns"][0] == {"key": "group", "label": "Клиент", "kind": "text"}
    assert {row["group"]: row["reaction_percent"] for row in compliance["rows"]} == {
        "Аптека": 80.0,
        "Мега": 50.0,
    }
    assert compliance["footer"]["resolution_percent"] == 40.0
    breaches = body["tables"][1]["rows"]
    assert all(row["ticket_url"].startswith("/") for row in breaches)


def test_a_period_by_dates_and_weekly_flow(api) -> None:
    response = get(api("manager"), "/reports/backlog?from=2026-02-02&to=2026-02-15&step=week")
    assert response.status_code == 200
    flow = next(t for t in response.json()["tables"] if t["key"] == "flow")
    assert [row["step"] for row in flow["rows"]] == ["с 02.02.2026", "с 09.02.2026"]


def test_client_users_get_their_own_figures_and_no_staff_reports(api) -> None:
    body = get(api("apteka_user"), "/reports/sla?month=2026-02&client=mega").json()
    assert [row["group"] for row in body["tables"][0]["rows"]] == ["Аптека"]
    billing = get(api("mega_user"), "/reports/billing?month=2026-02").json()
    assert [row["client"] for row in billing["tables"][0]["rows"]] == ["Мега"]
    for name in ("load", "mix"):
        response = get(api("mega_user"), f"/reports/{name}?month=2026-02")
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"


def test_billing_is_for_the_head_not_the_service_manager(api) -> None:
    assert get(api("manager"), "/reports/billing?month=2026-02").status_code == 403
    assert get(api("manager"), "/reports/sla?month=2026-02").status_code == 200
    assert get(api("agent"), "/reports/sla?month=2026-02").status_code == 403


@pytest.mark.parametrize(
    ("path", "status", "field"),
    [
        ("/reports/sla?month=2026-2", 422, "month"),
        ("/reports/sla?from=31.01.2026", 422, "from"),
        ("/reports/sla?group_by=colour", 422, "group_by"),
        ("/reports/weather?month=2026-02", 404, None),
        ("/reports/sla/export?format=pdf", 422, None),
        ("/reports/sla/export?format=csv&table=nothing", 404, "table"),
    ],
)
def test_bad_report_requests_get_structured_errors(api, path, status, field) -> None:
    response = get(api("head"), path)
    assert response.status_code == status, response.content
    body = response.json()
    assert body["message"]
    if field:
        assert body["detail"][0]["loc"] == ["body", field]


def test_exports_through_the_api(api) -> None:
    response = get(api("head"), "/reports/billing/export?month=2026-02&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="billing-2026-02.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:2] == ["Сводка", "Счета по клиентам"]
    assert "Часы 3-й линии по обращениям" in workbook.sheetnames
    response = get(api("head"), "/reports/mix/export?month=2026-02&format=csv&table=services")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeffКатегория;Обращений;Доля, %".encode())


def test_closing_a_month_through_the_api(api) -> None:
    with clock.frozen_at(NOW):
        closed = api("head").post("/reports/billing/2026-02/close")
        again = api("head").post("/reports/billing/2026-02/close")
        early = api("head").post("/reports/billing/2026-03/close")
        forbidden = api("manager").post("/reports/billing/2026-01/close")
        bad = api("head").post("/reports/billing/feb/close")
    assert closed.status_code == 201
    assert closed.json()["month"] == "2026-02"
    assert again.status_code == 409
    assert early.status_code == 422
    assert forbidden.status_code == 403
    assert bad.status_code == 422
    months = get(api("mega_user"), "/reports/billing/closed-months").json()
    assert [m["month"] for m in months] == ["2026-02"]
