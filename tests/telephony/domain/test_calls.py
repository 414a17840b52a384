"""A call's state is the fold of its events, in whatever order they arrive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import reduce

from hypothesis import given
from hypothesis import strategies as st

from servicedesk.telephony.domain.calls import (
    CallEventData,
    CallEventKind,
    CallSnapshot,
    CallState,
    Direction,
    apply_event,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def event(kind: CallEventKind, seconds: int, **extra: object) -> CallEventData:
    base = {"from_number": "+79161234567", "to_number": "88003333236", "direction": Direction.IN}
    return CallEventData(
        call_id="c1", kind=kind, at=T0 + timedelta(seconds=seconds), **(base | extra)
    )  # type: ignore[arg-type]


def fold(events: list[CallEventData]) -> CallSnapshot:
    snapshot: CallSnapshot | None = None
    for item in events:
        snapshot = apply_event(snapshot, item)
    assert snapshot is not None
    return snapshot


NEW = event(CallEventKind.NEW_CALL, 0)
ANSWER = event(CallEventKind.ANSWER, 12, extension="106")
HANGUP = event(CallEventKind.HANGUP, 72, cause="normal")
RECORD = event(CallEventKind.RECORD, 130, recording_url="https://pbx.test/rec/c1.mp3")


def test_an_answered_call_in_order() -> None:
    call = fold([NEW, ANSWER, HANGUP, RECORD])
    assert call.state == CallState.ENDED
    assert call.started_at == T0
    assert call.answered_extension == "106"
    assert call.duration == 60
    assert not call.missed
    assert call.recording_url.endswith("c1.mp3")


def test_hangup_before_answer_still_gives_an_answered_call() -> None:
    call = fold([NEW, HANGUP, ANSWER])
    assert call.state == CallState.ENDED
    assert not call.missed
    assert call.duration == 60


def test_a_call_known_only_from_its_hangup_is_missed() -> None:
    call = fold([HANGUP])
    assert call.missed
    assert call.started_at == HANGUP.at
    later = apply_event(call, NEW)
    assert later.started_at == T0 and later.state == CallState.ENDED


def test_the_pbx_duration_wins_over_the_computed_one() -> None:
    assert fold([NEW, ANSWER, event(CallEventKind.HANGUP, 72, duration=55)]).duration == 55


def test_record_after_hangup_keeps_the_call_ended() -> None:
    call = fold([NEW, HANGUP, RECORD])
    assert call.state == CallState.ENDED and call.missed
    assert call.recording_url


@given(st.permutations([NEW, ANSWER, HANGUP, RECORD]))
def test_the_final_state_does_not_depend_on_delivery_order(order: list[CallEventData]) -> None:
    assert fold(order) == fold([NEW, ANSWER, HANGUP, RECORD])


@given(st.lists(st.sampled_from([NEW, ANSWER, HANGUP, RECORD]), min_size=1, max_size=8))
def test_repeats_change_nothing_and_the_state_never_goes_back(events: list[CallEventData]) -> None:
    once = fold(list(dict.fromkeys(events)))
    assert fold(events) == once
    states = [CallState.RINGING, CallState.ANSWERED, CallState.ENDED]
    snapshots = [reduce(apply_event, events[: i + 1], None) for i in range(len(events))]  # type: ignore[arg-type]
    ranks = [states.index(snapshot.state) for snapshot in snapshots]
    assert ranks == sorted(ranks)
