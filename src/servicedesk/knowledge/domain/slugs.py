"""Readable Latin slugs for article addresses (/kb/public/kak-aktivirovat-kartu/)."""

from __future__ import annotations

import re

_TRANSLIT = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_MAX = 80


def slugify_ru(text: str) -> str:
    """Return a lower-case ASCII slug of a Russian or Latin title ("" if nothing is left)."""
    latin = "".join(_TRANSLIT.get(char, char) for char in text.lower())
    slug = _NOT_SLUG.sub("-", latin).strip("-")
    return slug[:SLUG_MAX].rstrip("-")
