"""Recordings are copied from the PBX into our storage and attached to the call's tickets."""

from __future__ import annotations

import hashlib

import pytest

from servicedesk.telephony.models import Call, CallTicket
from servicedesk.telephony.services.recordings import (
    RecordingTemporaryError,
    backoff,
    call_recording_download,
)
from servicedesk.tickets import services as tickets
from tests.telephony.fake_pbx import AUDIO, fake_pbx

pytestmark = pytest.mark.django_db


@pytest.fixture
def server():
    with fake_pbx() as state:
        yield state


def answered_call(send, call_id: str = "r1") -> None:
    send(callId=call_id, event="newCall", **{"from": "+79161234567"}, extension="106")
    send(callId=call_id, event="answer", extension="106")
    send(callId=call_id, event="hangup")


def ticket_for(world, l1):
    return tickets.ticket_create(
        actor=l1["sd"],
        data=tickets.NewTicket(subject="Звонок гостя", client=world["mega"].code, channel="phone"),
    )


def test_the_record_event_downloads_and_attaches_to_the_linked_ticket(
    world, l1, send, api_as, server, django_capture_on_commit_callbacks
) -> None:
    answered_call(send)
    ticket = ticket_for(world, l1)
    api_as(l1["sd"]).post("/telephony/calls/r1/link", {"ticket": ticket.display_number})
    with django_capture_on_commit_callbacks(execute=True):
        send(callId="r1", event="record", recordingUrl=f"{server.base}/rec/call.mp3")
    call = Call.objects.get(call_id="r1")
    assert call.recording_status == "downloaded"
    assert call.recording_size == len(AUDIO)
    assert call.recording_sha256 == hashlib.sha256(AUDIO).hexdigest()
    assert call.recording.read() == AUDIO
    [attachment] = ticket.attachments.all()
    assert attachment.is_public is False
    assert attachment.filename.startswith("Запись звонка") and attachment.filename.endswith(".mp3")
    assert attachment.sha256 == call.recording_sha256
    assert ticket.events.filter(type="attachment_added").count() == 1
    assert CallTicket.objects.get().recording_attached_at is not None


def test_a_ticket_linked_after_the_download_gets_the_recording_then(
    world, l1, send, api_as, server, django_capture_on_commit_callbacks
) -> None:
    answered_call(send)
    with django_capture_on_commit_callbacks(execute=True):
        send(callId="r1", event="record", recordingUrl=f"{server.base}/rec/redirect")
    ticket = ticket_for(world, l1)
    response = api_as(l1["sd"]).post("/telephony/calls/r1/link", {"ticket": str(ticket.number)})
    assert response.json()["recording_attached"] is True
    assert ticket.attachments.count() == 1
    assert call_recording_download(Call.objects.get().pk) == "downloaded"  # a rerun adds nothing
    assert ticket.attachments.count() == 1
    assert server.hits.count("GET /rec/call.mp3") == 1


def test_server_errors_retry_with_backoff_and_then_succeed(world, l1, send, server) -> None:
    answered_call(send)
    server.failures_left["/rec/call.mp3"] = 2
    send(callId="r1", event="record", recordingUrl=f"{server.base}/rec/call.mp3")
    pk = Call.objects.get().pk
    with pytest.raises(RecordingTemporaryError) as first:
        call_recording_download(pk)
    assert first.value.delay == backoff(1) == 30
    with pytest.raises(RecordingTemporaryError) as second:
        call_recording_download(pk)
    assert second.value.delay == 60
    assert call_recording_download(pk) == "downloaded"
    assert Call.objects.get().recording_attempts == 3


def test_the_task_re_queues_itself_on_a_temporary_failure(world, l1, send, server) -> None:
    from huey.exceptions import RetryTask

    from servicedesk.telephony.tasks import download_recording

    answered_call(send)
    server.failures_left["/rec/call.mp3"] = 1
    send(callId="r1", event="record", recordingUrl=f"{server.base}/rec/call.mp3")
    with pytest.raises(RetryTask):
        download_recording.call_local(Call.objects.get().pk)
    assert download_recording.call_local(Call.objects.get().pk) == "downloaded"


def test_giving_up_after_the_last_attempt(world, l1, send, server) -> None:
    answered_call(send)
    server.failures_left["/rec/call.mp3"] = 100
    send(callId="r1", event="record", recordingUrl=f"{server.base}/rec/call.mp3")
    pk = Call.objects.get().pk
    for _ in range(5):
        with pytest.raises(RecordingTemporaryError):
            call_recording_download(pk)
    assert call_recording_download(pk) == "failed"
    assert "503" in Call.objects.get().recording_error


def test_missing_and_oversized_recordings_fail_for_good(world, l1, send, server) -> None:
    answered_call(send, "gone")
    send(callId="gone", event="record", recordingUrl=f"{server.base}/rec/deleted.mp3")
    assert call_recording_download(Call.objects.get(call_id="gone").pk) == "failed"
    answered_call(send, "big")
    send(callId="big", event="record", recordingUrl=f"{server.base}/rec/huge.mp3")
    assert call_recording_download(Call.objects.get(call_id="big").pk) == "too_large"
    assert not Call.objects.get(call_id="big").recording


def test_unreachable_pbx_is_a_temporary_failure(world, l1, send) -> None:
    answered_call(send)
    send(callId="r1", event="record", recordingUrl="http://127.0.0.1:9/rec.mp3")
    with pytest.raises(RecordingTemporaryError):
        call_recording_download(Call.objects.get().pk)


def test_the_recording_is_served_to_staff_only(
    world, l1, send, api_as, server, django_capture_on_commit_callbacks
) -> None:
    answered_call(send)
    with django_capture_on_commit_callbacks(execute=True):
        send(callId="r1", event="record", recordingUrl=f"{server.base}/rec/call.mp3")
    api = api_as(l1["sd"])
    url = api.get("/telephony/calls/r1").json()["recording_url"]
    response = api.client.get(url, headers=api.headers)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == AUDIO
    assert api_as(world["mega_user"]).get("/telephony/calls/r1/recording").status_code == 403
