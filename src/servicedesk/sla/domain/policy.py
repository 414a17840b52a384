"""Which clocks a ticket has, on which calendar, and how status changes move them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from servicedesk.sla.domain.clock import ClockState, EntryKind


class Target(StrEnum):
    """What a clock measures."""

    ACKNOWLEDGEMENT = "acknowledgement"  # L1 takes the request in, around the clock
    REACTION = "reaction"  # first move into work or first public reply
    RESOLUTION = "resolution"  # resolved

    @property
    def label(self) -> str:
        return TARGET_LABELS[self]


TARGET_LABELS = {
    Target.ACKNOWLEDGEMENT: "Подтверждение",
    Target.REACTION: "Реакция",
    Target.RESOLUTION: "Решение",
}

DONE = frozenset({"resolved", "closed"})
ACTIVE = frozenset({"new", "open", "pending_requester", "pending_development"})

DEFAULT_PAUSES: Mapping[Target, frozenset[str]] = {
    Target.ACKNOWLEDGEMENT: frozenset(),
    Target.REACTION: frozenset(),
    Target.RESOLUTION: frozenset({"pending_requester"}),
}


@dataclass(frozen=True)
class LevelTargets:
    reaction_seconds: int
    resolution_seconds: int


@dataclass(frozen=True)
class ClockPlan:
    """A clock a ticket should have: its target and calendar."""

    target: Target
    target_seconds: int
    calendar: str


def plan_clocks(
    *,
    level: LevelTargets,
    has_l1: bool,
    line: str,
    contract_calendar: str,
    round_the_clock_calendar: str,
) -> list[ClockPlan]:
    """Return the clocks of a ticket (SPEC §6).

    A client that bought L1 gets an acknowledgement clock on the 24/7 calendar with the
    reaction target. Reaction and resolution run on the calendar of the line that works
    the ticket: 24/7 while L1 (bought) works it, the contract's calendar on L2/L3.
    """
    worked_round_the_clock = has_l1 and line == "L1"
    calendar = round_the_clock_calendar if worked_round_the_clock else contract_calendar
    plans = [
        ClockPlan(Target.REACTION, level.reaction_seconds, calendar),
        ClockPlan(Target.RESOLUTION, level.resolution_seconds, calendar),
    ]
    if has_l1:
        plans.insert(
            0,
            ClockPlan(Target.ACKNOWLEDGEMENT, level.reaction_seconds, round_the_clock_calendar),
        )
    return plans


def entries_for_status_change(
    target: Target,
    state: ClockState,
    old_category: str,
    new_category: str,
    pauses: Mapping[Target, frozenset[str]] = DEFAULT_PAUSES,
) -> list[EntryKind]:
    """Return what a status change does to one clock, in order.

    Reaction and acknowledgement stop at the first reaction (handled elsewhere); here they
    only end with a resolved, closed or cancelled ticket. Resolution stops at resolved,
    resumes where it stopped on reopen, and pauses in the categories the policy names.
    """
    if state in (ClockState.NOT_STARTED, ClockState.CANCELLED):
        return []
    if new_category == "cancelled":
        return [EntryKind.CANCELLED] if state != ClockState.STOPPED else []
    pause_set = pauses.get(target, frozenset())
    if new_category in DONE:
        return [EntryKind.STOPPED] if state in (ClockState.RUNNING, ClockState.PAUSED) else []
    result: list[EntryKind] = []
    if state == ClockState.STOPPED:
        if target != Target.RESOLUTION or old_category not in DONE:
            return []
        result.append(EntryKind.RESUMED)  # reopened: resolution goes on where it stopped
        state = ClockState.RUNNING
    should_pause = new_category in pause_set
    if should_pause and state == ClockState.RUNNING:
        result.append(EntryKind.PAUSED)
    elif not should_pause and state == ClockState.PAUSED:
        result.append(EntryKind.RESUMED)
    return result
