"""Asterisk AMI events → our call events, tracked per call by Linkedid.

A call in Asterisk is several channels sharing one `Linkedid`; the first channel (its
`Uniqueid` equals the `Linkedid`) is the caller's. We read four events:

* `Newchannel` of the first channel — remember caller, dialled number, start; the
  direction is outgoing when the caller is a short internal extension.
* `DialBegin` — the first one emits newCall with the ringing extension (taken from
  `DestCallerIDNum`, or from `DestChannel` like `PJSIP/101-0000002a`).
* `BridgeEnter` of a second channel — the callee picked up: answer (the extension is
  the callee's for incoming calls and the caller's for outgoing ones).
* `Hangup` of the first channel — hangup with `Cause-txt`; a call that never dialled
  anyone (hung up in the IVR) gets its newCall here first, so it is never lost.

The tracker is plain Python (no I/O): the worker feeds it events in arrival order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from servicedesk.telephony.domain.calls import CallEventData, CallEventKind, Direction

PREFIX = "ami:"
EXTENSION_MAX_DIGITS = 6
_CHANNEL_PEER = re.compile(r"^[A-Za-z0-9]+/(?P<peer>[^-@/]+)")


def is_extension(number: str) -> bool:
    digits = number.strip()
    return digits.isdigit() and len(digits) <= EXTENSION_MAX_DIGITS


def _get(event: Mapping[str, str], name: str) -> str:
    """Read a header case-insensitively ('<unknown>' counts as empty, as Asterisk means it)."""
    lowered = name.lower()
    for key, value in event.items():
        if key.lower() == lowered:
            text = str(value).strip()
            return "" if text in ("<unknown>", "<none>") else text
    return ""


def channel_peer(channel: str) -> str:
    match = _CHANNEL_PEER.match(channel)
    return match["peer"] if match else ""


@dataclass
class _Call:
    linkedid: str
    caller: str
    dialled: str
    started_at: datetime
    direction: Direction
    new_call_sent: bool = False
    answered: bool = False
    ringing: list[str] = field(default_factory=list)

    @property
    def call_id(self) -> str:
        return PREFIX + self.linkedid


_Handler = Callable[[Mapping[str, str], _Call, datetime], list[CallEventData]]


class AmiCallTracker:
    """Turns a stream of AMI events into newCall / answer / hangup for our pipeline."""

    def __init__(self, max_calls: int = 10_000) -> None:
        self._calls: dict[str, _Call] = {}
        self._max_calls = max_calls
        self._handlers: dict[str, _Handler] = {
            "DialBegin": self._dial_begin,
            "BridgeEnter": self._bridge_enter,
            "Hangup": self._hangup,
        }

    @property
    def open_calls(self) -> int:
        return len(self._calls)

    def feed(self, event: Mapping[str, str], at: datetime) -> list[CallEventData]:
        """Return the events this AMI event produces (often none)."""
        name = _get(event, "Event")
        linkedid = _get(event, "Linkedid")
        if not linkedid:
            return []
        if name == "Newchannel":
            return self._new_channel(event, linkedid, at)
        call = self._calls.get(linkedid)
        handler = self._handlers.get(name)
        if call is None or handler is None:
            return []
        return handler(event, call, at)

    def _new_channel(
        self, event: Mapping[str, str], linkedid: str, at: datetime
    ) -> list[CallEventData]:
        if _get(event, "Uniqueid") != linkedid or linkedid in self._calls:
            return []
        if len(self._calls) >= self._max_calls:
            # A PBX that never sends Hangup must not grow us without bound.
            self._calls.pop(next(iter(self._calls)))
        caller = _get(event, "CallerIDNum")
        self._calls[linkedid] = _Call(
            linkedid=linkedid,
            caller=caller,
            dialled=_get(event, "Exten"),
            started_at=at,
            direction=Direction.OUT if is_extension(caller) else Direction.IN,
        )
        return []

    def _event(
        self,
        call: _Call,
        kind: CallEventKind,
        at: datetime,
        *,
        extension: str = "",
        cause: str = "",
    ) -> CallEventData:
        return CallEventData(
            call_id=call.call_id,
            kind=kind,
            at=at,
            from_number=call.caller,
            to_number=call.dialled,
            direction=call.direction,
            extension=extension,
            cause=cause,
        )

    def _new_call(self, call: _Call, extension: str) -> list[CallEventData]:
        if call.new_call_sent:
            return []
        call.new_call_sent = True
        extension = extension if call.direction == Direction.IN else call.caller
        return [self._event(call, CallEventKind.NEW_CALL, call.started_at, extension=extension)]

    def _dial_begin(
        self, event: Mapping[str, str], call: _Call, at: datetime
    ) -> list[CallEventData]:
        extension = _get(event, "DestCallerIDNum")
        if not is_extension(extension):
            extension = channel_peer(_get(event, "DestChannel"))
        if extension:
            call.ringing.append(extension)
        return self._new_call(call, extension if is_extension(extension) else "")

    def _bridge_enter(
        self, event: Mapping[str, str], call: _Call, at: datetime
    ) -> list[CallEventData]:
        if call.answered or _get(event, "Uniqueid") == call.linkedid:
            return []
        call.answered = True
        if call.direction == Direction.OUT:
            extension = call.caller
        else:
            extension = _get(event, "CallerIDNum")
            if not is_extension(extension):
                extension = channel_peer(_get(event, "Channel"))
        events = self._new_call(call, extension)
        events.append(self._event(call, CallEventKind.ANSWER, at, extension=extension))
        return events

    def _hangup(self, event: Mapping[str, str], call: _Call, at: datetime) -> list[CallEventData]:
        if _get(event, "Uniqueid") != call.linkedid:
            return []
        del self._calls[call.linkedid]
        events = self._new_call(call, "")
        cause = _get(event, "Cause-txt") or _get(event, "Cause")
        events.append(self._event(call, CallEventKind.HANGUP, at, cause=cause))
        return events
