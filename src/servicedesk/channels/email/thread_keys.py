"""Keys that tie an incoming message to a ticket: Message-IDs and subject tags.

Intake matches In-Reply-To, then References (newest first), against the
Message-IDs stored with each ticket, then the ``[SD-000123]`` tag in the
subject, and only then opens a new ticket. (Named ``thread_keys`` so that it
does not shadow the standard library's ``threading``.)
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Final, Protocol

# Message-IDs longer than this are replaced by a digest so that they fit an
# indexed varchar(255) column; the same rule applied to In-Reply-To and
# References keeps them matchable.
MAX_MESSAGE_ID_LENGTH: Final = 250
# A References header can list hundreds of ancestors; the newest ones matter.
MAX_REFERENCES: Final = 100
TICKET_NUMBER_WIDTH: Final = 6

_ANGLE_ID: Final = re.compile(r"<([^<>]*)>")
_CONTROL_OR_SPACE: Final = re.compile(r"[\s\x00-\x1f\x7f]+")
_REPLY_PREFIX: Final = re.compile(
    r"""^\s*(?:re|fwd?|aw|wg|sv|vs|tr|antw|odp|отв|ответ|пересл|переслано|перес)
        \s*(?:\[\d+\]|\(\d+\)|\^\d+)?\s*[:：]\s*""",
    re.IGNORECASE | re.VERBOSE,
)
_LEADING_TAG: Final = re.compile(r"^\s*\[[^\[\]]{1,40}\]\s*")


class ThreadHeaders(Protocol):
    """The threading headers of a parsed message (ParsedMessage satisfies it)."""

    @property
    def message_id(self) -> str: ...

    @property
    def in_reply_to(self) -> str | None: ...

    @property
    def references(self) -> tuple[str, ...]: ...


def normalise_message_id(value: str | None) -> str | None:
    """Return a Message-ID without angle brackets, white space or comments, or None.

    Takes the first ``<…>`` of the value (In-Reply-To often carries a comment
    after it), or its first word when there are no brackets.
    """
    if not value:
        return None
    bracketed = _ANGLE_ID.search(value)
    if bracketed:
        candidate = _CONTROL_OR_SPACE.sub("", bracketed.group(1))
    else:
        words = value.split()
        candidate = _CONTROL_OR_SPACE.sub("", words[0]).strip("<>") if words else ""
    if not candidate:
        return None
    if not candidate.isascii():
        # Raw 8-bit bytes arrive as surrogates; make them storable, deterministically.
        candidate = candidate.encode("utf-8", errors="surrogateescape").decode(
            "utf-8", errors="replace"
        )
    if len(candidate) > MAX_MESSAGE_ID_LENGTH:
        digest = hashlib.sha256(candidate.encode("utf-8", errors="replace")).hexdigest()
        return f"{digest}@long-message-id.invalid"
    return candidate


def message_ids_in(value: str | None) -> tuple[str, ...]:
    """Return the normalised Message-IDs listed in a References-like header, in order.

    Duplicates are dropped (the first one stays) and only the newest
    `MAX_REFERENCES` are kept.
    """
    if not value:
        return ()
    raw_ids = _ANGLE_ID.findall(value)
    if not raw_ids:
        # Some clients drop the brackets; keep only what looks like an id.
        raw_ids = [word for word in re.split(r"[\s,]+", value) if "@" in word]
    seen: dict[str, None] = {}
    for raw_id in raw_ids:
        normalised = normalise_message_id(f"<{raw_id}>")
        if normalised is not None:
            seen.setdefault(normalised, None)
    return tuple(seen)[-MAX_REFERENCES:]


@lru_cache(maxsize=16)
def _ticket_tag_pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?<![\w-])\[?#?{re.escape(prefix)}-0*(\d{{1,9}})(?![\w-])\]?",
        re.IGNORECASE,
    )


def find_ticket_numbers(subject: str, prefix: str = "SD") -> tuple[int, ...]:
    """Return the ticket numbers tagged in `subject` (``[SD-000123]``, ``SD-123``), in order.

    Reply and forward prefixes in any language do not matter. A bare ``SD-128``
    may be something else (a memory card), so intake must still check that the
    ticket exists and that the sender may write to it.
    """
    numbers: dict[int, None] = {}
    for match in _ticket_tag_pattern(prefix).finditer(subject):
        number = int(match.group(1))
        if number > 0:
            numbers.setdefault(number, None)
    return tuple(numbers)


def format_ticket_tag(number: int, prefix: str = "SD") -> str:
    """Return the subject tag for a ticket, the form `find_ticket_numbers` reads best."""
    return f"[{prefix}-{number:0{TICKET_NUMBER_WIDTH}d}]"


def candidate_message_ids(parsed: ThreadHeaders) -> tuple[str, ...]:
    """Return the Message-IDs to look up, best first: In-Reply-To, then References newest first."""
    ordered: dict[str, None] = {}
    if parsed.in_reply_to:
        ordered[parsed.in_reply_to] = None
    for reference in reversed(parsed.references):
        ordered.setdefault(reference, None)
    ordered.pop(parsed.message_id, None)
    return tuple(ordered)


def normalise_subject(subject: str) -> str:
    """Strip reply and forward prefixes (``Re:``, ``RE[2]:``, ``Fwd:``, ``Отв:``, ``Пересл:``).

    Bracketed tags in front (``[SD-000123]``, ``[External]``) are kept, and
    prefixes behind them are stripped too; white space is collapsed.
    """
    remaining = subject
    kept_tags: list[str] = []
    while True:
        prefix = _REPLY_PREFIX.match(remaining)
        if prefix:
            remaining = remaining[prefix.end() :]
            continue
        tag = _LEADING_TAG.match(remaining)
        if tag and _REPLY_PREFIX.match(remaining[tag.end() :]):
            kept_tags.append(tag.group(0).strip())
            remaining = remaining[tag.end() :]
            continue
        break
    return " ".join([*kept_tags, *remaining.split()])
