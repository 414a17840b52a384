"""A large import is split between processes without breaking a conversation."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicedesk.channels.email.import_split import split_for_jobs

# A few keys per message drawn from a small pool, so that messages often share one.
message_keys = st.lists(
    st.sets(st.sampled_from([f"k{i}" for i in range(30)]), max_size=3), max_size=80
)


@given(message_keys, st.integers(min_value=1, max_value=6))
def test_every_message_lands_in_exactly_one_part_in_its_original_order(
    keys: list[set[str]], jobs: int
) -> None:
    parts = split_for_jobs(keys, jobs)

    assert sorted(itertools.chain.from_iterable(parts)) == list(range(len(keys)))
    assert all(part == sorted(part) for part in parts)
    assert all(parts) and len(parts) <= jobs


@given(message_keys, st.integers(min_value=1, max_value=6))
def test_messages_sharing_a_key_share_a_part(keys: list[set[str]], jobs: int) -> None:
    part_of = {
        index: number for number, part in enumerate(split_for_jobs(keys, jobs)) for index in part
    }

    for a, b in itertools.combinations(range(len(keys)), 2):
        if keys[a] & keys[b]:
            assert part_of[a] == part_of[b], (keys[a], keys[b])


@given(st.integers(min_value=0, max_value=60), st.integers(min_value=1, max_value=6))
def test_unrelated_messages_are_spread_evenly(count: int, jobs: int) -> None:
    sizes = [len(part) for part in split_for_jobs([{i} for i in range(count)], jobs)]

    assert len(sizes) == min(jobs, count)
    assert not sizes or max(sizes) - min(sizes) <= 1


def test_a_conversation_joined_through_a_third_message_stays_together() -> None:
    # The request, a colleague's reply to it, and the requester's later mail about it.
    keys = [
        {"from:kassa@shop.ru", "id:a"},
        {"from:other@x.ru", "id:b"},
        {"from:boss@shop.ru", "id:c", "id:a"},
        {"from:kassa@shop.ru", "id:d"},
        {"from:unrelated@y.ru", "id:e"},
    ]

    parts = split_for_jobs(keys, 2)

    assert [0, 2, 3] in parts


def test_no_jobs_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        split_for_jobs([{"a"}], 0)
