"""Mango Office notifications mapped to our events, and their signature."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from servicedesk.telephony.domain.calls import CallEventKind, Direction
from servicedesk.telephony.domain.mango import mango_events, mango_sign, mango_signature_valid
from servicedesk.telephony.domain.vendors import MappingError

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ENTRY = "MzUyODMzNzkxMjo0MDE="


def test_signature_is_sha256_of_key_json_and_salt() -> None:
    import hashlib

    text = '{"entry_id":"x"}'
    assert mango_sign("key", text, "salt") == hashlib.sha256(b'key{"entry_id":"x"}salt').hexdigest()
    good = mango_sign("key", text, "salt")
    assert mango_signature_valid(
        api_key="key", sign=good, json_text=text, expected_key="key", salt="salt"
    )
    assert not mango_signature_valid(
        api_key="key", sign=good, json_text=text + " ", expected_key="key", salt="salt"
    )
    assert not mango_signature_valid(
        api_key="other",
        sign=mango_sign("other", text, "salt"),
        json_text=text,
        expected_key="key",
        salt="salt",
    )
    assert not mango_signature_valid(api_key="", sign="", json_text=text, expected_key="", salt="")


def test_an_appeared_leg_to_an_employee_is_a_new_call_for_that_extension() -> None:
    [event] = mango_events(
        "call",
        {
            "entry_id": ENTRY,
            "call_id": "leg-1",
            "timestamp": 1772442000,
            "seq": 2,
            "call_state": "Appeared",
            "location": "abonent",
            "from": {"number": "79161234567"},
            "to": {
                "extension": "106",
                "number": "sip:sd@plastek.mangosip.ru",
                "line_number": "78003333236",
            },
        },
        received_at=NOW,
    )
    assert event.kind == CallEventKind.NEW_CALL
    assert event.call_id == f"mango:{ENTRY}"
    assert event.extension == "106"
    assert event.direction == Direction.IN
    assert event.from_number == "79161234567"
    assert event.to_number == "78003333236"
    assert event.at == datetime.fromtimestamp(1772442000, tz=UTC)


def test_connected_is_an_answer_and_disconnected_legs_are_left_to_the_summary() -> None:
    base = {"entry_id": ENTRY, "from": {"number": "79161234567"}, "to": {"extension": "106"}}
    [answer] = mango_events("call", base | {"call_state": "Connected"}, received_at=NOW)
    assert answer.kind == CallEventKind.ANSWER and answer.extension == "106"
    assert mango_events("call", base | {"call_state": "Disconnected"}, received_at=NOW) == []


def test_an_employee_calling_out_is_outgoing_with_their_extension() -> None:
    [event] = mango_events(
        "call",
        {
            "entry_id": ENTRY,
            "call_state": "Appeared",
            "from": {"extension": "101"},
            "to": {"number": "79161234567"},
        },
        received_at=NOW,
    )
    assert event.direction == Direction.OUT and event.extension == "101"


def test_summary_of_an_answered_call_gives_start_answer_and_hangup() -> None:
    events = mango_events(
        "summary",
        {
            "entry_id": ENTRY,
            "call_direction": 1,
            "from": {"number": "79161234567"},
            "to": {"extension": "106"},
            "line_number": "78003333236",
            "create_time": 1772442000,
            "forward_time": 1772442003,
            "talk_time": 1772442010,
            "end_time": 1772442100,
            "entry_result": 1,
            "disconnect_reason": 1110,
        },
        received_at=NOW,
    )
    assert [e.kind for e in events] == [
        CallEventKind.NEW_CALL,
        CallEventKind.ANSWER,
        CallEventKind.HANGUP,
    ]
    hangup = events[-1]
    assert hangup.duration == 90 and hangup.cause == "1110"


def test_summary_of_a_missed_call_has_no_answer() -> None:
    events = mango_events(
        "summary",
        {
            "entry_id": ENTRY,
            "call_direction": 1,
            "from": {"number": "79161234567"},
            "create_time": 1772442000,
            "talk_time": 0,
            "end_time": 1772442030,
            "entry_result": 0,
        },
        received_at=NOW,
    )
    assert [e.kind for e in events] == [CallEventKind.NEW_CALL, CallEventKind.HANGUP]
    assert events[-1].duration == 0


def test_a_completed_recording_is_fetched_by_its_id() -> None:
    [event] = mango_events(
        "recording",
        {
            "entry_id": ENTRY,
            "recording_id": "MToxMjI3NTM6MzUy",
            "recording_state": "Completed",
            "timestamp": 1772442200,
        },
        received_at=NOW,
    )
    assert event.kind == CallEventKind.RECORD
    assert event.recording_url == "mango:MToxMjI3NTM6MzUy"
    assert (
        mango_events(
            "recording", {"entry_id": ENTRY, "recording_state": "Started"}, received_at=NOW
        )
        == []
    )


def test_unknown_kinds_are_ignored_and_broken_payloads_refused() -> None:
    assert mango_events("dtmf", {"entry_id": ENTRY}, received_at=NOW) == []
    with pytest.raises(MappingError):
        mango_events("call", {"call_state": "Appeared"}, received_at=NOW)
    with pytest.raises(MappingError):
        mango_events("summary", {"entry_id": ENTRY, "end_time": "вчера"}, received_at=NOW)
    with pytest.raises(MappingError):
        mango_events(
            "call",
            {"entry_id": ENTRY, "from": "79161234567", "call_state": "Appeared"},
            received_at=NOW,
        )
