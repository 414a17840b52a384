"""Russian search terms: lemmas, roots, query expressions."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from servicedesk.knowledge.domain.text import (
    analyse,
    fts5_match,
    index_text,
    query_terms,
    root,
    stem,
    term,
    tsquery,
)


def test_the_issue_example_shares_a_root_with_the_article_words() -> None:
    query = query_terms("баллы не начислились")
    article = analyse("Начисление баллов за покупку")
    assert [t.root for t in query] == ["балл", "начисл"]
    assert all(any(q.matches(d) for d in article) for q in query)


def test_a_verb_its_noun_and_its_participle_share_a_root() -> None:
    assert root("активировать") == root("активация") == root("активированной") == "актив"
    assert root("изменение") == root("изменить") == "измен"
    assert root("начисляют") == root("начислены") == root("начисления") == "начисл"


def test_stop_words_and_single_letters_are_not_terms() -> None:
    assert [t.word for t in analyse("Что делать, если карта не активна и в")] == [
        "делать",
        "карта",
        "активна",
    ]


def test_lemmas_are_dictionary_forms_with_yo_folded() -> None:
    assert term("начислились").lemma == "начислиться"
    assert term("ёлки").lemma == "елка"
    assert term("Android".lower()).lemma == "android"


def test_latin_words_use_the_english_stemmer_like_postgresql() -> None:
    assert stem("cards") == "card"


def test_index_text_holds_lemma_and_root_of_each_word() -> None:
    assert index_text("баллы не начислились") == "балл начислиться начисл"


def test_query_terms_are_distinct_and_bounded() -> None:
    assert len(query_terms("карта карты карте")) == 1
    assert len(query_terms(" ".join(f"слово{i}" for i in range(100)), limit=5)) == 5


def test_query_expressions_for_both_databases() -> None:
    terms = query_terms("баллы начислились")
    assert fts5_match(terms, match_all=True) == (
        '("балл" OR "балл"*) AND ("начислиться" OR "начисл"*)'
    )
    assert tsquery(terms, match_all=False) == "балл:* | начисл:*"


@given(st.text(max_size=200))
def test_any_input_gives_query_expressions_of_plain_words_only(text: str) -> None:
    terms = query_terms(text)
    for expression in (fts5_match(terms, match_all=True), tsquery(terms, match_all=True)):
        assert "'" not in expression
        assert ";" not in expression
    for t in terms:
        assert t.root.isalnum()
        assert t.lemma.replace("-", "").isalnum()


@given(st.from_regex(r"[а-яё]{2,15}", fullmatch=True))
def test_a_root_is_always_a_prefix_of_the_snowball_stem(word: str) -> None:
    assert stem(word).startswith(root(word))
