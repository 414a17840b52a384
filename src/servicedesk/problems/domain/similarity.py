"""Which open tickets probably share a cause: same client, outlet, service, similar text.

Text similarity is the Jaccard index of character trigrams of the normalised subject and
description: cheap, language-agnostic, and tolerant of typos and Russian word endings
("не начисляются баллы" vs "баллы не начислились"), which matter more here than
word order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

NGRAM = 3
TEXT_LIMIT = 2000  # characters of subject + description that take part in the comparison

WEIGHT_TEXT = 0.50
WEIGHT_OUTLET = 0.25
WEIGHT_CLIENT = 0.15
WEIGHT_SERVICE = 0.10
# Same client and service alone (0.25) is not enough: a busy client has dozens of those.
MIN_SCORE = 0.35

_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)
_DIGITS = re.compile(r"\d+")


def normalise(text: str) -> str:
    """Lower-case, ё → е, digits masked, punctuation collapsed to single spaces."""
    text = text[:TEXT_LIMIT].lower().replace("ё", "е")
    text = _DIGITS.sub("0", text)
    return " ".join(_NOT_WORD.sub(" ", text).replace("_", " ").split())


def char_ngrams(text: str, n: int = NGRAM) -> frozenset[str]:
    """Return the set of character n-grams of each word, padded with spaces at both ends."""
    words = [f" {word} " for word in normalise(text).split()]
    return frozenset(
        word[i : i + n] if len(word) > n else word
        for word in words
        for i in range(max(1, len(word) - n + 1))
    )


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Return |a ∩ b| / |a ∪ b|, and 0 when both are empty."""
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class TicketSketch:
    """What the comparison needs to know about one ticket."""

    key: int
    client: int
    outlet: int | None
    service: int | None
    grams: frozenset[str]

    @classmethod
    def of(
        cls, key: int, client: int, outlet: int | None, service: int | None, text: str
    ) -> TicketSketch:
        return cls(key=key, client=client, outlet=outlet, service=service, grams=char_ngrams(text))


@dataclass(frozen=True)
class Similarity:
    """How much a candidate looks like the target, and why."""

    key: int
    score: float
    text: float
    same_client: bool
    same_outlet: bool
    same_service: bool

    @property
    def reasons(self) -> list[str]:
        reasons = []
        if self.same_outlet:
            reasons.append("та же торговая точка")
        elif self.same_client:
            reasons.append("тот же клиент")
        if self.same_service:
            reasons.append("та же услуга")
        if self.text >= 0.2:
            reasons.append(f"похожий текст ({round(self.text * 100)} %)")
        return reasons


def similarity(target: TicketSketch, candidate: TicketSketch) -> Similarity:
    """Score `candidate` against `target` in [0, 1]; symmetric in its two arguments."""
    text = jaccard(target.grams, candidate.grams)
    same_client = target.client == candidate.client
    same_outlet = same_client and target.outlet is not None and target.outlet == candidate.outlet
    same_service = target.service is not None and target.service == candidate.service
    score = (
        WEIGHT_TEXT * text
        + WEIGHT_OUTLET * same_outlet
        + WEIGHT_CLIENT * same_client
        + WEIGHT_SERVICE * same_service
    )
    return Similarity(
        key=candidate.key,
        score=round(score, 4),
        text=round(text, 4),
        same_client=same_client,
        same_outlet=same_outlet,
        same_service=same_service,
    )


def rank_similar(
    target: TicketSketch,
    candidates: Iterable[TicketSketch],
    *,
    limit: int,
    minimum: float = MIN_SCORE,
) -> list[Similarity]:
    """Return up to `limit` candidates scoring at least `minimum`, best first (ties: newest)."""
    scored = [
        similarity(target, candidate) for candidate in candidates if candidate.key != target.key
    ]
    kept = [item for item in scored if item.score >= minimum]
    kept.sort(key=lambda item: (-item.score, -item.key))
    return kept[:limit]
