"""Turn the raw bytes of an e-mail into what the service desk needs, whatever the bytes are.

`parse_message` never raises: mail from cash registers, scanners, 1C and old
Outlook arrives in KOI8-R, windows-1251 without a charset, with raw 8-bit
headers, with broken MIME. What cannot be decoded is guessed (see `charsets`);
what cannot be parsed at all comes back with ``unparseable=True`` so that
intake still opens a ticket and keeps the raw source, because no request may
be lost. Everything returned is safe to store: no NUL characters, no lone
surrogates, HTML sanitised.

Structure comes from the standard library's `email` package with
``policy.default``; header values are decoded from the raw source (see
`headers`), and if walking the parts with ``policy.default`` fails the
message is parsed again with ``compat32`` (see `body`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email import policy as email_policy
from email.message import Message
from email.parser import BytesHeaderParser, BytesParser
from email.policy import EmailPolicy
from functools import lru_cache
from typing import Final

from .body import MessageBody, ParsedAttachment, iter_parts, read_body
from .charsets import clean_text, decode_bytes
from .headers import MAX_SUBJECT_LENGTH, HeaderReader, decode_header_value, first_address_in
from .loops import AutoReplyVerdict, BounceInfo, classify_auto_reply, detect_bounce
from .quotes import split_quoted

__all__ = [
    "ParsedAttachment",
    "ParsedMessage",
    "ThreadingHeaders",
    "parse_message",
    "read_threading_headers",
]

# At least one of these must be present for bytes to count as an e-mail.
_MESSAGE_HEADERS: Final = frozenset(
    {
        "from", "to", "cc", "subject", "date", "message-id", "received", "mime-version",
        "content-type", "return-path", "delivered-to", "sender", "reply-to",
    }
)  # fmt: skip
# How far into unparseable bytes to look for a Subject or From line.
_HEADER_SCAN_LIMIT: Final = 65536
_READABLE_SHARE: Final = 0.9


class _MemoisingPolicy(EmailPolicy):
    """``policy.default`` that parses each distinct header value only once.

    The feed parser and `Message` methods read Content-Type a dozen times per
    part, and ``policy.default`` parses it from scratch (building a new header
    class) every time: that was two thirds of the parsing time. Header objects
    are immutable, so sharing them between reads and messages is safe.
    """

    def header_fetch_parse(self, name: str, value: str) -> str:
        """Return the parsed header, from the cache when this value was seen before."""
        if hasattr(value, "name"):
            return value
        return _parse_header(self, name, value)

    def parse_header_uncached(self, name: str, value: str) -> str:
        """Parse a header value the way ``policy.default`` does."""
        parsed: str = super().header_fetch_parse(name, value)
        return parsed


@lru_cache(maxsize=4096)
def _parse_header(policy: _MemoisingPolicy, name: str, value: str) -> str:
    return policy.parse_header_uncached(name, value)


_POLICY: Final = _MemoisingPolicy()


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    """An incoming e-mail decoded into the fields a ticket or comment is made from.

    Message-IDs are normalised (no angle brackets); `message_id_synthesised`
    says the message had none and it was made from `raw_sha256`. `text` is
    the full plain body; `visible_text` is what the sender wrote now and
    `quoted_text` the history below it (only white space lies between them).
    `html` is sanitised. `auto_submitted` and `bounce` say whether a machine
    wrote it. When `unparseable` is true the fields are a best effort and
    intake must keep the raw source as an attachment. `defects` explains, for
    the operator, anything that was broken or guessed.
    """

    message_id: str
    message_id_synthesised: bool
    in_reply_to: str | None
    references: tuple[str, ...]
    subject: str
    from_name: str | None
    from_address: str | None
    reply_to_addresses: tuple[str, ...]
    to_addresses: tuple[str, ...]
    cc_addresses: tuple[str, ...]
    date: datetime | None
    text: str
    html: str | None
    visible_text: str
    quoted_text: str
    attachments: tuple[ParsedAttachment, ...]
    auto_submitted: AutoReplyVerdict | None
    bounce: BounceInfo | None
    loop_headers: tuple[tuple[str, str], ...]
    raw_sha256: str
    defects: tuple[str, ...]
    unparseable: bool

    def loop_header(self, name: str) -> str | None:
        """Return the raw value of a loop-detection header (any case), or None."""
        wanted = name.lower()
        return next((value for key, value in self.loop_headers if key == wanted), None)


def parse_message(raw: bytes) -> ParsedMessage:
    """Parse the raw bytes of one e-mail; never raise.

    A message that cannot be parsed at all comes back with ``unparseable=True``,
    a best-effort subject and sender, and `defects` saying why.
    """
    try:
        return _parse(raw)
    except Exception as error:  # never losing a message beats a clean failure
        return _unparseable(raw, [f"parser failed: {type(error).__name__}: {error}"])


def _parse(raw: bytes) -> ParsedMessage:
    if not raw.strip():
        return _unparseable(raw, ["empty message: no bytes at all"])
    message = BytesParser(policy=_POLICY).parsebytes(raw)
    headers = HeaderReader(message)
    if not _MESSAGE_HEADERS & headers.raw.keys():
        return _unparseable(raw, ["no e-mail headers found"], message=message)

    digest = hashlib.sha256(raw).hexdigest()
    subject = headers.subject()
    from_name, from_address = headers.sender()
    message_id = headers.message_id()
    if message_id is None:
        headers.notes.append("no Message-ID; one was made from the SHA-256 of the raw bytes")
    body = _read_body_leniently(message, raw)
    visible_text, quoted_text = split_quoted(body.text)
    loop_headers = headers.loop_headers()
    return ParsedMessage(
        message_id=message_id or _synthesised_message_id(digest),
        message_id_synthesised=message_id is None,
        in_reply_to=headers.in_reply_to(),
        references=headers.references(),
        subject=subject,
        from_name=from_name,
        from_address=from_address,
        reply_to_addresses=headers.addresses("reply-to"),
        to_addresses=headers.addresses("to"),
        cc_addresses=headers.addresses("cc"),
        date=headers.date(),
        text=body.text,
        html=body.html,
        visible_text=visible_text,
        quoted_text=quoted_text,
        attachments=body.attachments,
        auto_submitted=classify_auto_reply(dict(loop_headers), subject),
        bounce=detect_bounce(message),
        loop_headers=loop_headers,
        raw_sha256=digest,
        defects=_unique([*_stdlib_defects(message), *headers.notes, *body.notes]),
        unparseable=False,
    )


@dataclass(frozen=True, slots=True)
class ThreadingHeaders:
    """What ties a message to others, read from its headers alone (see `read_threading_headers`)."""

    message_id: str
    in_reply_to: str | None
    references: tuple[str, ...]
    subject: str
    from_address: str | None


def read_threading_headers(raw: bytes) -> ThreadingHeaders:
    """Read what `parse_message` would give for threading, without reading the body.

    A fifth of the cost of a full parse: an import splitting mail between processes
    reads this for every message first. The values are the ones `parse_message`
    returns (the same header code), also for bytes that are not an e-mail.
    """
    try:
        headers = HeaderReader(BytesHeaderParser(policy=_POLICY).parsebytes(raw))
        if raw.strip() and _MESSAGE_HEADERS & headers.raw.keys():
            message_id = headers.message_id()
            return ThreadingHeaders(
                message_id=message_id or _synthesised_message_id(hashlib.sha256(raw).hexdigest()),
                in_reply_to=headers.in_reply_to(),
                references=headers.references(),
                subject=headers.subject(),
                from_address=headers.sender()[1],
            )
    except Exception:  # noqa: S110 - the full parse below never raises
        pass
    parsed = parse_message(raw)  # not an e-mail: rare, and its fields come from elsewhere
    return ThreadingHeaders(
        parsed.message_id, parsed.in_reply_to, parsed.references, parsed.subject,
        parsed.from_address,
    )  # fmt: skip


def _read_body_leniently(message: Message, raw: bytes) -> MessageBody:
    """Read the body with policy.default, and again with compat32 if that fails."""
    try:
        return read_body(message)
    except Exception as error:  # the compat32 parser is more lenient
        lenient = read_body(BytesParser(policy=email_policy.compat32).parsebytes(raw))
        why = f"MIME structure read with compat32 after {type(error).__name__}: {error}"
        return MessageBody(lenient.text, lenient.html, lenient.attachments, (why, *lenient.notes))


def _unparseable(raw: bytes, why: list[str], message: Message | None = None) -> ParsedMessage:
    """Build the best-effort result for bytes that are not a readable e-mail."""
    head = raw[:_HEADER_SCAN_LIMIT].decode("ascii", errors="surrogateescape")
    subject_match = re.search(r"^Subject:[ \t]*(.*(?:\r?\n[ \t].*)*)", head, re.I | re.M)
    from_match = re.search(r"^From:[ \t]*(.*(?:\r?\n[ \t].*)*)", head, re.I | re.M)
    subject = decode_header_value(subject_match.group(1)) if subject_match else ""
    from_name, from_address = first_address_in([from_match.group(1)] if from_match else [])
    text = ""
    if message is not None and not message.is_multipart():
        payload = message.get_payload(decode=True)
        if isinstance(payload, bytes):
            text = _readable_or_empty(decode_bytes(payload).text)
    digest = hashlib.sha256(raw).hexdigest()
    return ParsedMessage(
        message_id=_synthesised_message_id(digest),
        message_id_synthesised=True,
        in_reply_to=None,
        references=(),
        subject=subject[:MAX_SUBJECT_LENGTH],
        from_name=from_name,
        from_address=from_address,
        reply_to_addresses=(),
        to_addresses=(),
        cc_addresses=(),
        date=None,
        text=text,
        html=None,
        visible_text=text,
        quoted_text="",
        attachments=(),
        auto_submitted=None,
        bounce=None,
        loop_headers=(),
        raw_sha256=digest,
        defects=_unique(why),
        unparseable=True,
    )


def _readable_or_empty(text: str) -> str:
    """Return cleaned `text` if a person could read it, else "" (binary garbage)."""
    text = clean_text(text).strip()
    if not text:
        return ""
    readable = sum(ch.isprintable() or ch in "\n\t" for ch in text) - text.count("\ufffd")
    return text if readable / len(text) >= _READABLE_SHARE else ""


def _synthesised_message_id(raw_digest: str) -> str:
    # Stable across re-fetches of the same bytes, so duplicates are still caught.
    return f"{raw_digest}@synthesised.invalid"


def _stdlib_defects(message: Message) -> list[str]:
    found: list[str] = []
    for part in iter_parts(message):
        for defect in getattr(part, "defects", ()):
            detail = str(defect)
            found.append(f"{type(defect).__name__}: {detail}" if detail else type(defect).__name__)
    return found


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(clean_text(item) for item in items))
