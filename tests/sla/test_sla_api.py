"""SLA through the API: preview, clocks on tickets, notifications, calendars."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from servicedesk.calendars.models import Calendar, CalendarDay
from servicedesk.core import clock
from servicedesk.sla.escalation import sla_sweep
from tests.sla.conftest import msk

pytestmark = pytest.mark.django_db


def test_preview_answers_due_times_with_offsets(desk, api_as) -> None:
    api = api_as(desk["agent"])
    response = api.post(
        "/sla/preview",
        {"service": "incident", "client": desk["apteka"].code, "at": "2026-11-27T16:30:00+03:00"},
    )  # Friday
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["sla_level"] == "SL_2"
    assert body["priority"] == "Средний"
    assert body["calendar"] == "5/2 МСК"
    assert body["acknowledgement_due"] is None
    assert body["reaction_due"] == "2026-11-30T11:30:00+03:00"  # Fri 1.5 h + Mon 2.5 h
    # Fri 1.5 h + Mon 9 h + Tue 9 h + Wed 09:00–13:30 (4.5 h) = 24 h.
    assert body["resolution_due"] == "2026-12-02T13:30:00+03:00"


def test_preview_for_an_l1_client_includes_acknowledgement(desk, api_as) -> None:
    body = (
        api_as(desk["agent"])
        .post(
            "/sla/preview",
            {"service": "incident", "client": desk["mega"].code, "at": "2026-11-28T10:00:00+03:00"},
        )
        .json()
    )
    assert body["acknowledgement_due"] == "2026-11-28T14:00:00+03:00"  # 4 h on 24/7
    assert body["reaction_due"] == "2026-11-30T13:00:00+03:00"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"service": "nope"}, "service"),
        ({"service": "incident", "client": "nope"}, "client"),
        ({"service": "incident", "calendar": "nope"}, "calendar"),
        ({"service": "incident", "at": "завтра"}, "at"),
        ({"service": "incident", "x": 1}, "x"),
    ],
)
def test_preview_refuses_bad_input(desk, api_as, payload, field) -> None:
    response = api_as(desk["agent"]).post("/sla/preview", payload)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field


def test_ticket_api_shows_each_clock(desk, api_as) -> None:
    api = api_as(desk["agent"])
    with clock.frozen_at(msk(2026, 11, 23, 9, 0)):
        number = api.post(
            "/tickets", {"subject": "x", "client": desk["mega"].code, "service": "incident"}
        ).json()["number"]
    with clock.frozen_at(msk(2026, 11, 23, 12, 30)):
        detail = api.get(f"/tickets/{number}").json()
        listing = api.get("/tickets").json()
    clocks = {c["target"]: c for c in detail["sla"]}
    assert list(clocks) == ["acknowledgement", "reaction", "resolution"]
    reaction = clocks["reaction"]
    assert reaction["due_at"] == "2026-11-23T13:00:00+03:00"
    assert reaction["elapsed_seconds"] == int(3.5 * 3600)
    assert reaction["remaining_seconds"] == 1800
    assert reaction["at_risk"] is True
    assert reaction["breached"] is False
    assert clocks["acknowledgement"]["breached"] is False
    assert listing["results"][0]["sla"] == detail["sla"]


def test_notifications_api_lists_counts_and_marks_read(desk, api_as) -> None:
    api = api_as(desk["agent"])
    with clock.frozen_at(msk(2026, 11, 23, 9, 0)):
        api.post(
            "/tickets",
            {
                "subject": "x",
                "client": desk["apteka"].code,
                "service": "incident",
                "assignee": "agent",
            },
        )
    sla_sweep(now=msk(2026, 11, 23, 12, 0))
    assert api.get("/notifications/unread-count").json() == {"unread": 1}
    items = api.get("/notifications").json()
    assert items[0]["title"].endswith("прошло 75% срока (реакция)")
    assert api.post(f"/notifications/{items[0]['id']}/read").json() == {"marked": 1}
    assert api.get("/notifications/unread-count").json() == {"unread": 0}
    assert api_as(desk["head"]).get("/notifications").json() == []


def test_calendar_export_import_round_trip_through_the_api(desk, api_as) -> None:
    api = api_as(desk["head"])
    document = api.get("/calendars/msk-5-2").json()
    assert document["week"]["mon"] == [["09:00", "18:00"]]
    assert document["overrides"]["2026-11-04"] == []
    assert document["overrides"]["2026-11-03"] == [["09:00", "17:00"]]
    document["overrides"]["2026-12-30"] = [["09:00", "13:00"]]
    saved = api.put("/calendars/msk-5-2", document)
    assert saved.status_code == 200, saved.content
    assert saved.json()["overrides"]["2026-12-30"] == [["09:00", "13:00"]]
    day = CalendarDay.objects.get(calendar__code="msk-5-2", date="2026-12-30")
    assert day.source == "admin"


def test_only_the_head_replaces_calendars_and_bad_documents_are_refused(desk, api_as) -> None:
    document = api_as(desk["head"]).get("/calendars/msk-5-2").json()
    assert api_as(desk["agent"]).put("/calendars/msk-5-2", document).status_code == 403
    document["week"]["mon"] = [["18:00", "09:00"]]
    bad = api_as(desk["head"]).put("/calendars/msk-5-2", document)
    assert bad.status_code == 422
    assert "week.mon" in bad.json()["message"]


def test_reseeding_a_year_keeps_the_heads_edits(desk) -> None:
    five_two = Calendar.objects.get(code="msk-5-2")
    CalendarDay.objects.filter(calendar=five_two, date="2026-12-31").update(
        kind="working", source="admin"
    )
    out = StringIO()
    call_command("calendar_seed_year", "2026", stdout=out)
    assert "сохранено ручных правок 1" in out.getvalue()
    assert CalendarDay.objects.get(calendar=five_two, date="2026-12-31").kind == "working"


def test_calendar_commands_export_and_import(desk, tmp_path) -> None:
    out = StringIO()
    call_command("calendar_export", "24-7", stdout=out)
    document = json.loads(out.getvalue())
    document["code"] = "night"
    document["name"] = "Ночная смена"
    document["week"] = {day: [["22:00", "24:00"]] for day in document["week"]}
    path = tmp_path / "night.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    call_command("calendar_import", str(path), stdout=StringIO())
    assert Calendar.objects.get(code="night").week["sun"] == [["22:00", "24:00"]]
