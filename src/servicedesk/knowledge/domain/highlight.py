"""Highlight query words in a text: escaped HTML with <mark>, cut to the best fragment."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from servicedesk.knowledge.domain.text import STOP_WORDS, WORD, Term, term

_SPACE = re.compile(r"\s+")

# PostgreSQL's ts_headline is told to wrap hits in these; nothing else in the text may
# contain them (see strip_markers), so after escaping they become <mark> safely.
MARK_START = "\ue000"
MARK_END = "\ue001"


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    hit: Term | None


def strip_markers(text: str) -> str:
    return text.replace(MARK_START, "").replace(MARK_END, "")


def markers_to_html(marked: str) -> str:
    """Escape a text whose hits are wrapped in MARK_START/MARK_END and turn those into <mark>."""
    escaped = html.escape(_SPACE.sub(" ", marked).strip(), quote=False)
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def _scan(text: str, terms: list[Term]) -> list[_Word]:
    found: list[_Word] = []
    for match in WORD.finditer(text):
        word = match.group(0).lower()
        hit = None
        if word not in STOP_WORDS and len(word) > 1:
            candidate = term(word)
            hit = next((q for q in terms if q.matches(candidate)), None)
        found.append(_Word(match.start(), match.end(), hit))
    return found


def _best_window(scanned: list[_Word], size: int) -> int:
    """Return the index of the first word of the window with the most distinct hits."""
    best, best_score = 0, (-1, -1)
    for first in range(max(1, len(scanned) - size + 1)):
        window = scanned[first : first + size]
        hits = [w.hit for w in window if w.hit is not None]
        score = (len({h.root for h in hits}), len(hits))
        if score > best_score:
            best, best_score = first, score
    return best


def highlight(text: str, terms: list[Term], *, max_words: int | None = 35) -> str:
    """Return escaped HTML of `text` (or its best `max_words` fragment) with hits in <mark>."""
    text = strip_markers(text)
    scanned = _scan(text, terms)
    if max_words is None or len(scanned) <= max_words:
        first, last, prefix, suffix = 0, len(text), "", ""
    else:
        index = _best_window(scanned, max_words)
        window = scanned[index : index + max_words]
        first = 0 if index == 0 else window[0].start
        last = len(text) if index + max_words >= len(scanned) else window[-1].end
        prefix = "" if first == 0 else "… "
        suffix = "" if last == len(text) else " …"
    pieces: list[str] = []
    position = first
    for word in scanned:
        if word.end <= first or word.start >= last or word.hit is None:
            continue
        pieces += [text[position : word.start], MARK_START, text[word.start : word.end], MARK_END]
        position = word.end
    pieces.append(text[position:last])
    return markers_to_html(prefix + "".join(pieces) + suffix)
