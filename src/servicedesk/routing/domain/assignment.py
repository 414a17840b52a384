"""Choosing the person within a role: the least-loaded one on shift now."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Weight of one open ticket in a person's load, by how urgent its SLA level is (rank 0
# is the most urgent level). A critical ticket costs more attention than a routine one.
URGENCY_WEIGHTS = (3.0, 2.0, 1.0)
RAISED_PRIORITY_EXTRA = 1.0


def ticket_weight(urgency_rank: int | None, priority_raised: bool) -> float:
    """Return the load one open ticket adds; a ticket without a level counts as routine."""
    if urgency_rank is None:
        base = URGENCY_WEIGHTS[-1]
    else:
        base = URGENCY_WEIGHTS[min(max(urgency_rank, 0), len(URGENCY_WEIGHTS) - 1)]
    return base + (RAISED_PRIORITY_EXTRA if priority_raised else 0.0)


@dataclass(frozen=True)
class Candidate:
    """A member of the role with their current load."""

    username: str
    on_shift: bool
    load: float = 0.0
    open_tickets: int = 0


def choose_assignee(candidates: Sequence[Candidate]) -> Candidate | None:
    """Return the on-shift candidate with the smallest load, or None if nobody is on shift.

    Ties go to the person with fewer open tickets, then by username, so the choice is
    the same every time for the same state.
    """
    working = [c for c in candidates if c.on_shift]
    if not working:
        return None
    return min(working, key=lambda c: (c.load, c.open_tickets, c.username))
