"""One call as the fold of its events, whatever order the PBX delivers them in.

PBXs retry and reorder webhooks: a hangup may arrive before the answer, the recording
after everything else, the newCall last. `apply_event` is written so that the final
snapshot does not depend on the order the events arrive in (hypothesis checks that):
timestamps only ever widen (start = earliest seen), flags only ever turn on, and
derived values (talk duration, missed) are computed from what has been seen so far.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum


class CallEventKind(StrEnum):
    """The events of our own webhook schema; vendor adapters map into these."""

    NEW_CALL = "newCall"
    ANSWER = "answer"
    HANGUP = "hangup"
    RECORD = "record"


class Direction(StrEnum):
    IN = "in"
    OUT = "out"

    @property
    def label(self) -> str:
        return "входящий" if self == Direction.IN else "исходящий"


class CallState(StrEnum):
    RINGING = "ringing"
    ANSWERED = "answered"
    ENDED = "ended"

    @property
    def label(self) -> str:
        return {
            CallState.RINGING: "Звонит",
            CallState.ANSWERED: "Разговор",
            CallState.ENDED: "Завершён",
        }[self]


@dataclass(frozen=True)
class CallEventData:
    """One event of one call in our schema, after parsing (numbers not yet normalised)."""

    call_id: str
    kind: CallEventKind
    at: datetime
    from_number: str = ""
    to_number: str = ""
    direction: Direction | None = None
    queue: str = ""
    extension: str = ""
    cause: str = ""
    duration: int | None = None
    recording_url: str = ""


@dataclass(frozen=True)
class CallSnapshot:
    """What is known about a call after some of its events."""

    state: CallState
    started_at: datetime
    direction: Direction | None = None
    from_number: str = ""
    to_number: str = ""
    queue: str = ""
    answered_at: datetime | None = None
    answered_extension: str = ""
    ended_at: datetime | None = None
    reported_duration: int | None = None
    cause: str = ""
    recording_url: str = ""

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    @property
    def missed(self) -> bool:
        """An ended call nobody answered."""
        return self.state == CallState.ENDED and self.answered_at is None

    @property
    def duration(self) -> int:
        """Talk time in seconds: the PBX's figure when it sent one, else answer → hangup."""
        if self.reported_duration is not None:
            return self.reported_duration
        if self.answered_at is not None and self.ended_at is not None:
            return max(0, int((self.ended_at - self.answered_at).total_seconds()))
        return 0


def _state(answered: bool, ended: bool) -> CallState:
    if ended:
        return CallState.ENDED
    return CallState.ANSWERED if answered else CallState.RINGING


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def apply_event(current: CallSnapshot | None, event: CallEventData) -> CallSnapshot:
    """Return the call after `event`; `current` is None for a call seen for the first time."""
    snapshot = current or CallSnapshot(state=CallState.RINGING, started_at=event.at)
    snapshot = replace(
        snapshot,
        started_at=min(snapshot.started_at, event.at),
        direction=snapshot.direction or event.direction,
        from_number=snapshot.from_number or event.from_number,
        to_number=snapshot.to_number or event.to_number,
        queue=snapshot.queue or event.queue,
    )
    answered_at, ended_at = snapshot.answered_at, snapshot.ended_at
    if event.kind == CallEventKind.ANSWER:
        answered_at = _earliest(answered_at, event.at)
        snapshot = replace(
            snapshot, answered_extension=snapshot.answered_extension or event.extension
        )
    elif event.kind == CallEventKind.HANGUP:
        ended_at = _earliest(ended_at, event.at)
        snapshot = replace(
            snapshot,
            cause=snapshot.cause or event.cause,
            reported_duration=(
                snapshot.reported_duration
                if snapshot.reported_duration is not None
                else event.duration
            ),
        )
    elif event.kind == CallEventKind.RECORD:
        snapshot = replace(snapshot, recording_url=snapshot.recording_url or event.recording_url)
    return replace(
        snapshot,
        answered_at=answered_at,
        ended_at=ended_at,
        state=_state(answered_at is not None, ended_at is not None),
    )
