"""Split a reply into what the sender wrote now and the history it quotes.

No library handles Russian mail clients (email-reply-parser, talon, quotequail
and mail-parser-reply all miss the Gmail, Yandex and Mail.ru headers), so the
rules are ours. The text is cut at the earliest line that starts quoted
history:

* a ``>``-quoted line;
* a separator such as ``-----Original Message-----`` or ``Исходное сообщение``;
* an Outlook header block (``От:``/``Отправлено:``/``Кому:``/``Тема:`` or
  ``From:``/``Sent:``/``To:``/``Subject:``), at least two such lines together;
* an attribution line, possibly wrapped over up to three lines: ``… wrote:``,
  ``… пишет:``, ``… написал(а):``, ``Вы писали:``, or ``<date>, <name> <address>:``
  as Gmail, Yandex and Mail.ru write it.

A mobile footer (``Отправлено с iPhone``) right before the cut, or at the very
end, goes to the quoted part too. Signatures after ``-- `` stay visible: they
often carry the sender's phone number. Forwarded messages are not history but
the request itself, so a header block right after ``Forwarded message`` /
``Пересылаемое сообщение`` does not start a quote.
"""

from __future__ import annotations

import re
from typing import Final

_MAX_ATTRIBUTION_LINES: Final = 3
_MAX_ATTRIBUTION_LENGTH: Final = 300
_HEADER_BLOCK_WINDOW: Final = 6

_QUOTED_LINE: Final = re.compile(r"^[ \t]*>")
_SEPARATOR: Final = re.compile(
    r"""^[ \t]*(?:
        -{2,}[ \t]*
        (?:Original\ Message|Исходное\ сообщение|Исходное\ письмо|Ответное\ сообщение)
        [ \t]*-{2,}
        |(?:Original\ Message|Исходное\ сообщение|Исходное\ письмо)[ \t]*:?
        |_{20,}
    )[ \t]*$""",
    re.IGNORECASE | re.VERBOSE,
)
_FORWARD_MARKER: Final = re.compile(
    r"""^[ \t]*-*[ \t]*(?:
        Forwarded\ message|Begin\ forwarded\ message:?|Пересылаемое\ сообщение
        |Пересылаемое\ письмо|Перенаправленное\ сообщение|Переадресованное\ сообщение
    )[ \t]*-*[ \t]*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Outlook (desktop, web, mobile) header lines, possibly bold-marked ("*От:*")
# after an HTML-to-text conversion.
_HEADER_LINE: Final = re.compile(
    r"""^[ \t]*\*?(?P<label>
        From|Sent|Date|To|Cc|Subject|Reply-To|Importance
        |От|Отправлено|Дата|Кому|Копия|Тема|Важность|Ответить
        |Von|Gesendet|An|Betreff
    )\*?[ \t]*:\*?(?:[ \t]|$)""",
    re.IGNORECASE | re.VERBOSE,
)
_SENDER_LABELS: Final = frozenset({"from", "от", "von"})
_ATTRIBUTION_VERB: Final = re.compile(
    r"""(?:\b(?:wrote|writes|schrieb|a\ écrit|пишет|написал|написала|писал|писала)
        (?:\(а\))?|\bВы\ писали\b[^:]*)[ \t]*:[ \t]*$""",
    re.IGNORECASE | re.VERBOSE,
)
_ON_WROTE: Final = re.compile(r"^[ \t]*On\b.*\bwrote[ \t]*:[ \t]*$", re.IGNORECASE)
_YOU_WROTE: Final = re.compile(r"^[ \t]*Вы писали\b.*:[ \t]*$", re.IGNORECASE)
# "<date>, <name> <address>:" ends with the address right before the colon.
_ADDRESS_BEFORE_COLON: Final = re.compile(r"<?[ \t]*[\w.+'-]+@[\w-]+(?:\.[\w-]+)+[ \t]*>?[ \t]*:$")
_DATE_OR_TIME: Final = re.compile(
    r"\b\d{1,2}:\d{2}\b|\b(?:19|20)\d{2}\b|\b\d{1,2}\.\d{1,2}\.\d{2,4}\b"
)
_MOBILE_FOOTER: Final = re.compile(
    r"""^[ \t]*(?:
        Sent\ from\ (?:my\ )?\S.{0,60}
        |Sent\ with\ \S.{0,60}
        |Get\ Outlook\ for\ \S.{0,40}
        |Скачайте\ Outlook\ для\ \S.{0,40}
        |Отправлено\ (?:с|со|из)\ \S.{0,60}
        |Получено\ с\ помощью\ \S.{0,60}
    )[ \t]*$""",
    re.IGNORECASE | re.VERBOSE,
)
_SIGNATURE_SEPARATOR: Final = re.compile(r"^--[ \t]?$")


def split_quoted(text: str) -> tuple[str, str]:
    """Split `text` into (visible, quoted) at the first line that starts quoted history.

    Both parts are slices of `text`: visible is the text before the cut with
    trailing white space removed, quoted runs from the cut line to the end.
    Only white space is dropped between them, so no written word is lost.
    All of the text stays visible when nothing but white space precedes the
    cut (a forward, or an answer written below the quote) or when the sender
    wrote below a ``>`` block (bottom posting, as The Bat does, or answers
    between quoted lines): hiding the history would hide the answer.
    """
    lines = text.splitlines(keepends=True)
    stripped = text.splitlines()
    cut_line = _first_quote_line(stripped)
    if cut_line < len(lines) and _answer_follows_quote(stripped, cut_line):
        return text.rstrip(), ""
    cut_line = _include_preceding_footer(stripped, cut_line)
    offset = sum(len(line) for line in lines[:cut_line])
    visible, quoted = text[:offset].rstrip(), text[offset:]
    if not visible.strip():
        return text.rstrip(), ""
    return visible, quoted


def _first_quote_line(lines: list[str]) -> int:
    """Return the index of the first line that starts quoted history, or len(lines)."""
    previous_nonblank = ""
    for index, line in enumerate(lines):
        if _QUOTED_LINE.match(line):
            return _include_attribution_above(lines, index)
        if _SEPARATOR.match(line) and _separator_starts_quote(lines, index):
            return index
        if _starts_header_block(lines, index) and not _FORWARD_MARKER.match(previous_nonblank):
            return index
        if _is_attribution(lines, index):
            return index
        if line.strip():
            previous_nonblank = line
    return len(lines)


def _answer_follows_quote(lines: list[str], cut_line: int) -> bool:
    """Tell whether the sender wrote more below the ``>`` block that starts at the cut.

    Only ``>`` quotes are checked: below an Outlook header block comes the
    original message itself, whatever it looks like.
    """
    first_quoted = next(
        (
            index
            for index in range(cut_line, min(len(lines), cut_line + _MAX_ATTRIBUTION_LINES + 2))
            if _QUOTED_LINE.match(lines[index])
        ),
        None,
    )
    if first_quoted is None:
        return False
    for line in lines[first_quoted:]:
        if not line.strip() or _QUOTED_LINE.match(line):
            continue
        return not (_SIGNATURE_SEPARATOR.match(line) or _MOBILE_FOOTER.match(line))
    return False


def _separator_starts_quote(lines: list[str], index: int) -> bool:
    """Tell whether a separator line opens history rather than decorating the text.

    A bare underscore rule is Outlook's line above its header block; elsewhere it
    is decoration, so it counts only when a header block follows.
    """
    if not lines[index].strip().startswith("_"):
        return True
    following = _next_nonblank(lines, index + 1)
    return following is not None and _starts_header_block(lines, following)


def _next_nonblank(lines: list[str], start: int) -> int | None:
    for index in range(start, min(len(lines), start + 3)):
        if lines[index].strip():
            return index
    return None


def _starts_header_block(lines: list[str], index: int) -> bool:
    """Tell whether an Outlook-style header block starts at `index`.

    It must open with a sender line (``От:``/``From:``) and have at least one more
    header line within the next few lines, so a sentence that merely starts with
    ``От:`` is not taken for one.
    """
    first = _HEADER_LINE.match(lines[index])
    if first is None or first.group("label").lower() not in _SENDER_LABELS:
        return False
    window = lines[index + 1 : index + _HEADER_BLOCK_WINDOW]
    return any(_HEADER_LINE.match(line) for line in window)


def _is_attribution(lines: list[str], index: int) -> bool:
    """Tell whether an attribution ("… wrote:") starts at `index`, wrapped or not."""
    if not lines[index].strip():
        return False
    joined = ""
    for offset in range(_MAX_ATTRIBUTION_LINES):
        if index + offset >= len(lines) or not lines[index + offset].strip():
            return False
        joined = f"{joined} {lines[index + offset].strip()}".strip()
        if len(joined) > _MAX_ATTRIBUTION_LENGTH:
            return False
        if joined.endswith(":") and _looks_like_attribution(joined):
            return True
        if joined.endswith(":") and offset == 0:
            # A single line ending with a colon that is no attribution ends the
            # search: the next lines belong to a list or a table, not to it.
            return False
    return False


def _looks_like_attribution(candidate: str) -> bool:
    if _ON_WROTE.match(candidate) or _YOU_WROTE.match(candidate):
        return True
    if _ATTRIBUTION_VERB.search(candidate):
        return True
    # Gmail, Yandex and Mail.ru: "<date>, <name> <address>:" with no verb at all.
    return bool(_ADDRESS_BEFORE_COLON.search(candidate) and _DATE_OR_TIME.search(candidate))


def _include_attribution_above(lines: list[str], quote_index: int) -> int:
    """Move the cut above a ``>`` block to the attribution line that introduces it."""
    above = quote_index - 1
    while above >= 0 and not lines[above].strip():
        above -= 1
    for start in range(above, max(-1, above - _MAX_ATTRIBUTION_LINES), -1):
        if _is_attribution(lines, start):
            return start
    return quote_index


def _include_preceding_footer(lines: list[str], cut_line: int) -> int:
    """Move the cut up over a mobile footer (and its ``--`` line) right above it."""
    above = cut_line - 1
    while above >= 0 and not lines[above].strip():
        above -= 1
    if above < 0 or not _MOBILE_FOOTER.match(lines[above]):
        return cut_line
    start = above
    before = start - 1
    while before >= 0 and not lines[before].strip():
        before -= 1
    if before >= 0 and _SIGNATURE_SEPARATOR.match(lines[before]):
        start = before
    return start
