"""How suggestions are ordered: text relevance, boosted for the caller's client and service."""

from __future__ import annotations

from dataclasses import dataclass

CLIENT_BOOST = 0.5
SERVICE_BOOST = 0.5


@dataclass(frozen=True)
class Candidate:
    """An article found by text, with what it has in common with the ticket in hand."""

    article_id: int
    relevance: float  # higher is better; the scale depends on the database
    for_client: bool  # written for this client (not a common article)
    for_service: bool  # related to this service


def suggestion_score(candidate: Candidate, best_relevance: float) -> float:
    """Return relevance relative to the best match (0..1), raised by each match in context."""
    base = candidate.relevance / best_relevance if best_relevance > 0 else 0.0
    boost = 1.0 + CLIENT_BOOST * candidate.for_client + SERVICE_BOOST * candidate.for_service
    return max(base, 0.0) * boost


def order_suggestions(candidates: list[Candidate], limit: int) -> list[Candidate]:
    """Return the best `limit` candidates by suggestion score (ties: lower id first)."""
    best = max((c.relevance for c in candidates), default=0.0)
    ranked = sorted(candidates, key=lambda c: (-suggestion_score(c, best), c.article_id))
    return ranked[:limit]
