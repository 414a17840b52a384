"""Markdown → sanitised HTML for display, and → plain text for search."""

from __future__ import annotations

import html
import re
from functools import cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"style"},
    "td": {"style"},
}
_BLANK_LINES = re.compile(r"\n\s*\n+")


@cache
def _parser() -> MarkdownIt:
    # Raw HTML in the source is shown as text; the output is sanitised all the same.
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def render_markdown(source: str) -> SafeString:
    """Return the article's HTML, sanitised (no scripts, handlers or javascript: links)."""
    raw = _parser().render(source)
    clean = nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
        filter_style_properties={"text-align"},
    )
    return mark_safe(clean)


def plain_text(source: str) -> str:
    """Return the text a reader sees, without markup (what search indexes and quotes)."""
    stripped = nh3.clean(_parser().render(source), tags=set(), attributes={})
    return _BLANK_LINES.sub("\n\n", html.unescape(stripped)).strip()
