"""Mango Office (VPBX API Realtime) → our call events.

Mango posts `vpbx_api_key`, `sign` and `json` as form fields to `<base>/events/<kind>`;
`sign` is the SHA-256 hex of api_key + json + api_salt. We read three kinds:

* `call` — a leg changed state. The first `Appeared` becomes newCall (its `to.extension`,
  when present, is the ringing employee), `Connected` becomes answer; `Disconnected`
  and `OnHold` are ignored because a call has many legs and `summary` closes it once.
* `summary` — the call is over: newCall (exact start), answer when `talk_time` > 0, and
  hangup with talk duration and `disconnect_reason` as the cause.
* `recording` with `recording_state = Completed` — record; the file is fetched through
  Mango's signed `queries/recording/post`, so the URL we keep is `mango:<recording_id>`.

The call key is `entry_id` (one entry is one call across all its legs).
Assumptions where Mango's documentation was not at hand: `call_direction` 2 means
outgoing (anything else incoming); the direction of a `call` event is outgoing when the
caller is an employee (`from.extension`) and the callee is not.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from servicedesk.telephony.domain.calls import CallEventData, CallEventKind, Direction
from servicedesk.telephony.domain.vendors import (
    MappingError,
    require_text,
    unix_time,
)

PREFIX = "mango:"
RECORDING_PREFIX = "mango:"


def mango_sign(api_key: str, json_text: str, api_salt: str) -> str:
    return hashlib.sha256(f"{api_key}{json_text}{api_salt}".encode()).hexdigest()


def mango_signature_valid(
    *, api_key: str, sign: str, json_text: str, expected_key: str, salt: str
) -> bool:
    """Return whether the request carries our key and a correct signature."""
    if not expected_key or not salt:
        return False
    key_ok = hmac.compare_digest(api_key.encode(), expected_key.encode())
    sign_ok = hmac.compare_digest(
        sign.strip().lower().encode(), mango_sign(api_key, json_text, salt).encode()
    )
    return key_ok and sign_ok


def _party(payload: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = payload.get(name) or {}
    if not isinstance(value, Mapping):
        raise MappingError(f"Поле «{name}» должно быть объектом")
    return value


def _text(party: Mapping[str, Any], *names: str) -> str:
    for name in names:
        value = party.get(name)
        if value:
            return str(value).strip()
    return ""


def _is_outgoing(frm: Mapping[str, Any], to: Mapping[str, Any]) -> bool:
    return bool(frm.get("extension")) and not to.get("extension")


def _call(payload: Mapping[str, Any], received_at: datetime) -> list[CallEventData]:
    call_id = PREFIX + require_text(payload, "entry_id")
    at = unix_time(payload.get("timestamp"), "timestamp") or received_at
    frm, to = _party(payload, "from"), _party(payload, "to")
    outgoing = _is_outgoing(frm, to)
    common: dict[str, Any] = {
        "call_id": call_id,
        "at": at,
        "direction": Direction.OUT if outgoing else Direction.IN,
        "from_number": _text(frm, "number", "extension"),
        "to_number": _text(to, "line_number", "number", "extension"),
        "queue": _text(to, "acd_group"),
    }
    extension = _text(frm, "extension") if outgoing else _text(to, "extension")
    state = str(payload.get("call_state") or "")
    if state == "Appeared":
        return [CallEventData(kind=CallEventKind.NEW_CALL, extension=extension, **common)]
    if state == "Connected":
        return [CallEventData(kind=CallEventKind.ANSWER, extension=extension, **common)]
    return []


def _summary(payload: Mapping[str, Any], received_at: datetime) -> list[CallEventData]:
    call_id = PREFIX + require_text(payload, "entry_id")
    frm, to = _party(payload, "from"), _party(payload, "to")
    outgoing = str(payload.get("call_direction", "")) == "2"
    created = unix_time(payload.get("create_time"), "create_time")
    talk = unix_time(payload.get("talk_time"), "talk_time")
    ended = unix_time(payload.get("end_time"), "end_time") or received_at
    common: dict[str, Any] = {
        "call_id": call_id,
        "direction": Direction.OUT if outgoing else Direction.IN,
        "from_number": _text(frm, "number", "extension"),
        "to_number": str(payload.get("line_number") or "") or _text(to, "number", "extension"),
    }
    extension = _text(frm, "extension") if outgoing else _text(to, "extension")
    events = [CallEventData(kind=CallEventKind.NEW_CALL, at=created or ended, **common)]
    if talk is not None:
        events.append(
            CallEventData(kind=CallEventKind.ANSWER, at=talk, extension=extension, **common)
        )
    duration = max(0, int((ended - talk).total_seconds())) if talk is not None else 0
    events.append(
        CallEventData(
            kind=CallEventKind.HANGUP,
            at=ended,
            duration=duration,
            cause=str(payload.get("disconnect_reason") or ""),
            **common,
        )
    )
    return events


def _recording(payload: Mapping[str, Any], received_at: datetime) -> list[CallEventData]:
    if str(payload.get("recording_state") or "") != "Completed":
        return []
    return [
        CallEventData(
            call_id=PREFIX + require_text(payload, "entry_id"),
            kind=CallEventKind.RECORD,
            at=unix_time(payload.get("timestamp"), "timestamp") or received_at,
            recording_url=RECORDING_PREFIX + require_text(payload, "recording_id"),
        )
    ]


_KINDS = {"call": _call, "summary": _summary, "recording": _recording}


def mango_events(
    kind: str, payload: Mapping[str, Any], *, received_at: datetime
) -> list[CallEventData]:
    """Return our events for one Mango notification (empty for kinds we do not use)."""
    if not isinstance(payload, Mapping):
        raise MappingError("Поле json должно содержать объект")
    handler = _KINDS.get(kind)
    return handler(payload, received_at) if handler else []
