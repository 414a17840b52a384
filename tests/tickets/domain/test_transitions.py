"""The transition matrix: every pair of categories, for staff and for requesters."""

from __future__ import annotations

import pytest

from servicedesk.tickets.domain.statuses import StatusCategory as C
from servicedesk.tickets.domain.statuses import is_reopen, transition_allowed

ALL = list(C)

# Expected staff matrix, written out by hand (row: from, columns: allowed targets).
STAFF = {
    # NEW → NEW: between two statuses of the category "new" the head may have defined.
    C.NEW: {C.NEW, C.OPEN, C.PENDING_REQUESTER, C.PENDING_DEVELOPMENT, C.RESOLVED, C.CANCELLED},
    C.OPEN: {C.OPEN, C.PENDING_REQUESTER, C.PENDING_DEVELOPMENT, C.RESOLVED, C.CANCELLED},
    C.PENDING_REQUESTER: {
        C.OPEN,
        C.PENDING_REQUESTER,
        C.PENDING_DEVELOPMENT,
        C.RESOLVED,
        C.CANCELLED,
    },
    C.PENDING_DEVELOPMENT: {
        C.OPEN,
        C.PENDING_REQUESTER,
        C.PENDING_DEVELOPMENT,
        C.RESOLVED,
        C.CANCELLED,
    },
    C.RESOLVED: {C.OPEN, C.CLOSED},
    C.CLOSED: set(),
    C.CANCELLED: set(),
}
REQUESTER = {
    C.NEW: {C.CANCELLED},
    C.OPEN: set(),
    C.PENDING_REQUESTER: {C.OPEN},
    C.PENDING_DEVELOPMENT: set(),
    C.RESOLVED: {C.OPEN, C.CLOSED},
    C.CLOSED: set(),
    C.CANCELLED: set(),
}


@pytest.mark.parametrize("current", ALL)
@pytest.mark.parametrize("target", ALL)
def test_staff_transition_matrix(current: C, target: C) -> None:
    assert transition_allowed(current, target, by_staff=True) == (target in STAFF[current])


@pytest.mark.parametrize("current", ALL)
@pytest.mark.parametrize("target", ALL)
def test_requester_transition_matrix(current: C, target: C) -> None:
    assert transition_allowed(current, target, by_staff=False) == (target in REQUESTER[current])


def test_nothing_leaves_closed_or_cancelled() -> None:
    for final in (C.CLOSED, C.CANCELLED):
        for target in ALL:
            assert not transition_allowed(final, target, by_staff=True)
            assert not transition_allowed(final, target, by_staff=False)


def test_nobody_moves_a_ticket_back_to_new() -> None:
    for current in ALL:
        if current is not C.NEW:
            assert not transition_allowed(current, C.NEW, by_staff=True)


def test_reopen_is_resolved_back_to_active_work() -> None:
    assert is_reopen(C.RESOLVED, C.OPEN)
    assert not is_reopen(C.OPEN, C.RESOLVED)
    assert not is_reopen(C.CLOSED, C.OPEN)
