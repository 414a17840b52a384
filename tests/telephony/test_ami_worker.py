"""The AMI worker against a fake Asterisk on 127.0.0.1: login, events, reconnect, call log."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync

from servicedesk.telephony.ami import AmiConfig, AmiWorker
from servicedesk.telephony.models import Call
from tests.telephony.fake_ami import FakeAmi


def answered(linkedid: str) -> list[dict[str, str]]:
    callee = linkedid + "1"
    return [
        {
            "Event": "Newchannel",
            "Channel": "PJSIP/trunk-01",
            "Uniqueid": linkedid,
            "Linkedid": linkedid,
            "CallerIDNum": "79161234567",
            "Exten": "88003333236",
        },
        {
            "Event": "DialBegin",
            "Uniqueid": linkedid,
            "Linkedid": linkedid,
            "DestChannel": "PJSIP/106-02",
            "DestCallerIDNum": "106",
        },
        {
            "Event": "Newchannel",
            "Channel": "PJSIP/106-02",
            "Uniqueid": callee,
            "Linkedid": linkedid,
            "CallerIDNum": "106",
            "Exten": "s",
        },
        {
            "Event": "BridgeEnter",
            "Channel": "PJSIP/106-02",
            "Uniqueid": callee,
            "Linkedid": linkedid,
            "CallerIDNum": "106",
        },
        {
            "Event": "Hangup",
            "Channel": "PJSIP/106-02",
            "Uniqueid": callee,
            "Linkedid": linkedid,
            "Cause-txt": "Normal Clearing",
        },
        {
            "Event": "Hangup",
            "Channel": "PJSIP/trunk-01",
            "Uniqueid": linkedid,
            "Linkedid": linkedid,
            "Cause-txt": "Normal Clearing",
        },
    ]


def missed(linkedid: str) -> list[dict[str, str]]:
    return [
        {
            "Event": "Newchannel",
            "Uniqueid": linkedid,
            "Linkedid": linkedid,
            "CallerIDNum": "+7 903 111-22-33",
            "Exten": "88003333236",
        },
        {
            "Event": "DialBegin",
            "Uniqueid": linkedid,
            "Linkedid": linkedid,
            "DestChannel": "PJSIP/107-05",
            "DestCallerIDNum": "107",
        },
        {"Event": "PeerStatus", "Peer": "PJSIP/107", "PeerStatus": "Reachable"},
        {"Event": "Hangup", "Uniqueid": linkedid, "Linkedid": linkedid, "Cause-txt": "User busy"},
    ]


async def run_worker(
    server: FakeAmi, expected: int, secret: str = "s3cret", connections: int = 0
) -> AmiWorker:
    """Run the worker until it delivered `expected` events (or made `connections`), max 10 s."""
    port = await server.start()
    worker = AmiWorker(
        AmiConfig(host="127.0.0.1", port=port, username="desk", secret=secret, reconnect_timeout=1)
    )
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    try:
        for _ in range(200):
            if worker.delivered >= expected and server.connections >= connections:
                break
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=5)
        await server.stop()
    return worker


@pytest.mark.django_db(transaction=True)
def test_the_worker_logs_in_follows_calls_and_reconnects_after_a_drop(world, l1) -> None:
    server = FakeAmi(scripts=[answered("1772442000.10"), missed("1772442100.20")])
    worker = async_to_sync(run_worker)(server, expected=5)
    assert server.logins[0] == ("desk", "s3cret")
    assert server.connections == 2, "the worker reconnected after the first connection dropped"
    assert worker.logins == 2
    first = Call.objects.get(call_id="ami:1772442000.10")
    assert first.source == "ami"
    assert first.from_number == "+79161234567"
    assert first.answered_by == l1["sd"]
    assert first.state == "ended" and not first.missed
    assert first.caller_contact == world["mega_guest"]
    second = Call.objects.get(call_id="ami:1772442100.20")
    assert second.missed and second.cause == "User busy"
    assert second.from_number == "+79031112233"
    assert second.callback_status == "pending"
    assert list(second.popups.values_list("dismiss_reason", flat=True)) == ["call_ended"]


@pytest.mark.django_db(transaction=True)
def test_a_refused_login_writes_nothing(world, l1) -> None:
    server = FakeAmi(scripts=[answered("1.1")])
    worker = async_to_sync(run_worker)(server, expected=0, secret="wrong", connections=2)
    assert server.logins == [("desk", "wrong"), ("desk", "wrong")]
    assert worker.logins == 0
    assert worker.delivered == 0
    assert Call.objects.count() == 0
