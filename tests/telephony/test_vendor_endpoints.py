"""Mango Office and Zadarma endpoints: signatures checked, payloads mapped into the pipeline."""

from __future__ import annotations

import json
from typing import Any

import pytest

from servicedesk.telephony.domain.mango import mango_sign
from servicedesk.telephony.domain.zadarma import zadarma_sign, zadarma_signed_string
from servicedesk.telephony.models import Call, CallEvent
from servicedesk.telephony.selectors import telephony_settings
from servicedesk.telephony.services.recordings import call_recording_download
from tests.telephony.fake_pbx import AUDIO, fake_pbx

pytestmark = pytest.mark.django_db

KEY, SALT, ZD_SECRET = "mango-key", "mango-salt", "zd-secret"
ENTRY = "MzUyODMzNzkxMjo0MDE="


@pytest.fixture
def configured(world, l1) -> Any:
    config = telephony_settings()
    config.mango_api_key, config.mango_api_salt = KEY, SALT
    config.zadarma_api_key, config.zadarma_api_secret = "zd-key", ZD_SECRET
    config.save()
    return config


def mango(client, kind: str, payload: dict[str, Any], *, key: str = KEY, salt: str = SALT) -> Any:
    text = json.dumps(payload, ensure_ascii=False)
    return client.post(
        f"/api/v1/telephony/mango/events/{kind}",
        {"vpbx_api_key": key, "sign": mango_sign(key, text, salt), "json": text},
    )


def zadarma(client, data: dict[str, str], *, secret: str = ZD_SECRET) -> Any:
    signature = zadarma_sign(zadarma_signed_string(data) or "", secret)
    return client.post("/api/v1/telephony/zadarma/events", data, headers={"Signature": signature})


MANGO_RING = {
    "entry_id": ENTRY,
    "call_id": "leg-1",
    "timestamp": 1772442000,
    "seq": 1,
    "call_state": "Appeared",
    "location": "abonent",
    "from": {"number": "79161234567"},
    "to": {"extension": "106", "line_number": "78003333236"},
}


def test_a_signed_mango_call_rings_the_extension_and_is_logged(configured, l1, client) -> None:
    response = mango(client, "call", MANGO_RING)
    assert response.status_code == 200, response.content
    call = Call.objects.get()
    assert call.call_id == f"mango:{ENTRY}"
    assert call.source == "mango"
    assert call.from_number == "+79161234567"
    assert list(call.popups.values_list("user__username", flat=True)) == ["sd"]
    assert (
        mango(client, "call", MANGO_RING | {"seq": 2}).status_code == 200
    )  # another leg: a repeat
    assert CallEvent.objects.count() == 1


def test_a_mango_summary_of_an_unanswered_call_queues_a_call_back(configured, l1, client) -> None:
    mango(client, "call", MANGO_RING)
    summary = {
        "entry_id": ENTRY,
        "call_direction": 1,
        "from": {"number": "79161234567"},
        "to": {"extension": "106"},
        "line_number": "78003333236",
        "create_time": 1772442000,
        "talk_time": 0,
        "end_time": 1772442030,
        "entry_result": 0,
        "disconnect_reason": 1120,
    }
    assert mango(client, "summary", summary).status_code == 200
    call = Call.objects.get()
    assert call.missed and call.callback_status == "pending" and call.cause == "1120"


def test_a_wrong_mango_signature_or_key_is_refused_and_nothing_is_written(
    configured, client
) -> None:
    assert mango(client, "call", MANGO_RING, salt="guess").status_code == 403
    assert mango(client, "call", MANGO_RING, key="other").status_code == 403
    assert Call.objects.count() == 0


def test_an_unreadable_mango_payload_answers_422_and_writes_nothing(configured, client) -> None:
    assert mango(client, "call", {"call_state": "Appeared"}).status_code == 422
    text = "{not json"
    broken = client.post(
        "/api/v1/telephony/mango/events/call",
        {"vpbx_api_key": KEY, "sign": mango_sign(KEY, text, SALT), "json": text},
    )
    assert broken.status_code == 422
    assert Call.objects.count() == 0


def test_mango_is_refused_until_configured(world, client) -> None:
    assert mango(client, "call", MANGO_RING, key="", salt="").status_code == 403


def test_mango_recordings_are_fetched_with_a_signed_request(configured, l1, client) -> None:
    with fake_pbx() as server:
        configured.mango_api_url = f"{server.base}/vpbx"
        configured.save()
        mango(client, "call", MANGO_RING)
        mango(
            client,
            "recording",
            {"entry_id": ENTRY, "recording_id": "MToxMjI3NTM6MzUy", "recording_state": "Completed"},
        )
        assert call_recording_download(Call.objects.get().pk) == "downloaded"
        assert server.hits == ["POST /vpbx/queries/recording/post/"]
    assert Call.objects.get().recording.read() == AUDIO


ZD_START = {
    "event": "NOTIFY_START",
    "call_start": "2026-03-02 12:00:00",
    "pbx_call_id": "in_8a1b",
    "caller_id": "79161234567",
    "called_did": "78003333236",
}


def test_zadarma_checks_the_url_with_zd_echo(world, client) -> None:
    response = client.get("/api/v1/telephony/zadarma/events?zd_echo=f1d2a3")
    assert response.status_code == 200
    assert response.content == b"f1d2a3"
    assert response["Content-Type"].startswith("text/plain")


def test_a_signed_zadarma_call_is_answered_ended_and_logged(configured, l1, client) -> None:
    assert zadarma(client, ZD_START).status_code == 200
    answer = {
        "event": "NOTIFY_ANSWER",
        "call_start": "2026-03-02 12:00:00",
        "pbx_call_id": "in_8a1b",
        "caller_id": "79161234567",
        "destination": "106",
        "internal": "106",
    }
    assert zadarma(client, answer).status_code == 200
    end = ZD_START | {
        "event": "NOTIFY_END",
        "internal": "106",
        "duration": "47",
        "disposition": "answered",
        "status_code": "16",
        "is_recorded": "0",
    }
    assert zadarma(client, end).status_code == 200
    call = Call.objects.get()
    assert call.call_id == "zadarma:in_8a1b"
    assert call.state == "ended" and not call.missed
    assert call.duration == 47 and call.answered_by == l1["sd"]
    assert call.started_at.isoformat() == "2026-03-02T09:00:00+00:00"


def test_a_wrong_zadarma_signature_is_refused(configured, client) -> None:
    assert zadarma(client, ZD_START, secret="guess").status_code == 403
    unsigned = client.post("/api/v1/telephony/zadarma/events", ZD_START)
    assert unsigned.status_code == 403
    assert Call.objects.count() == 0


def test_a_broken_zadarma_payload_answers_422(configured, client) -> None:
    assert zadarma(client, ZD_START | {"call_start": "вчера"}).status_code == 422
    assert Call.objects.count() == 0


def test_zadarma_recordings_are_fetched_through_their_api(configured, l1, client) -> None:
    with fake_pbx() as server:
        configured.zadarma_api_url = server.base
        configured.save()
        zadarma(client, ZD_START)
        zadarma(
            client,
            {
                "event": "NOTIFY_RECORD",
                "pbx_call_id": "in_8a1b",
                "call_id_with_rec": "1772442000.77",
            },
        )
        assert call_recording_download(Call.objects.get().pk) == "downloaded"
        assert server.hits == ["GET /v1/pbx/record/request/", "GET /rec/call.mp3"]


def test_pbx_posts_need_no_csrf_token(configured, l1, pbx) -> None:
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert mango(strict, "call", MANGO_RING).status_code == 200
    assert zadarma(strict, ZD_START).status_code == 200
    webhook = strict.post(
        "/api/v1/telephony/events",
        {"callId": "csrf-1", "event": "newCall"},
        content_type="application/json",
        headers=pbx.headers,
    )
    assert webhook.status_code == 200
