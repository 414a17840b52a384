"""Zadarma (PBX notifications, "callinfo") → our call events.

Zadarma first checks the URL with `GET ?zd_echo=<x>` and expects `<x>` back, then posts
form fields with an `event` and a `Signature` header: the base64 of the HMAC-SHA1 hex
digest (PHP's `base64_encode(hash_hmac('sha1', …))`) of fields concatenated per event,
keyed with the API secret:

| event | signed string | our events |
|---|---|---|
| NOTIFY_START | caller_id + called_did + call_start | newCall (incoming) |
| NOTIFY_ANSWER | caller_id + destination + call_start | answer (`internal` = extension) |
| NOTIFY_END | caller_id + called_did + call_start | [answer,] hangup |
| NOTIFY_OUT_START | internal + destination + call_start | newCall (outgoing) |
| NOTIFY_OUT_END | internal + destination + call_start | [answer,] hangup |
| NOTIFY_RECORD | pbx_call_id + call_id_with_rec | record (`zadarma:<call_id_with_rec>`) |

The call key is `pbx_call_id`. `call_start` is "YYYY-MM-DD HH:MM:SS" in the account's
time zone (we assume the desk's TIME_ZONE). NOTIFY_END's `duration` is talk time; when
`disposition` is "answered" we also emit an answer (at end − duration) so a lost
NOTIFY_ANSWER does not turn an answered call into a missed one. Other events
(NOTIFY_INTERNAL, NOTIFY_IVR, SMS, …) are acknowledged and ignored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from servicedesk.telephony.domain.calls import CallEventData, CallEventKind, Direction
from servicedesk.telephony.domain.vendors import MappingError, require_text, whole_seconds

PREFIX = "zadarma:"
RECORDING_PREFIX = "zadarma:"

_SIGNED_FIELDS: dict[str, tuple[str, ...]] = {
    "NOTIFY_START": ("caller_id", "called_did", "call_start"),
    "NOTIFY_INTERNAL": ("caller_id", "called_did", "call_start"),
    "NOTIFY_ANSWER": ("caller_id", "destination", "call_start"),
    "NOTIFY_END": ("caller_id", "called_did", "call_start"),
    "NOTIFY_OUT_START": ("internal", "destination", "call_start"),
    "NOTIFY_OUT_END": ("internal", "destination", "call_start"),
    "NOTIFY_RECORD": ("pbx_call_id", "call_id_with_rec"),
    "NOTIFY_IVR": ("caller_id", "called_did", "call_start"),
}


def zadarma_signed_string(data: Mapping[str, str]) -> str | None:
    """Return the string Zadarma signs for this event, or None for an unknown event."""
    fields = _SIGNED_FIELDS.get(str(data.get("event", "")))
    if fields is None:
        return None
    values = dict(data)
    if values.get("event") == "NOTIFY_ANSWER" and not values.get("destination"):
        values["destination"] = values.get("called_did", "")
    return "".join(str(values.get(name, "")) for name in fields)


def zadarma_sign(text: str, secret: str) -> str:
    digest = hmac.new(secret.encode(), text.encode(), hashlib.sha1)
    return base64.b64encode(digest.hexdigest().encode()).decode()


def zadarma_signature_valid(data: Mapping[str, str], signature: str, secret: str) -> bool:
    """Check the `Signature` header (base64 of the hex digest; the raw-digest form is accepted)."""
    text = zadarma_signed_string(data)
    if text is None or not secret or not signature:
        return False
    digest = hmac.new(secret.encode(), text.encode(), hashlib.sha1)
    candidates = (
        base64.b64encode(digest.hexdigest().encode()).decode(),
        base64.b64encode(digest.digest()).decode(),
    )
    return any(hmac.compare_digest(signature.strip(), c) for c in candidates)


def _start(data: Mapping[str, str], zone: ZoneInfo, fallback: datetime) -> datetime:
    raw = str(data.get("call_start") or "").strip()
    if not raw:
        return fallback
    try:
        return datetime.strptime(raw, "%Y-%m-%d %H:%M:%S").replace(tzinfo=zone)
    except ValueError as error:
        raise MappingError(
            f"Поле «call_start»: ожидается ГГГГ-ММ-ДД ЧЧ:ММ:СС, получено {raw!r}"
        ) from error


def _end_events(
    data: Mapping[str, str], call_id: str, direction: Direction, received_at: datetime
) -> list[CallEventData]:
    outgoing = direction == Direction.OUT
    duration = whole_seconds(data.get("duration"), "duration") or 0
    hangup = CallEventData(
        call_id=call_id,
        kind=CallEventKind.HANGUP,
        at=received_at,
        direction=direction,
        from_number=str(data.get("internal" if outgoing else "caller_id") or ""),
        to_number=str(data.get("destination" if outgoing else "called_did") or ""),
        duration=duration,
        cause=str(data.get("disposition") or ""),
    )
    if str(data.get("disposition", "")).lower() != "answered":
        return [hangup]
    answer = replace(
        hangup,
        kind=CallEventKind.ANSWER,
        at=received_at - timedelta(seconds=duration),
        extension=str(data.get("internal") or ""),
        duration=None,
        cause="",
    )
    return [answer, hangup]


def zadarma_events(
    data: Mapping[str, str], *, received_at: datetime, zone: ZoneInfo
) -> list[CallEventData]:
    """Return our events for one Zadarma notification (empty for events we do not use)."""
    event = str(data.get("event") or "")
    if event not in _SIGNED_FIELDS or event in ("NOTIFY_INTERNAL", "NOTIFY_IVR"):
        return []
    call_id = PREFIX + require_text(data, "pbx_call_id")
    if event == "NOTIFY_RECORD":
        return [
            CallEventData(
                call_id=call_id,
                kind=CallEventKind.RECORD,
                at=received_at,
                recording_url=RECORDING_PREFIX + require_text(data, "call_id_with_rec"),
            )
        ]
    if event == "NOTIFY_START":
        return [
            CallEventData(
                call_id=call_id,
                kind=CallEventKind.NEW_CALL,
                at=_start(data, zone, received_at),
                direction=Direction.IN,
                from_number=require_text(data, "caller_id"),
                to_number=str(data.get("called_did") or ""),
            )
        ]
    if event == "NOTIFY_OUT_START":
        return [
            CallEventData(
                call_id=call_id,
                kind=CallEventKind.NEW_CALL,
                at=_start(data, zone, received_at),
                direction=Direction.OUT,
                from_number=str(data.get("internal") or ""),
                to_number=require_text(data, "destination"),
                extension=str(data.get("internal") or ""),
            )
        ]
    if event == "NOTIFY_ANSWER":
        return [
            CallEventData(
                call_id=call_id,
                kind=CallEventKind.ANSWER,
                at=received_at,
                direction=Direction.IN,
                from_number=str(data.get("caller_id") or ""),
                extension=str(data.get("internal") or ""),
            )
        ]
    direction = Direction.OUT if event == "NOTIFY_OUT_END" else Direction.IN
    return _end_events(data, call_id, direction, received_at)
