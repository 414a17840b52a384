"""Mass-incident links form a forest: no self-links, one parent per child, no cycles."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from servicedesk.problems.domain.mass import LinkRefusal, ancestors, link_refusal


def test_a_ticket_cannot_be_its_own_parent() -> None:
    assert link_refusal(1, 1, {}) == LinkRefusal.SELF


def test_a_child_has_one_parent_and_relinking_to_it_is_fine() -> None:
    parent_of = {2: 1}
    assert link_refusal(1, 2, parent_of) is None
    assert link_refusal(3, 2, parent_of) == LinkRefusal.OTHER_PARENT


def test_linking_an_ancestor_as_a_child_is_a_cycle() -> None:
    parent_of = {2: 1, 3: 2}  # 1 → 2 → 3
    assert link_refusal(3, 1, parent_of) == LinkRefusal.CYCLE
    assert link_refusal(3, 4, parent_of) is None
    assert ancestors(3, parent_of) == [2, 1]


@given(st.lists(st.tuples(st.integers(0, 8), st.integers(0, 8)), max_size=60))
def test_any_sequence_of_accepted_links_stays_acyclic(attempts: list[tuple[int, int]]) -> None:
    parent_of: dict[int, int] = {}
    for parent, child in attempts:
        if link_refusal(parent, child, parent_of) is None:
            parent_of[child] = parent
    for node in parent_of:
        seen = {node}
        current = node
        while current in parent_of:
            current = parent_of[current]
            assert current not in seen, f"cycle through {node}"
            seen.add(current)
