"""Suggestion order: relevance first, raised for the ticket's client and service."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from servicedesk.knowledge.domain.ranking import Candidate, order_suggestions, suggestion_score


def test_an_article_for_the_client_and_service_beats_a_slightly_better_common_one() -> None:
    common = Candidate(1, relevance=1.0, for_client=False, for_service=False)
    specific = Candidate(2, relevance=0.8, for_client=True, for_service=True)
    assert [c.article_id for c in order_suggestions([common, specific], 5)] == [2, 1]


def test_a_much_better_text_match_still_wins_over_context() -> None:
    strong = Candidate(1, relevance=1.0, for_client=False, for_service=False)
    weak = Candidate(2, relevance=0.3, for_client=True, for_service=True)
    assert [c.article_id for c in order_suggestions([weak, strong], 5)] == [1, 2]


def test_only_limit_candidates_are_returned() -> None:
    candidates = [Candidate(i, 1.0, False, False) for i in range(10)]
    assert [c.article_id for c in order_suggestions(candidates, 3)] == [0, 1, 2]


@given(
    st.floats(0, 100),
    st.floats(0.001, 100),
    st.booleans(),
    st.booleans(),
)
def test_context_never_lowers_a_score(
    relevance: float, best: float, client: bool, service: bool
) -> None:
    plain = suggestion_score(Candidate(1, relevance, False, False), best)
    boosted = suggestion_score(Candidate(1, relevance, client, service), best)
    assert boosted >= plain >= 0
