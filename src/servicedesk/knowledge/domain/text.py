"""Russian search terms: the same words go into the index and into every query.

A word becomes two keys: its dictionary form (pymorphy3: "начислились" → "начислиться")
and a *root*, the Snowball stem with one derivational suffix taken off
("начисление" → "начислен" → "начисл"). A query word matches a document word when the
lemmas are equal or the document word starts with the query word's root, so
"баллы не начислились" finds "начисление баллов" and the reverse.

PostgreSQL stems documents itself with its `russian` configuration (the same Snowball
algorithm); queries there use the roots as prefixes (`начисл:*`), which is why roots
are always a prefix of the Snowball stem of their word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import snowballstemmer

# PostgreSQL's `russian` configuration drops these words from documents; a query that
# kept one would never match, so queries drop them too (and so does the SQLite index).
_STOP_WORDS_TEXT = """
и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только
ее мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни
быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где
есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж
тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее
сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше
тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою этой
перед иногда лучше чуть том нельзя такой им более всегда конечно всю между
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

# Derivational suffixes left on a Snowball stem, longest first: -ирова(ть), -ация,
# -ение/-ание, -овка/-ка. Taking one off joins a verb, its noun and its participle.
_DERIVATIONAL = ("ирован", "ировк", "ирова", "ован", "овк", "ова", "ен", "ан", "ац", "к")
_STEM_VOWELS = ("а", "я")  # verb stems: "начисля(ть)", "списа(ть)"
MIN_ROOT = 4

WORD = re.compile(r"[0-9a-zа-яё]+", re.IGNORECASE)
_CYRILLIC = re.compile(r"[а-яё]")
_LATIN = re.compile(r"[a-z]")


@dataclass(frozen=True)
class Term:
    """One meaningful word of a text: what was written, its lemma and its root."""

    word: str
    lemma: str
    root: str

    def matches(self, other: Term) -> bool:
        """Return whether `other` (a document word) matches this query term."""
        return (
            other.lemma == self.lemma
            or other.root.startswith(self.root)
            or other.lemma.startswith(self.root)
        )


@cache
def _stemmers() -> dict[str, Any]:
    return {
        "ru": snowballstemmer.stemmer("russian"),
        "en": snowballstemmer.stemmer("english"),
    }


@cache
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


def words(text: str) -> list[str]:
    """Return the lower-case words of `text` (letters and digits; ё kept)."""
    return [match.group(0).lower() for match in WORD.finditer(text)]


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """Return the dictionary form of a Russian word; other words as they are."""
    if not _CYRILLIC.search(word) or _LATIN.search(word):
        return word
    return str(_morph().parse(word)[0].normal_form).replace("ё", "е")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Return the Snowball stem (Russian, or English for Latin words), as PostgreSQL does."""
    if word.isdigit():
        return word
    language = "en" if _LATIN.search(word) and not _CYRILLIC.search(word) else "ru"
    return str(_stemmers()[language].stemWord(word.replace("ё", "е")))


@lru_cache(maxsize=200_000)
def root(word: str) -> str:
    """Return the stem without one derivational suffix (never shorter than MIN_ROOT)."""
    base = stem(word)
    if not _CYRILLIC.search(base):
        return base
    for suffix in _DERIVATIONAL:
        if base.endswith(suffix) and len(base) - len(suffix) >= MIN_ROOT:
            base = base[: -len(suffix)]
            break
    if base.endswith(_STEM_VOWELS) and len(base) - 1 >= MIN_ROOT:
        base = base[:-1]
    return base


def term(word: str) -> Term:
    return Term(word=word, lemma=lemma(word), root=root(word))


def analyse(text: str) -> list[Term]:
    """Return the meaningful words of `text` in order (stop words and 1-letter words out)."""
    return [term(word) for word in words(text) if word not in STOP_WORDS and len(word) > 1]


def query_terms(text: str, limit: int = 32) -> list[Term]:
    """Return the distinct terms of a query, in order, at most `limit` of them."""
    seen: dict[str, Term] = {}
    for item in analyse(text):
        seen.setdefault(item.root, item)
    return list(seen.values())[:limit]


def index_text(text: str) -> str:
    """Return what the SQLite index stores for `text`: lemma and root of every word."""
    keys: list[str] = []
    for item in analyse(text):
        keys.append(item.lemma)
        if item.root != item.lemma:
            keys.append(item.root)
    return " ".join(keys)


def fts5_match(terms: list[Term], *, match_all: bool) -> str:
    """Return an FTS5 MATCH expression: per term, its lemma or any word starting with its root.

    Terms hold only letters and digits (see WORD), so quoting them is enough.
    """
    groups = [f'("{t.lemma}" OR "{t.root}"*)' for t in terms]
    return (" AND " if match_all else " OR ").join(groups)


def tsquery(terms: list[Term], *, match_all: bool) -> str:
    """Return a raw PostgreSQL tsquery (for the `simple` configuration): roots as prefixes."""
    return (" & " if match_all else " | ").join(f"{t.root}:*" for t in terms)
