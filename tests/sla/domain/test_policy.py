"""Which clocks a ticket has and how a status change moves each of them."""

from __future__ import annotations

import pytest

from servicedesk.sla.domain.clock import ClockState as S
from servicedesk.sla.domain.clock import EntryKind as K
from servicedesk.sla.domain.policy import (
    LevelTargets,
    Target,
    entries_for_status_change,
    plan_clocks,
)

LEVEL = LevelTargets(reaction_seconds=4 * 3600, resolution_seconds=24 * 3600)


def test_client_without_l1_has_reaction_and_resolution_on_its_contract_calendar():
    plans = plan_clocks(
        level=LEVEL,
        has_l1=False,
        line="L2",
        contract_calendar="5/2",
        round_the_clock_calendar="24/7",
    )
    assert [(p.target, p.target_seconds, p.calendar) for p in plans] == [
        (Target.REACTION, 4 * 3600, "5/2"),
        (Target.RESOLUTION, 24 * 3600, "5/2"),
    ]


def test_client_with_l1_gets_an_acknowledgement_clock_around_the_clock():
    plans = plan_clocks(
        level=LEVEL,
        has_l1=True,
        line="L2",
        contract_calendar="5/2",
        round_the_clock_calendar="24/7",
    )
    assert [(p.target, p.calendar) for p in plans] == [
        (Target.ACKNOWLEDGEMENT, "24/7"),
        (Target.REACTION, "5/2"),
        (Target.RESOLUTION, "5/2"),
    ]
    assert plans[0].target_seconds == LEVEL.reaction_seconds


def test_a_ticket_worked_by_a_bought_l1_runs_around_the_clock():
    plans = plan_clocks(
        level=LEVEL,
        has_l1=True,
        line="L1",
        contract_calendar="5/2",
        round_the_clock_calendar="24/7",
    )
    assert {p.calendar for p in plans} == {"24/7"}


@pytest.mark.parametrize(
    ("target", "state", "old", "new", "expected"),
    [
        (Target.RESOLUTION, S.RUNNING, "open", "pending_requester", [K.PAUSED]),
        (Target.RESOLUTION, S.PAUSED, "pending_requester", "open", [K.RESUMED]),
        (Target.RESOLUTION, S.RUNNING, "open", "pending_development", []),
        (Target.REACTION, S.RUNNING, "new", "pending_requester", []),
        (Target.RESOLUTION, S.RUNNING, "open", "resolved", [K.STOPPED]),
        (Target.RESOLUTION, S.PAUSED, "pending_requester", "resolved", [K.STOPPED]),
        (Target.RESOLUTION, S.STOPPED, "resolved", "open", [K.RESUMED]),
        (Target.RESOLUTION, S.STOPPED, "resolved", "pending_requester", [K.RESUMED, K.PAUSED]),
        (Target.REACTION, S.STOPPED, "resolved", "open", []),
        (Target.RESOLUTION, S.STOPPED, "resolved", "closed", []),
        (Target.RESOLUTION, S.RUNNING, "open", "cancelled", [K.CANCELLED]),
        (Target.REACTION, S.RUNNING, "new", "cancelled", [K.CANCELLED]),
        (Target.RESOLUTION, S.CANCELLED, "cancelled", "open", []),
    ],
)
def test_status_changes_move_clocks_as_the_policy_says(target, state, old, new, expected):
    assert entries_for_status_change(target, state, old, new) == expected


def test_pause_rules_are_per_target_and_configurable():
    pauses = {
        Target.REACTION: frozenset({"pending_development"}),
        Target.RESOLUTION: frozenset({"pending_development", "pending_requester"}),
    }
    assert entries_for_status_change(
        Target.REACTION, S.RUNNING, "new", "pending_development", pauses
    ) == [K.PAUSED]
    assert entries_for_status_change(
        Target.RESOLUTION, S.RUNNING, "open", "pending_development", pauses
    ) == [K.PAUSED]
