"""Fixed status categories and the one function that says which moves are allowed."""

from __future__ import annotations

from enum import StrEnum


class StatusCategory(StrEnum):
    """What a status means to the desk; admins name statuses, the logic keys on this."""

    NEW = "new"
    OPEN = "open"
    PENDING_REQUESTER = "pending_requester"
    PENDING_DEVELOPMENT = "pending_development"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]

    @property
    def is_active(self) -> bool:
        """Return whether a ticket in this category still needs work."""
        return self in ACTIVE_CATEGORIES


CATEGORY_LABELS = {
    StatusCategory.NEW: "Новое",
    StatusCategory.OPEN: "В работе",
    StatusCategory.PENDING_REQUESTER: "Ожидает ответа заявителя",
    StatusCategory.PENDING_DEVELOPMENT: "Передано в разработку",
    StatusCategory.RESOLVED: "Решено",
    StatusCategory.CLOSED: "Закрыто",
    StatusCategory.CANCELLED: "Отменено",
}

ACTIVE_CATEGORIES = frozenset(
    {
        StatusCategory.NEW,
        StatusCategory.OPEN,
        StatusCategory.PENDING_REQUESTER,
        StatusCategory.PENDING_DEVELOPMENT,
    }
)

_WORKING = ACTIVE_CATEGORIES - {StatusCategory.NEW}

# Staff may move between any two active categories except back to NEW, resolve or cancel
# active work, reopen or close a resolved ticket. Closed and cancelled are final.
STAFF_TRANSITIONS: dict[StatusCategory, frozenset[StatusCategory]] = {
    StatusCategory.NEW: _WORKING | {StatusCategory.RESOLVED, StatusCategory.CANCELLED},
    StatusCategory.OPEN: _WORKING | {StatusCategory.RESOLVED, StatusCategory.CANCELLED},
    StatusCategory.PENDING_REQUESTER: _WORKING
    | {StatusCategory.RESOLVED, StatusCategory.CANCELLED},
    StatusCategory.PENDING_DEVELOPMENT: _WORKING
    | {StatusCategory.RESOLVED, StatusCategory.CANCELLED},
    StatusCategory.RESOLVED: frozenset({StatusCategory.OPEN, StatusCategory.CLOSED}),
    StatusCategory.CLOSED: frozenset(),
    StatusCategory.CANCELLED: frozenset(),
}

# A requester may withdraw a request not yet worked on, answer a question (back to work),
# confirm a resolution or reopen it.
REQUESTER_TRANSITIONS: dict[StatusCategory, frozenset[StatusCategory]] = {
    StatusCategory.NEW: frozenset({StatusCategory.CANCELLED}),
    StatusCategory.OPEN: frozenset(),
    StatusCategory.PENDING_REQUESTER: frozenset({StatusCategory.OPEN}),
    StatusCategory.PENDING_DEVELOPMENT: frozenset(),
    StatusCategory.RESOLVED: frozenset({StatusCategory.OPEN, StatusCategory.CLOSED}),
    StatusCategory.CLOSED: frozenset(),
    StatusCategory.CANCELLED: frozenset(),
}


def transition_allowed(current: StatusCategory, target: StatusCategory, *, by_staff: bool) -> bool:
    """Return whether a ticket may move from `current` to `target` for this kind of actor.

    Moving between two statuses of the same active category (say, two flavours of
    "in work") is always allowed for staff.
    """
    if by_staff and current == target and current.is_active:
        return True
    table = STAFF_TRANSITIONS if by_staff else REQUESTER_TRANSITIONS
    return target in table[current]


def is_reopen(current: StatusCategory, target: StatusCategory) -> bool:
    return current == StatusCategory.RESOLVED and target.is_active
