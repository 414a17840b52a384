"""The generic call webhook: token, schema, idempotency, order, caller id, pop-ups."""

from __future__ import annotations

import pytest

from servicedesk.telephony.models import Call, CallEvent, CallPopup

pytestmark = pytest.mark.django_db

GUEST_PHONE_TYPED = "8 (916) 123-45-67"  # the mega guest's +79161234567, as a PBX may send it


def counts() -> tuple[int, int, int]:
    return Call.objects.count(), CallEvent.objects.count(), CallPopup.objects.count()


def test_a_new_call_identifies_the_caller_and_pops_up_at_the_extension(world, l1, send) -> None:
    response = send(
        event="newCall",
        **{"from": GUEST_PHONE_TYPED},
        to="88003333236",
        extension="106",
        timestamp="2026-03-02T12:00:00+03:00",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["duplicate"] is False
    assert body["state"] == "ringing"
    assert body["caller"] == {
        "contact": str(world["mega_guest"]),
        "client": world["mega"].code,
        "outlet": None,
    }
    assert body["popup_for"] == ["sd"]
    call = Call.objects.get()
    assert call.from_number == "+79161234567"
    assert call.from_raw == GUEST_PHONE_TYPED
    assert call.caller_contact == world["mega_guest"]
    assert call.started_at.isoformat() == "2026-03-02T09:00:00+00:00"


def test_without_an_extension_every_l1_agent_sees_the_card(world, l1, send) -> None:
    body = send(event="newCall", **{"from": "+79161234567"}, to="88003333236").json()
    assert body["popup_for"] == ["sd", "sd2"]


def test_a_repeated_delivery_answers_the_stored_result_and_changes_nothing(world, l1, send) -> None:
    first = send(event="newCall", **{"from": "+79161234567"}, extension="106").json()
    before = counts()
    again = send(event="newCall", **{"from": "+79990000000"}, extension="107")
    assert again.status_code == 200
    assert again.json() == first | {"duplicate": True}
    assert counts() == before
    assert Call.objects.get().from_number == "+79161234567"


@pytest.mark.parametrize(
    "body",
    [
        {"event": "newCall"},  # no callId
        {"callId": "x", "event": "ringing"},
        {"callId": "", "event": "newCall"},
        {"callId": "   ", "event": "newCall"},
        {"callId": "x", "event": "newCall", "direction": "sideways"},
        {"callId": "x", "event": "hangup", "duration": -1},
        {"callId": "x", "event": "record"},
        {"callId": "x", "event": "record", "recordingUrl": "ftp://pbx/rec.mp3"},
        {"callId": "x", "event": "newCall", "timestamp": "вчера"},
        {"callId": "x", "event": "newCall", "caller": "+79161234567"},
        {"callId": "x" * 151, "event": "newCall"},
    ],
)
def test_bad_payloads_answer_422_and_write_nothing(world, l1, pbx, body) -> None:
    response = pbx.post("/telephony/events", body)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid"
    assert response.json()["detail"][0]["msg"]
    assert counts() == (0, 0, 0)


def test_a_body_that_is_not_json_is_refused(world, pbx) -> None:
    response = pbx.client.post(
        "/api/v1/telephony/events",
        data="event=newCall",
        content_type="application/json",
        headers=pbx.headers,
    )
    assert response.status_code in (400, 422)  # ninja answers malformed JSON with 400
    assert response.json()["message"]
    assert counts() == (0, 0, 0)


def test_only_the_telephony_token_or_a_channel_admin_may_post(world, api_as, send) -> None:
    from servicedesk.accounts.roles import Role
    from tests import factories

    body = {"callId": "c", "event": "newCall"}
    assert api_as(world["agent"]).post("/telephony/events", body).status_code == 403
    assert api_as(factories.staff(Role.SYSADMIN)).post("/telephony/events", body).status_code == 200
    anonymous = api_as(world["agent"])
    anonymous.headers = {}
    assert anonymous.post("/telephony/events", body).status_code == 401


def test_hangup_before_answer_and_record_after_hangup(world, l1, send) -> None:
    send(event="newCall", **{"from": "+79161234567"}, timestamp="2026-03-02T09:00:00Z")
    send(event="hangup", cause="normal", timestamp="2026-03-02T09:02:00Z")
    assert Call.objects.get().missed is True
    answered = send(event="answer", extension="107", timestamp="2026-03-02T09:00:30Z").json()
    assert answered["state"] == "ended"
    assert answered["missed"] is False
    assert answered["answered_by"] == "sd2"
    assert answered["duration"] == 90
    record = send(event="record", recordingUrl="https://pbx.test/rec/call-1.mp3").json()
    assert record["state"] == "ended"
    call = Call.objects.get()
    assert call.recording_url == "https://pbx.test/rec/call-1.mp3"
    assert call.recording_status == "pending"
    assert call.callback_status == "not_needed"


def test_a_call_first_seen_at_its_hangup_is_a_missed_call_to_call_back(world, l1, send) -> None:
    body = send(event="hangup", **{"from": "+79161234567"}, timestamp="2026-03-02T09:02:00Z").json()
    assert body["missed"] is True and body["callback"] == "pending"
    late = send(
        event="newCall", **{"from": "+79161234567"}, timestamp="2026-03-02T09:01:00Z"
    ).json()
    assert late["state"] == "ended"
    assert late["popup_for"] == []  # nobody is shown a call that is already over
    assert Call.objects.get().started_at.isoformat() == "2026-03-02T09:01:00+00:00"


def test_answer_closes_the_card_for_the_others_and_hangup_for_all_but_the_answerer(
    world, l1, send
) -> None:
    send(event="newCall", **{"from": "+79161234567"})
    assert send(event="answer", extension="106").json()["popup_for"] == ["sd"]
    assert send(event="hangup", duration=42).json()["popup_for"] == ["sd"]
    dismissed = CallPopup.objects.get(user=l1["sd2"])
    assert dismissed.dismiss_reason == "answered_elsewhere"


def test_a_missed_call_closes_every_card(world, l1, send) -> None:
    send(event="newCall", **{"from": "+79161234567"})
    assert send(event="hangup", cause="NO ANSWER").json()["popup_for"] == []


def test_hidden_numbers_are_logged_but_not_queued_for_a_call_back(world, l1, send) -> None:
    send(event="newCall", **{"from": "anonymous"})
    body = send(event="hangup").json()
    assert body["missed"] is True and body["callback"] == "not_needed"
    assert Call.objects.get().from_raw == "anonymous"


def test_outgoing_calls_do_not_pop_up(world, l1, send) -> None:
    body = send(
        event="newCall", direction="out", **{"from": "106"}, to="+79161234567", extension="106"
    ).json()
    assert body["popup_for"] == []
    assert body["caller"]["contact"] == str(world["mega_guest"])


def test_the_call_log_api(world, l1, send, api_as) -> None:
    send(event="newCall", **{"from": "+79161234567"}, callId="mango:abc/def==")
    api = api_as(l1["sd"])
    [row] = api.get("/telephony/calls").json()
    assert row["call_id"] == "mango:abc/def=="
    assert api.get("/telephony/calls/mango:abc/def==").json()["contact"] == str(world["mega_guest"])
    assert api.get("/telephony/calls/nope").status_code == 404
    assert api_as(world["mega_user"]).get("/telephony/calls").status_code == 403
