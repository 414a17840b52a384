"""Split an e-mail reply into what the sender wrote and the history they quoted."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A line that starts the quoted history: "> …", "On … wrote:", "… пишет:", Outlook's
# "-----Original Message-----" and its Russian twin, the underscore rule Outlook puts above
# "From:", and a "From:/От:" header block.
_QUOTE_START = re.compile(
    r"""^(
        \s*>                                          # classic quoting
      | \s*-{2,}\s*(original\ message|исходное\ сообщение|пересылаемое\ сообщение
                   |forwarded\ message)\s*-{2,}\s*$
      | \s*_{10,}\s*$                                 # Outlook's rule
      | .{0,200}\b(wrote|пишет|написал|написала|написал\(а\)):\s*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_HEADER = re.compile(r"^\s*(from|от|sent|отправлено|date|дата|to|кому|subject|тема)\s*:", re.I)


@dataclass(frozen=True)
class SplitBody:
    """The visible part of a message and the quoted tail (empty when nothing is quoted)."""

    visible: str
    quoted: str


def _is_header_block(lines: list[str], index: int) -> bool:
    """Return whether `From:` at `index` opens a header block (another header follows)."""
    if not re.match(r"^\s*(from|от)\s*:", lines[index], re.I):
        return False
    following = lines[index + 1 : index + 4]
    return any(_HEADER.match(line) for line in following)


def split_quoted(body: str) -> SplitBody:
    """Return the text before the first quoted-history line and the rest.

    The text before the quote is kept even if it is empty (a bare forward); joining the
    two parts with a newline gives back the original text.
    """
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if _QUOTE_START.match(line) or _is_header_block(lines, index):
            if not any(part.strip() for part in lines[:index]):
                # Nothing written above the quote: show it all rather than an empty message.
                return SplitBody(visible=body, quoted="")
            return SplitBody(visible="\n".join(lines[:index]), quoted="\n".join(lines[index:]))
    return SplitBody(visible=body, quoted="")
