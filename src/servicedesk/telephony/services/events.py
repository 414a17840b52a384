"""The call-event pipeline: idempotent, order-tolerant, all-or-nothing per event."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import Any

from django.db import IntegrityError, transaction

from servicedesk.accounts.models import User
from servicedesk.accounts.roles import Role
from servicedesk.accounts.selectors import lookup_by_phone
from servicedesk.core import clock
from servicedesk.core.identifiers import InvalidIdentifier, normalise_phone
from servicedesk.telephony.domain.calls import (
    CallEventData,
    CallEventKind,
    CallSnapshot,
    CallState,
    Direction,
    apply_event,
)
from servicedesk.telephony.models import (
    Call,
    CallbackStatus,
    CallEvent,
    CallPopup,
    RecordingStatus,
)

logger = logging.getLogger(__name__)

DISMISSED_ANSWERED_ELSEWHERE = "answered_elsewhere"
DISMISSED_CALL_ENDED = "call_ended"


@dataclass(frozen=True)
class CallEventOutcome:
    """What the pipeline answered: the stored result, and whether this was a repeat."""

    duplicate: bool
    result: dict[str, Any]


def normalised(raw: str) -> str:
    """Return E.164 or an extension's digits; empty for hidden or unparseable numbers."""
    if not raw or not any(ch.isdigit() for ch in raw):
        return ""
    try:
        return normalise_phone(raw)
    except InvalidIdentifier:
        return ""


def _snapshot(call: Call) -> CallSnapshot:
    return CallSnapshot(
        state=CallState(call.state),
        started_at=call.started_at,
        direction=Direction(call.direction) if call.direction else None,
        from_number=call.from_raw,
        to_number=call.to_raw,
        queue=call.queue,
        answered_at=call.answered_at,
        answered_extension=call.answered_extension,
        ended_at=call.ended_at,
        reported_duration=call.reported_duration,
        cause=call.cause,
        recording_url=call.recording_url,
    )


def _store(call: Call, snapshot: CallSnapshot) -> None:
    call.state = snapshot.state.value
    call.started_at = snapshot.started_at
    call.direction = snapshot.direction.value if snapshot.direction else ""
    call.from_raw = snapshot.from_number[:100]
    call.to_raw = snapshot.to_number[:100]
    call.from_number = normalised(snapshot.from_number)
    call.to_number = normalised(snapshot.to_number)
    call.queue = snapshot.queue[:100]
    call.answered_at = snapshot.answered_at
    call.answered_extension = snapshot.answered_extension[:16]
    call.ended_at = snapshot.ended_at
    call.reported_duration = snapshot.reported_duration
    call.duration = snapshot.duration
    call.missed = snapshot.missed
    call.cause = snapshot.cause[:100]
    call.recording_url = snapshot.recording_url[:1000]


def _staff_with_extension(extension: str) -> list[User]:
    if not extension:
        return []
    return list(
        User.objects.filter(extension=extension, is_active=True, client__isnull=True).order_by("pk")
    )


def _identify_caller(call: Call) -> None:
    if call.caller_contact_id or call.caller_outlet_id or not call.counterpart:
        return
    try:
        found = lookup_by_phone(call.counterpart)
    except InvalidIdentifier:
        return
    contact = found.contacts[0] if found.contacts else None
    outlet = found.outlets[0] if found.outlets else (contact.outlet if contact else None)
    call.caller_contact = contact
    call.caller_outlet = outlet
    call.caller_client = (contact.client if contact else None) or (
        outlet.client if outlet else None
    )


def _popup_targets(call: Call, event: CallEventData) -> list[User]:
    """Whom to show the caller: the extension the PBX names, else L1 (every SD manager)."""
    extension = event.extension or (call.to_number if len(call.to_number) <= 6 else "")
    users = _staff_with_extension(extension)
    if users:
        return users
    return list(
        User.objects.filter(
            is_active=True, client__isnull=True, groups__name=Role.SD_MANAGER.value
        ).distinct()
    )


def _popups(call: Call, event: CallEventData) -> None:
    if call.direction == Direction.OUT:
        return
    now = clock.now()
    if event.kind == CallEventKind.NEW_CALL and call.state == CallState.RINGING:
        CallPopup.objects.bulk_create(
            [
                CallPopup(call=call, user=user, created_at=now)
                for user in _popup_targets(call, event)
            ],
            ignore_conflicts=True,  # one query however many L1 agents there are
        )
    if event.kind == CallEventKind.ANSWER and call.answered_by is not None:
        CallPopup.objects.get_or_create(
            call=call, user=call.answered_by, defaults={"created_at": now}
        )
        call.popups.filter(dismissed_at__isnull=True).exclude(user=call.answered_by).update(
            dismissed_at=now, dismiss_reason=DISMISSED_ANSWERED_ELSEWHERE
        )
    if call.state == CallState.ENDED:
        stale = call.popups.filter(dismissed_at__isnull=True)
        if call.answered_by is not None:
            stale = stale.exclude(user=call.answered_by)
        stale.update(dismissed_at=now, dismiss_reason=DISMISSED_CALL_ENDED)


def _callbacks(call: Call) -> None:
    """Keep the call-back queue right: a missed call joins it, a reached number leaves it."""
    if call.missed and call.direction != Direction.OUT and not call.callback_status:
        call.callback_status = (
            CallbackStatus.PENDING if call.from_number else CallbackStatus.NOT_NEEDED
        )
    if call.answered_at is not None:
        if call.callback_status == CallbackStatus.PENDING:
            call.callback_status = CallbackStatus.NOT_NEEDED  # a late answer: it was not missed
        if call.counterpart:
            Call.objects.filter(
                callback_status=CallbackStatus.PENDING, from_number=call.counterpart
            ).exclude(pk=call.pk).update(
                callback_status=CallbackStatus.DONE, called_back_at=call.answered_at
            )


def _result(call: Call, event: CallEventData) -> dict[str, Any]:
    popups = call.popups.filter(dismissed_at__isnull=True).select_related("user")
    return {
        "call": call.call_id,
        "event": event.kind.value,
        "state": call.state,
        "direction": call.direction or None,
        "from": call.from_number or None,
        "to": call.to_number or None,
        "answered_by": call.answered_by.username if call.answered_by else None,
        "missed": call.missed,
        "duration": call.duration,
        "callback": call.callback_status or None,
        "caller": {
            "contact": str(call.caller_contact) if call.caller_contact else None,
            "client": call.caller_client.code if call.caller_client else None,
            "outlet": call.caller_outlet.code if call.caller_outlet else None,
        },
        "popup_for": sorted(p.user.username for p in popups),
    }


def _payload(event: CallEventData) -> dict[str, Any]:
    data = asdict(event)
    data["kind"] = event.kind.value
    data["direction"] = event.direction.value if event.direction else None
    data["at"] = event.at.isoformat()
    return data


def _apply(event: CallEventData, source: str, raw: dict[str, Any] | None) -> dict[str, Any]:
    now = clock.now()
    call = Call.objects.select_for_update().filter(call_id=event.call_id).first()
    if call is None:
        call = Call(call_id=event.call_id, source=source, created_at=now, state=CallState.RINGING)
        before = None
    else:
        before = _snapshot(call)
    _store(call, apply_event(before, event))
    call.updated_at = now
    if event.kind == CallEventKind.ANSWER and call.answered_by is None:
        users = _staff_with_extension(call.answered_extension)
        call.answered_by = users[0] if users else None
    _identify_caller(call)
    _callbacks(call)
    if event.kind == CallEventKind.RECORD and not call.recording_status:
        call.recording_status = RecordingStatus.PENDING
    call.save()
    _popups(call, event)
    result = _result(call, event)
    CallEvent.objects.create(
        call=call,
        call_key=event.call_id,
        kind=event.kind.value,
        occurred_at=event.at,
        received_at=now,
        payload=raw if raw is not None else _payload(event),
        result=result,
    )
    if event.kind == CallEventKind.RECORD and call.recording_status == RecordingStatus.PENDING:
        from servicedesk.telephony.tasks import download_recording

        call_pk = call.pk
        transaction.on_commit(lambda: download_recording(call_pk))
    return result


def _stored(event: CallEventData) -> CallEventOutcome | None:
    stored = CallEvent.objects.filter(call_key=event.call_id, kind=event.kind.value).first()
    return CallEventOutcome(duplicate=True, result=stored.result) if stored else None


def call_event_receive(
    *, event: CallEventData, source: str = "webhook", raw: dict[str, Any] | None = None
) -> CallEventOutcome:
    """Apply one PBX event; a repeat of (call, event) changes nothing and answers as before.

    Each event is one transaction: the call, its event row, pop-ups and the call-back
    queue are written together or not at all. Two deliveries racing for the same key
    are settled by the unique constraint; the loser answers the winner's result.
    """
    for attempt in range(3):
        stored = _stored(event)
        if stored is not None:
            return stored
        try:
            with transaction.atomic():
                return CallEventOutcome(duplicate=False, result=_apply(event, source, raw))
        except IntegrityError:
            # Another delivery created the call or this very event first: look again.
            logger.info("Звонок %s: параллельная доставка, попытка %d", event.call_id, attempt + 1)
    stored = _stored(event)
    if stored is None:
        raise RuntimeError(f"call event {event.call_id}/{event.kind} could not be stored")
    return stored
