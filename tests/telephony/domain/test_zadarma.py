"""Zadarma notifications mapped to our events, and their signature."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from servicedesk.telephony.domain.calls import CallEventKind, Direction
from servicedesk.telephony.domain.vendors import MappingError
from servicedesk.telephony.domain.zadarma import (
    zadarma_events,
    zadarma_sign,
    zadarma_signature_valid,
    zadarma_signed_string,
)

NOW = datetime(2026, 3, 2, 9, 5, tzinfo=UTC)
MSK = ZoneInfo("Europe/Moscow")
SECRET = "zd-secret"
START = {
    "event": "NOTIFY_START",
    "call_start": "2026-03-02 12:00:00",
    "pbx_call_id": "in_8a1b",
    "caller_id": "79161234567",
    "called_did": "78003333236",
}


def test_signature_is_base64_of_the_hex_hmac_sha1_like_their_php_library() -> None:
    expected = base64.b64encode(
        hmac.new(SECRET.encode(), b"79161234567780033332362026-03-02 12:00:00", hashlib.sha1)
        .hexdigest()
        .encode()
    ).decode()
    assert zadarma_sign(zadarma_signed_string(START) or "", SECRET) == expected
    assert zadarma_signature_valid(START, expected, SECRET)
    assert not zadarma_signature_valid(START | {"caller_id": "79990000000"}, expected, SECRET)
    assert not zadarma_signature_valid(START, expected, "other-secret")
    assert not zadarma_signature_valid(START, "", SECRET)


def test_each_event_signs_its_own_fields() -> None:
    assert (
        zadarma_signed_string(
            {
                "event": "NOTIFY_OUT_START",
                "internal": "101",
                "destination": "79161234567",
                "call_start": "x",
            }
        )
        == "10179161234567x"
    )
    assert (
        zadarma_signed_string(
            {"event": "NOTIFY_RECORD", "pbx_call_id": "in_1", "call_id_with_rec": "r1"}
        )
        == "in_1r1"
    )
    assert zadarma_signed_string({"event": "SOMETHING_ELSE"}) is None


def test_start_answer_end_record() -> None:
    [start] = zadarma_events(START, received_at=NOW, zone=MSK)
    assert start.kind == CallEventKind.NEW_CALL
    assert start.call_id == "zadarma:in_8a1b"
    assert start.at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert start.direction == Direction.IN and start.from_number == "79161234567"
    [answer] = zadarma_events(
        {
            "event": "NOTIFY_ANSWER",
            "pbx_call_id": "in_8a1b",
            "caller_id": "79161234567",
            "destination": "106",
            "internal": "106",
            "call_start": "2026-03-02 12:00:00",
        },
        received_at=NOW,
        zone=MSK,
    )
    assert answer.kind == CallEventKind.ANSWER and answer.extension == "106"
    ended = zadarma_events(
        START
        | {
            "event": "NOTIFY_END",
            "duration": "47",
            "disposition": "answered",
            "internal": "106",
            "is_recorded": "1",
        },
        received_at=NOW,
        zone=MSK,
    )
    assert [e.kind for e in ended] == [CallEventKind.ANSWER, CallEventKind.HANGUP]
    assert ended[-1].duration == 47 and ended[-1].cause == "answered"
    [record] = zadarma_events(
        {"event": "NOTIFY_RECORD", "pbx_call_id": "in_8a1b", "call_id_with_rec": "1772442000.123"},
        received_at=NOW,
        zone=MSK,
    )
    assert record.recording_url == "zadarma:1772442000.123"


def test_a_missed_call_ends_without_an_answer() -> None:
    ended = zadarma_events(
        START | {"event": "NOTIFY_END", "duration": "0", "disposition": "no answer"},
        received_at=NOW,
        zone=MSK,
    )
    assert [e.kind for e in ended] == [CallEventKind.HANGUP]


def test_outgoing_calls_carry_the_employee_extension() -> None:
    [start] = zadarma_events(
        {
            "event": "NOTIFY_OUT_START",
            "pbx_call_id": "out_1",
            "internal": "101",
            "destination": "79161234567",
            "call_start": "2026-03-02 12:00:00",
        },
        received_at=NOW,
        zone=MSK,
    )
    assert start.direction == Direction.OUT and start.extension == "101"


def test_ignored_events_and_broken_payloads() -> None:
    assert (
        zadarma_events({"event": "NOTIFY_INTERNAL", "pbx_call_id": "x"}, received_at=NOW, zone=MSK)
        == []
    )
    assert zadarma_events({"event": "SMS"}, received_at=NOW, zone=MSK) == []
    with pytest.raises(MappingError):
        zadarma_events(START | {"pbx_call_id": ""}, received_at=NOW, zone=MSK)
    with pytest.raises(MappingError):
        zadarma_events(START | {"call_start": "02.03.2026"}, received_at=NOW, zone=MSK)
    with pytest.raises(MappingError):
        zadarma_events(START | {"event": "NOTIFY_END", "duration": "-5"}, received_at=NOW, zone=MSK)
