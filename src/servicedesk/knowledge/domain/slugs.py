"""Readable Latin slugs for article addresses (/kb/public/kak-aktivirovat-kartu/)."""

from __future__ import annotations

import re

_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
            "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya",
        ],  # fmt: skip
        strict=True,
    )
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_MAX = 80


def slugify_ru(text: str) -> str:
    """Return a lower-case ASCII slug of a Russian or Latin title ("" if nothing is left)."""
    latin = "".join(_TRANSLIT.get(char, char) for char in text.lower())
    slug = _NOT_SLUG.sub("-", latin).strip("-")
    return slug[:SLUG_MAX].rstrip("-")
