"""Split a large import of mail between processes without breaking a conversation.

Mail that shares a sender, a Message-ID (its own or one it replies to or references),
a ticket, or the very same bytes must be handled by one process, in the order it was
given: a reply handled before the message it answers would open a ticket of its own,
and two processes creating one sender's contact, or acknowledging one sender twice,
would race. Everything else may go to any process. Plain Python: the caller names the
keys of each message (see `channels.email.import_jobs`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence


def split_for_jobs(keys: Sequence[Iterable[Hashable]], jobs: int) -> list[list[int]]:
    """Return the indexes of `keys` in at most `jobs` parts, each part in ascending order.

    Two messages that share a key, directly or through others, land in the same part.
    Parts are balanced by message count (largest conversations placed first, each on
    the part with the fewest messages so far); no part is empty.
    """
    if jobs < 1:
        raise ValueError("jobs must be at least 1")
    parent = list(range(len(keys)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    first_with_key: dict[Hashable, int] = {}
    for index, message_keys in enumerate(keys):
        for key in message_keys:
            other = first_with_key.setdefault(key, index)
            if other != index:
                a, b = root(other), root(index)
                if a != b:
                    parent[max(a, b)] = min(a, b)

    groups: dict[int, list[int]] = {}
    for index in range(len(keys)):
        groups.setdefault(root(index), []).append(index)
    parts: list[list[int]] = [[] for _ in range(min(jobs, len(groups)))]
    for group in sorted(groups.values(), key=lambda members: (-len(members), members[0])):
        min(parts, key=len).extend(group)
    return [sorted(part) for part in parts]
