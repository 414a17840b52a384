"""Mass incidents as a forest: each child has at most one parent and no link closes a cycle."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class LinkRefusal(StrEnum):
    """Why a parent → child link cannot be made."""

    SELF = "self"
    OTHER_PARENT = "other_parent"
    CYCLE = "cycle"


def link_refusal(parent: int, child: int, parent_of: Mapping[int, int]) -> LinkRefusal | None:
    """Return why `parent` may not adopt `child` given the active links, or None if it may.

    `parent_of` maps each linked child to its parent. Linking a child to the parent it
    already has is allowed (a repeat is a no-op). A cycle would make resolving one
    ticket resolve itself again, so a child may not be the parent or any of its ancestors.
    """
    if parent == child:
        return LinkRefusal.SELF
    current = parent_of.get(child)
    if current is not None and current != parent:
        return LinkRefusal.OTHER_PARENT
    node = parent
    seen: set[int] = set()
    while node in parent_of and node not in seen:
        seen.add(node)
        node = parent_of[node]
        if node == child:
            return LinkRefusal.CYCLE
    return None


def ancestors(node: int, parent_of: Mapping[int, int]) -> list[int]:
    """Return the chain of parents above `node`, nearest first."""
    chain: list[int] = []
    while node in parent_of and parent_of[node] not in chain:
        node = parent_of[node]
        chain.append(node)
    return chain
