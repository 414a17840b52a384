"""The call-back queue of L1: missed calls by number, attempts, reached numbers leave."""

from __future__ import annotations

import pytest

from servicedesk.telephony.models import Call, CallbackAttempt

pytestmark = pytest.mark.django_db


def miss(send, call_id: str, number: str, at: str) -> None:
    send(callId=call_id, event="newCall", **{"from": number}, timestamp=at)
    send(callId=call_id, event="hangup", timestamp=at)


@pytest.fixture
def missed(world, l1, send) -> None:
    miss(send, "m1", "+79161234567", "2026-03-02T09:00:00Z")
    miss(send, "m2", "+79161234567", "2026-03-02T09:10:00Z")
    miss(send, "m3", "+79031112233", "2026-03-02T09:05:00Z")


def test_the_queue_groups_missed_calls_by_number_longest_waiting_first(
    world, l1, missed, api_as
) -> None:
    queue = api_as(l1["sd"]).get("/telephony/callbacks").json()
    assert [item["number"] for item in queue] == ["+79161234567", "+79031112233"]
    guest = queue[0]
    assert guest["missed_count"] == 2
    assert guest["call"] == "m2"  # the latest call of the number
    assert guest["contact"] == str(world["mega_guest"])
    assert guest["client"]["code"] == world["mega"].code


def test_not_reached_keeps_the_number_with_the_note_reached_removes_all_its_calls(
    world, l1, missed, api_as
) -> None:
    api = api_as(l1["sd"])
    tried = api.post("/telephony/callbacks/m2", {"reached": False, "note": "Не берёт трубку"})
    assert tried.status_code == 200, tried.content
    guest = api.get("/telephony/callbacks").json()[0]
    assert guest["attempts"] == 1 and guest["last_attempt_note"] == "Не берёт трубку"
    done = api.post("/telephony/callbacks/m2", {"reached": True, "note": "Баллы начислены вручную"})
    assert done.json()["queue_left"] is True
    assert [item["number"] for item in api.get("/telephony/callbacks").json()] == ["+79031112233"]
    assert set(
        Call.objects.filter(from_number="+79161234567").values_list("callback_status", flat=True)
    ) == {"done"}
    assert Call.objects.get(call_id="m1").called_back_by == l1["sd"]
    again = api.post("/telephony/callbacks/m1", {"reached": True})
    assert again.status_code == 422
    assert CallbackAttempt.objects.count() == 2


def test_an_answered_call_from_the_same_number_takes_it_out_of_the_queue(
    world, l1, missed, send, api_as
) -> None:
    send(callId="back", event="newCall", **{"from": "+79161234567"})
    send(callId="back", event="answer", extension="106")
    assert [item["number"] for item in api_as(l1["sd"]).get("/telephony/callbacks").json()] == [
        "+79031112233"
    ]


def test_calling_the_number_back_and_getting_through_also_counts(
    world, l1, missed, send, api_as
) -> None:
    send(
        callId="out",
        event="newCall",
        direction="out",
        **{"from": "106"},
        to="+79031112233",
        extension="106",
    )
    send(callId="out", event="answer", direction="out", extension="106")
    numbers = [item["number"] for item in api_as(l1["sd"]).get("/telephony/callbacks").json()]
    assert numbers == ["+79161234567"]


def test_callback_input_is_checked(world, l1, missed, api_as) -> None:
    api = api_as(l1["sd"])
    assert api.post("/telephony/callbacks/m1", {"note": "без результата"}).status_code == 422
    assert (
        api.post("/telephony/callbacks/m1", {"reached": True, "note": "x" * 501}).status_code == 422
    )
    assert api.post("/telephony/callbacks/nope", {"reached": True}).status_code == 404
    assert api_as(world["mega_user"]).get("/telephony/callbacks").status_code == 403


def test_the_queue_page_and_its_htmx_action(world, l1, missed, client) -> None:
    client.force_login(l1["sd"])
    page = client.get("/telephony/callbacks/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Очередь перезвона" in html and "+79161234567" in html and "+79031112233" in html
    assert str(world["mega_guest"]) in html
    response = client.post(
        "/telephony/callbacks/m3/",
        {"reached": "1", "note": "Объяснил правила"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<div id="callback-queue">')
    assert "+79031112233" not in fragment and "+79161234567" in fragment
    plain = client.post("/telephony/callbacks/m1/", {"reached": "0"})
    assert plain.status_code == 302


def test_the_queue_page_is_for_staff_only(world, client) -> None:
    assert client.get("/telephony/callbacks/").status_code == 302  # to the login page
    client.force_login(world["mega_user"])
    assert client.get("/telephony/callbacks/").status_code == 403


def test_full_numbers_are_shown_and_logged_only_for_roles_that_may_see_them(
    world, l1, missed, client
) -> None:
    from servicedesk.accounts.roles import Role
    from servicedesk.privacy.models import PersonalDataAccess
    from tests import factories

    client.force_login(factories.staff(Role.SYSADMIN, username="admin-net"))
    masked = client.get("/telephony/callbacks/").content.decode()
    assert "+79161234567" not in masked and "4567" in masked
    assert not PersonalDataAccess.objects.exists()
    client.force_login(l1["sd"])
    assert "+79161234567" in client.get("/telephony/callbacks/").content.decode()
    logged = PersonalDataAccess.objects.filter(contact=world["mega_guest"], purpose="call")
    assert logged.filter(actor=l1["sd"]).exists()
