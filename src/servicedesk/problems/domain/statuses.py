"""A problem's (known error's) life cycle and the one function that says which moves are allowed."""

from __future__ import annotations

from enum import StrEnum


class ProblemStatus(StrEnum):
    """Where a problem stands (ITIL problem management, SPEC §9)."""

    OPEN = "open"
    KNOWN_ERROR = "known_error"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    ProblemStatus.OPEN: "Открыта",
    ProblemStatus.KNOWN_ERROR: "Известная ошибка",
    ProblemStatus.RESOLVED: "Устранена",
    ProblemStatus.CLOSED: "Закрыта",
}

# A problem is analysed (open), becomes a known error once a workaround is written down,
# is resolved when the cause is removed, and is closed after that; a resolved problem may
# come back. Closed is final: a recurrence is a new problem that can cite the old one.
TRANSITIONS: dict[ProblemStatus, frozenset[ProblemStatus]] = {
    ProblemStatus.OPEN: frozenset({ProblemStatus.KNOWN_ERROR, ProblemStatus.RESOLVED}),
    ProblemStatus.KNOWN_ERROR: frozenset({ProblemStatus.OPEN, ProblemStatus.RESOLVED}),
    ProblemStatus.RESOLVED: frozenset({ProblemStatus.OPEN, ProblemStatus.CLOSED}),
    ProblemStatus.CLOSED: frozenset(),
}


def transition_refusal(
    current: ProblemStatus, target: ProblemStatus, *, has_workaround: bool
) -> str | None:
    """Return why the move is refused (Russian), or None when it is allowed."""
    if current == target:
        return None
    if target not in TRANSITIONS[current]:
        return f"Нельзя перевести проблему из «{current.label}» в «{target.label}»"
    if target == ProblemStatus.KNOWN_ERROR and not has_workaround:
        return "Известная ошибка требует описанного обходного решения"
    return None


def allowed_targets(current: ProblemStatus, *, has_workaround: bool) -> list[ProblemStatus]:
    """Return the statuses the problem may move to now, in the enum's order."""
    return [
        status
        for status in ProblemStatus
        if status != current
        and transition_refusal(current, status, has_workaround=has_workaround) is None
    ]
