"""Asterisk AMI events tracked by Linkedid into newCall / answer / hangup."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from servicedesk.telephony.domain.ami import AmiCallTracker, channel_peer
from servicedesk.telephony.domain.calls import CallEventKind, Direction

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def incoming_call(linkedid: str = "1772442000.10") -> list[dict[str, str]]:
    callee = linkedid + "1"
    return [
        {
            "Event": "Newchannel",
            "Channel": "PJSIP/trunk-00000001",
            "Uniqueid": linkedid,
            "Linkedid": linkedid,
            "CallerIDNum": "79161234567",
            "Exten": "88003333236",
        },
        {
            "Event": "Newchannel",
            "Channel": "PJSIP/106-00000002",
            "Uniqueid": callee,
            "Linkedid": linkedid,
            "CallerIDNum": "106",
            "Exten": "s",
        },
        {
            "Event": "DialBegin",
            "Uniqueid": linkedid,
            "Linkedid": linkedid,
            "DestChannel": "PJSIP/106-00000002",
            "DestCallerIDNum": "106",
            "DestLinkedid": linkedid,
        },
        {
            "Event": "BridgeEnter",
            "Channel": "PJSIP/trunk-00000001",
            "Uniqueid": linkedid,
            "Linkedid": linkedid,
            "CallerIDNum": "79161234567",
        },
        {
            "Event": "BridgeEnter",
            "Channel": "PJSIP/106-00000002",
            "Uniqueid": callee,
            "Linkedid": linkedid,
            "CallerIDNum": "106",
        },
        {
            "Event": "Hangup",
            "Channel": "PJSIP/106-00000002",
            "Uniqueid": callee,
            "Linkedid": linkedid,
            "Cause": "16",
            "Cause-txt": "Normal Clearing",
        },
        {
            "Event": "Hangup",
            "Channel": "PJSIP/trunk-00000001",
            "Uniqueid": linkedid,
            "Linkedid": linkedid,
            "Cause": "16",
            "Cause-txt": "Normal Clearing",
        },
    ]


def feed_all(tracker: AmiCallTracker, events: list[dict[str, str]]) -> list:
    out = []
    for i, event in enumerate(events):
        out += tracker.feed(event, T0 + timedelta(seconds=i))
    return out


def test_an_answered_incoming_call() -> None:
    tracker = AmiCallTracker()
    events = feed_all(tracker, incoming_call())
    assert [e.kind for e in events] == [
        CallEventKind.NEW_CALL,
        CallEventKind.ANSWER,
        CallEventKind.HANGUP,
    ]
    new, answer, hangup = events
    assert new.call_id == "ami:1772442000.10"
    assert new.direction == Direction.IN
    assert new.from_number == "79161234567" and new.to_number == "88003333236"
    assert new.extension == "106" and new.at == T0
    assert answer.extension == "106"
    assert hangup.cause == "Normal Clearing"
    assert tracker.open_calls == 0


def test_a_call_that_hangs_up_in_the_ivr_is_still_logged() -> None:
    tracker = AmiCallTracker()
    first = incoming_call()[0]
    events = feed_all(
        tracker,
        [
            first,
            {
                "Event": "Hangup",
                "Uniqueid": first["Uniqueid"],
                "Linkedid": first["Linkedid"],
                "Cause-txt": "Normal Clearing",
            },
        ],
    )
    assert [e.kind for e in events] == [CallEventKind.NEW_CALL, CallEventKind.HANGUP]
    assert events[0].extension == ""


def test_an_agent_calling_out_is_outgoing_with_their_extension() -> None:
    tracker = AmiCallTracker()
    events = feed_all(
        tracker,
        [
            {
                "Event": "Newchannel",
                "Uniqueid": "5.1",
                "Linkedid": "5.1",
                "CallerIDNum": "101",
                "Exten": "79161234567",
            },
            {
                "Event": "DialBegin",
                "Uniqueid": "5.1",
                "Linkedid": "5.1",
                "DestChannel": "PJSIP/trunk-0000000a",
                "DestCallerIDNum": "79161234567",
            },
            {
                "Event": "BridgeEnter",
                "Uniqueid": "5.2",
                "Linkedid": "5.1",
                "CallerIDNum": "79161234567",
            },
            {
                "Event": "Hangup",
                "Uniqueid": "5.1",
                "Linkedid": "5.1",
                "Cause-txt": "Normal Clearing",
            },
        ],
    )
    assert [e.direction for e in events] == [Direction.OUT] * 3
    assert events[0].extension == "101" and events[1].extension == "101"


def test_events_of_unknown_calls_and_other_types_are_ignored() -> None:
    tracker = AmiCallTracker()
    assert tracker.feed({"Event": "Hangup", "Uniqueid": "9.9", "Linkedid": "9.9"}, T0) == []
    assert tracker.feed({"Event": "PeerStatus", "Peer": "PJSIP/106"}, T0) == []
    assert channel_peer("PJSIP/106-0000002a") == "106"
    assert channel_peer("SIP/trunk") == "trunk"


def test_the_tracker_forgets_the_oldest_call_when_full() -> None:
    tracker = AmiCallTracker(max_calls=2)
    for n in range(3):
        tracker.feed(
            {
                "Event": "Newchannel",
                "Uniqueid": f"{n}.0",
                "Linkedid": f"{n}.0",
                "CallerIDNum": "79161234567",
            },
            T0,
        )
    assert tracker.open_calls == 2
