"""The problem life cycle."""

from __future__ import annotations

from servicedesk.problems.domain.statuses import (
    ProblemStatus,
    allowed_targets,
    transition_refusal,
)


def test_a_problem_becomes_a_known_error_only_with_a_workaround() -> None:
    assert (
        transition_refusal(ProblemStatus.OPEN, ProblemStatus.KNOWN_ERROR, has_workaround=True)
        is None
    )
    refusal = transition_refusal(
        ProblemStatus.OPEN, ProblemStatus.KNOWN_ERROR, has_workaround=False
    )
    assert refusal is not None and "обходного решения" in refusal


def test_closed_is_final_and_resolved_may_come_back() -> None:
    for target in ProblemStatus:
        if target != ProblemStatus.CLOSED:
            assert transition_refusal(ProblemStatus.CLOSED, target, has_workaround=True) is not None
    assert (
        transition_refusal(ProblemStatus.RESOLVED, ProblemStatus.OPEN, has_workaround=False) is None
    )


def test_an_open_problem_cannot_be_closed_without_being_resolved() -> None:
    assert (
        transition_refusal(ProblemStatus.OPEN, ProblemStatus.CLOSED, has_workaround=True)
        is not None
    )
    assert allowed_targets(ProblemStatus.OPEN, has_workaround=False) == [ProblemStatus.RESOLVED]
    assert allowed_targets(ProblemStatus.OPEN, has_workaround=True) == [
        ProblemStatus.KNOWN_ERROR,
        ProblemStatus.RESOLVED,
    ]


def test_staying_in_place_is_not_a_refusal() -> None:
    for status in ProblemStatus:
        assert transition_refusal(status, status, has_workaround=False) is None
