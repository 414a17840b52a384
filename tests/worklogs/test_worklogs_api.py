"""Work-time endpoints: logging, corrections, estimates, approvals, consultation hours."""

from __future__ import annotations

import pytest

from servicedesk.core import clock
from tests.worklogs.builders import msk, new_ticket

pytestmark = pytest.mark.django_db

AT = msk(2026, 2, 3, 12)


@pytest.fixture
def report_ticket(desk):
    return new_ticket(desk["agent"], desk["mega"], "report", msk(2026, 2, 2, 10))


def call(caller, method, path, body=None):
    with clock.frozen_at(AT):
        return (
            getattr(caller, method)(path, body)
            if body is not None
            else getattr(caller, method)(path)
        )


def test_staff_log_time_and_read_it_back(desk, api_as, report_ticket) -> None:
    agent = api_as(desk["agent"])
    path = f"/tickets/{report_ticket.display_number}/worklogs"
    created = call(agent, "post", path, {"minutes": 90, "note": "Выгрузка"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["minutes"], body["hours"], body["billable"], body["work_date"]) == (
        90,
        "1.50",
        True,
        "2026-02-03",
    )
    listed = call(agent, "get", path).json()
    assert listed["summary"]["billable_minutes"] == 90
    assert [log["note"] for log in listed["results"]] == ["Выгрузка"]


def test_client_users_see_the_time_but_not_the_internal_note(desk, api_as, report_ticket) -> None:
    path = f"/tickets/{report_ticket.display_number}/worklogs"
    call(api_as(desk["agent"]), "post", path, {"minutes": 30, "note": "внутреннее"})
    listed = call(api_as(desk["mega_user"]), "get", path).json()
    assert listed["results"][0]["minutes"] == 30
    assert listed["results"][0]["note"] is None
    assert call(api_as(desk["apteka_user"]), "get", path).status_code == 404
    refused = call(api_as(desk["mega_user"]), "post", path, {"minutes": 30})
    assert refused.status_code == 403


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"minutes": 0}, ["body", "payload", "minutes"]),
        ({"minutes": 30, "colour": "red"}, ["body", "payload", "colour"]),
        ({"minutes": 30, "work_date": "2026-02-10"}, ["body", "work_date"]),
        ({"minutes": 30, "work_date": "вчера"}, ["body", "payload", "work_date"]),
    ],
)
def test_bad_work_logs_get_422_naming_the_field(desk, api_as, report_ticket, body, loc) -> None:
    response = call(
        api_as(desk["agent"]), "post", f"/tickets/{report_ticket.display_number}/worklogs", body
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == loc
    assert response.json()["detail"][0]["msg"]


def test_the_head_corrects_through_patch_and_others_may_not(desk, api_as, report_ticket) -> None:
    path = f"/tickets/{report_ticket.display_number}/worklogs"
    log = call(api_as(desk["agent"]), "post", path, {"minutes": 90}).json()
    refused = call(
        api_as(desk["agent"]), "patch", f"/worklogs/{log['id']}", {"minutes": 0, "reason": "x"}
    )
    assert refused.status_code == 403
    no_reason = call(api_as(desk["head"]), "patch", f"/worklogs/{log['id']}", {"minutes": 0})
    assert no_reason.status_code == 422
    corrected = call(
        api_as(desk["head"]),
        "patch",
        f"/worklogs/{log['id']}",
        {"minutes": 0, "reason": "Списано по ошибке"},
    )
    assert corrected.status_code == 200
    assert corrected.json()["minutes"] == 0
    events = call(api_as(desk["head"]), "get", f"/tickets/{report_ticket.display_number}/events")
    assert "worklog_corrected" in [event["type"] for event in events.json()]
    missing = call(api_as(desk["head"]), "patch", "/worklogs/999999", {"minutes": 1, "reason": "x"})
    assert missing.status_code == 404


def test_estimate_flow_through_the_api(desk, api_as, report_ticket) -> None:
    number = report_ticket.display_number
    proposed = call(api_as(desk["agent"]), "post", f"/tickets/{number}/estimates", {"hours": "1.5"})
    assert proposed.status_code == 201, proposed.content
    estimate = proposed.json()
    assert (estimate["hours"], estimate["state"]) == ("1.50", "proposed")
    decision = f"/tickets/{number}/estimates/{estimate['id']}/decision"
    assert call(api_as(desk["agent"]), "post", decision, {"approve": True}).status_code == 403
    assert call(api_as(desk["apteka_user"]), "post", decision, {"approve": True}).status_code == 404
    approved = call(api_as(desk["mega_user"]), "post", decision, {"approve": True, "note": "Ок"})
    assert approved.json()["state"] == "approved"
    assert approved.json()["decided_by"] == str(desk["mega_user"])

    log = call(
        api_as(desk["agent"]), "post", f"/tickets/{number}/worklogs", {"minutes": 120}
    ).json()
    assert (log["excess_minutes"], log["excess_state"]) == (30, "pending")
    pending = call(api_as(desk["manager"]), "get", "/worklogs/pending-approvals")
    assert [row["id"] for row in pending.json()] == [log["id"]]
    assert call(api_as(desk["agent"]), "get", "/worklogs/pending-approvals").status_code == 403
    decided = call(
        api_as(desk["manager"]),
        "post",
        f"/worklogs/{log['id']}/excess-decision",
        {"approve": False},
    )
    assert decided.json()["excess_state"] == "rejected"
    listed = call(api_as(desk["agent"]), "get", f"/tickets/{number}/estimates").json()
    assert [e["state"] for e in listed] == ["approved"]


def test_consultation_hours_of_a_client_and_month(desk, api_as) -> None:
    ticket = new_ticket(desk["agent"], desk["mega"], "consultation", msk(2026, 2, 2, 10))
    call(
        api_as(desk["agent"]),
        "post",
        f"/tickets/{ticket.display_number}/worklogs",
        {"minutes": 630},
    )
    code = desk["mega"].code
    body = call(
        api_as(desk["manager"]), "get", f"/clients/{code}/consultation-hours?month=2026-02"
    ).json()
    assert body == {
        "client": code,
        "month": "2026-02",
        "used_minutes": 630,
        "used_hours": "10.50",
        "cap_hours": "10.00",
        "over_cap_hours": "0.50",
        "remaining_minutes": 0,
        "month_closed": False,
    }
    current = call(api_as(desk["mega_user"]), "get", f"/clients/{code}/consultation-hours")
    assert current.json()["month"] == "2026-02"
    other = call(api_as(desk["apteka_user"]), "get", f"/clients/{code}/consultation-hours")
    assert other.status_code == 404
    bad = call(api_as(desk["head"]), "get", f"/clients/{code}/consultation-hours?month=02.2026")
    assert bad.status_code == 422
