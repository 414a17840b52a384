"""Same-cause scoring: trigram Jaccard plus same client / outlet / service."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from servicedesk.problems.domain.similarity import (
    MIN_SCORE,
    TicketSketch,
    char_ngrams,
    jaccard,
    normalise,
    rank_similar,
    similarity,
)

texts = st.text(alphabet="абвгдеёжзклмнопрст баллы0123456789!,.", max_size=60)


def sketch(
    key: int, text: str, client: int = 1, outlet: int | None = None, service: int | None = None
) -> TicketSketch:
    return TicketSketch.of(key, client, outlet, service, text)


def test_normalising_ignores_case_yo_digits_and_punctuation() -> None:
    assert normalise("Ёлка: КАССА №3 не работает!!") == normalise("елка касса №7, не работает")


def test_russian_word_endings_still_look_alike() -> None:
    a = char_ngrams("Не начисляются баллы на кассе")
    b = char_ngrams("баллы не начислились, касса")
    assert jaccard(a, b) > 0.4
    assert jaccard(a, char_ngrams("Нужен отчёт по акции")) < 0.15


@given(texts, texts)
def test_jaccard_is_symmetric_and_between_zero_and_one(a: str, b: str) -> None:
    ga, gb = char_ngrams(a), char_ngrams(b)
    assert jaccard(ga, gb) == jaccard(gb, ga)
    assert 0.0 <= jaccard(ga, gb) <= 1.0


@given(texts.filter(lambda t: normalise(t) != ""))
def test_a_text_is_identical_to_itself(text: str) -> None:
    grams = char_ngrams(text)
    assert jaccard(grams, grams) == 1.0


@given(texts, texts, st.booleans(), st.booleans())
def test_score_is_symmetric_and_bounded(
    a: str, b: str, same_client: bool, same_service: bool
) -> None:
    left = sketch(1, a, client=1, outlet=5, service=7)
    right = sketch(2, b, client=1 if same_client else 2, outlet=5, service=7 if same_service else 8)
    assert similarity(left, right).score == similarity(right, left).score
    assert 0.0 <= similarity(left, right).score <= 1.0


def test_same_client_and_service_alone_are_not_enough_but_same_outlet_is() -> None:
    target = sketch(1, "Касса не принимает карту", client=1, outlet=10, service=3)
    other_text = sketch(2, "Нужен отчёт по продажам за март", client=1, outlet=None, service=3)
    same_outlet = sketch(3, "Нужен отчёт по продажам за март", client=1, outlet=10, service=None)
    assert similarity(target, other_text).score < MIN_SCORE
    assert similarity(target, same_outlet).score >= MIN_SCORE


def test_similar_text_of_another_client_is_suggested() -> None:
    target = sketch(1, "Процессинг не отвечает, баллы не начисляются", client=1)
    elsewhere = sketch(2, "процессинг не отвечает: не начисляются баллы!", client=2)
    assert [item.key for item in rank_similar(target, [elsewhere], limit=5)] == [2]


@given(st.lists(texts, max_size=15), st.integers(1, 5))
def test_ranking_excludes_the_target_respects_the_limit_and_sorts(
    others: list[str], limit: int
) -> None:
    target = sketch(0, "касса не принимает карту лояльности")
    candidates = [target] + [sketch(i + 1, text) for i, text in enumerate(others)]
    ranked = rank_similar(target, candidates, limit=limit)
    assert len(ranked) <= limit
    assert all(item.key != 0 for item in ranked)
    assert [item.score for item in ranked] == sorted((item.score for item in ranked), reverse=True)
    assert all(item.score >= MIN_SCORE for item in ranked)
