"""Walk the MIME parts of a message into body text, sanitised HTML and attachments.

Text comes from text/plain parts when there are any (Apple Mail splits one
body into several around pictures, so all of them are joined), from text/html
converted with inscriptis otherwise. HTML is kept only sanitised by nh3, with
``cid:`` links allowed so that inline pictures can be shown. Every other part,
attached e-mails included (as .eml), becomes an attachment with a name that is
safe to show and to store.
"""

from __future__ import annotations

import io
import mimetypes
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from email import policy as email_policy
from email.generator import BytesGenerator
from email.message import Message
from email.policy import Policy
from email.utils import collapse_rfc2231_value
from typing import Final

import nh3
from inscriptis import get_text
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.model.config import ParserConfig

from .charsets import clean_text, decode_bytes
from .headers import decode_header_value, has_surrogates, unfold
from .thread_keys import normalise_message_id

MAX_FILENAME_LENGTH: Final = 200
MAX_PART_DEPTH: Final = 30
_PATH_SEPARATORS: Final = re.compile(r"[\\/]")
_UNSAFE_IN_FILENAME: Final = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")
_MANY_BLANK_LINES: Final = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_TAG: Final = re.compile(r"<[^>]*>")
_HTML_ALLOWED_SCHEMES: Final = frozenset(nh3.ALLOWED_URL_SCHEMES) | {"cid"}
_HTML_DROPPED_WITH_CONTENT: Final = frozenset({"script", "style", "title"})
# inscriptis' relaxed profile keeps words of adjacent inline elements apart but
# indents every <div> by two spaces, and mail nests divs deeply: drop that.
_HTML_TO_TEXT: Final = ParserConfig(
    css={**CSS_PROFILES["relaxed"], "div": CSS_PROFILES["strict"]["div"]}
)
_SERIALISATION_POLICIES: Final[tuple[Policy, ...]] = (
    email_policy.default.clone(refold_source="none"),
    email_policy.compat32,
)
_ENCAPSULATED_MESSAGES: Final = frozenset({"message/rfc822", "message/global"})
# mimetypes' built-in table only, so generated names do not depend on the host.
_MIME_TABLE: Final = mimetypes.MimeTypes()
_PREFERRED_EXTENSIONS: Final[Mapping[str, str]] = {
    "application/octet-stream": ".bin",
    "text/plain": ".txt",
    "text/html": ".html",
    "image/jpeg": ".jpg",
    "message/rfc822": ".eml",
    "message/global": ".eml",
    "message/delivery-status": ".txt",
    "text/rfc822-headers": ".txt",
    "application/pgp-signature": ".asc",
    "application/ms-tnef": ".dat",
}


@dataclass(frozen=True, slots=True)
class ParsedAttachment:
    """A file carried by a message, with a name safe to show and to store.

    `inline` marks parts meant to be shown inside the HTML body (referenced by
    `content_id` as ``cid:``); they are attachments all the same.
    """

    filename: str
    content_type: str
    payload: bytes
    size: int
    content_id: str | None
    inline: bool


@dataclass(frozen=True, slots=True)
class MessageBody:
    """The readable content of a message and what had to be guessed to get it."""

    text: str
    html: str | None
    attachments: tuple[ParsedAttachment, ...]
    notes: tuple[str, ...]


def iter_parts(message: Message, depth: int = 0) -> Iterator[Message]:
    """Yield `message` and all parts below it, depth first, down to MAX_PART_DEPTH."""
    yield message
    if depth < MAX_PART_DEPTH:
        for part in subparts(message):
            yield from iter_parts(part, depth + 1)


def subparts(message: Message) -> list[Message]:
    """Return the parts a message holds without decoding anything.

    ``get_payload()`` on a non-multipart decodes with the declared charset and
    raises on a bad one, so the list is only read when there is one.
    """
    if not message.is_multipart():
        return []
    return [part for part in message.get_payload() if isinstance(part, Message)]


@dataclass(slots=True)
class _Segment:
    """One piece of body: plain text, HTML, or both (the two sides of an alternative)."""

    text: str | None
    html: str | None = None


@dataclass(slots=True)
class _Body:
    """What the walk over the parts has collected so far."""

    segments: list[_Segment] = field(default_factory=list)
    attachments: list[ParsedAttachment] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def read_body(message: Message) -> MessageBody:
    """Collect the text, sanitised HTML and attachments of `message`.

    May raise on damage ``policy.default`` cannot walk; the caller then parses
    the message again with ``compat32`` and calls this once more.
    """
    body = _Body()
    _collect(message, body, depth=0)
    texts = [_segment_text(segment) for segment in body.segments]
    text = _tidy_text("\n\n".join(text.rstrip() for text in texts if text.strip()))
    htmls = [segment.html for segment in body.segments if segment.html]
    html = _sanitise_html("\n".join(htmls), body.notes) if htmls else None
    # Unnamed parts are numbered by their place among all attachments, which is
    # only known once alternatives and nested parts have all been walked.
    attachments = tuple(
        attachment
        if attachment.filename
        else replace(
            attachment,
            filename=f"attachment-{position}{_extension_for(attachment.content_type)}",
        )
        for position, attachment in enumerate(body.attachments, start=1)
    )
    return MessageBody(text, html, attachments, tuple(body.notes))


@dataclass(frozen=True, slots=True)
class _PartHeaders:
    """The MIME headers of one part, read once and passed along."""

    content_type: str
    disposition: str | None
    filename: str | None

    @classmethod
    def of(cls, part: Message) -> _PartHeaders:
        return cls(part.get_content_type(), part.get_content_disposition(), _filename(part))

    @property
    def maintype(self) -> str:
        return self.content_type.partition("/")[0]

    @property
    def is_attachment(self) -> bool:
        return self.disposition == "attachment" or self.filename is not None


def _collect(part: Message, body: _Body, depth: int) -> None:
    headers = _PartHeaders.of(part)
    if depth > MAX_PART_DEPTH:
        body.notes.append(f"MIME nesting deeper than {MAX_PART_DEPTH}; the rest kept as is")
        _add_attachment(part, headers, body)
        return
    content_type = headers.content_type
    if headers.maintype == "message":
        _add_attachment(part, headers, body)
    elif headers.maintype == "multipart":
        if not part.is_multipart():
            # Declared multipart without a usable boundary: the payload is text.
            body.notes.append(f"{content_type} without parts read as plain text")
            body.segments.append(_Segment(text=_decoded_text(part, content_type, body)))
        elif content_type == "multipart/alternative":
            _collect_alternative(subparts(part), body, depth)
        else:
            for child in subparts(part):
                _collect(child, body, depth + 1)
    elif (depth > 0 and headers.is_attachment) or content_type not in {"text/plain", "text/html"}:
        _add_attachment(part, headers, body)
    elif content_type == "text/html":
        body.segments.append(_Segment(text=None, html=_decoded_text(part, content_type, body)))
    else:
        body.segments.append(_Segment(text=_decoded_text(part, content_type, body)))


def _collect_alternative(children: list[Message], body: _Body, depth: int) -> None:
    """Keep one plain text and one HTML out of the alternatives, and every attachment."""
    plain: str | None = None
    html: str | None = None
    for child in children:
        branch = _Body()
        _collect(child, branch, depth + 1)
        body.attachments.extend(branch.attachments)
        body.notes.extend(branch.notes)
        branch_plain = "\n\n".join(s.text for s in branch.segments if s.text is not None)
        branch_html = "\n".join(s.html for s in branch.segments if s.html)
        if plain is None and branch_plain.strip():
            plain = branch_plain
        if branch_html.strip():
            html = branch_html  # the last alternative is the richest (RFC 2046)
    if plain is not None or html is not None:
        body.segments.append(_Segment(text=plain, html=html))


def _segment_text(segment: _Segment) -> str:
    if segment.text is not None:
        return segment.text
    return _html_to_text(segment.html or "")


def _decoded_text(part: Message, content_type: str, body: _Body) -> str:
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    declared = _charset_param(part)
    decoded = decode_bytes(data, declared)
    if decoded.note:
        body.notes.append(f"{content_type} part: {decoded.note}")
    return clean_text(decoded.text)


def _charset_param(part: Message) -> str | None:
    value = part.get_param("charset")
    if value is None or isinstance(value, str):
        return value
    return str(collapse_rfc2231_value(value))


def _html_to_text(html: str) -> str:
    try:
        return str(get_text(html, _HTML_TO_TEXT))
    except Exception:  # inscriptis chokes on some broken markup; tags out is enough
        return _TAG.sub(" ", html)


def _sanitise_html(html: str, notes: list[str]) -> str | None:
    try:
        return nh3.clean(
            html,
            url_schemes=set(_HTML_ALLOWED_SCHEMES),
            clean_content_tags=set(_HTML_DROPPED_WITH_CONTENT),
        )
    except Exception as error:  # unsanitised HTML is never stored
        notes.append(f"HTML dropped, could not be sanitised: {type(error).__name__}")
        return None


def _tidy_text(text: str) -> str:
    """Return body text with LF line endings, no runs of blank lines, no edge white space."""
    text = clean_text(text)
    return _MANY_BLANK_LINES.sub("\n\n", text).strip()


def _add_attachment(part: Message, headers: _PartHeaders, body: _Body) -> None:
    content_type = headers.content_type
    payload = _attachment_bytes(part, content_type, body.notes)
    # An empty name is filled in by read_body, which knows the final numbering.
    filename = headers.filename or _forwarded_message_filename(part, content_type) or ""
    content_id = normalise_message_id(_raw_header(part, "content-id"))
    disposition = headers.disposition
    body.attachments.append(
        ParsedAttachment(
            filename=filename,
            content_type=content_type,
            payload=payload,
            size=len(payload),
            content_id=clean_text(content_id) if content_id else None,
            inline=disposition == "inline" or (disposition is None and content_id is not None),
        )
    )


def _forwarded_message_filename(part: Message, content_type: str) -> str | None:
    """Name an attached e-mail after its subject, as mail clients show it."""
    nested = subparts(part) if content_type in _ENCAPSULATED_MESSAGES else []
    if not nested:
        return None
    stem = _safe_filename(decode_header_value(_raw_header(nested[0], "subject") or "")[:100])
    return f"{stem}.eml" if stem else None


def _raw_header(part: Message, name: str) -> str | None:
    """Return the first raw value of header `name`, unfolded, without parsing it."""
    return next(
        (unfold(str(value)) for key, value in part.raw_items() if str(key).lower() == name),
        None,
    )


def _attachment_bytes(part: Message, content_type: str, notes: list[str]) -> bytes:
    """Return the decoded content of a part; an attached message is serialised as .eml."""
    if not part.is_multipart():
        payload = part.get_payload(decode=True)
        return payload if isinstance(payload, bytes) else b""
    nested = subparts(part)
    if content_type in _ENCAPSULATED_MESSAGES and len(nested) == 1:
        return _serialise(nested[0], notes)
    # message/delivery-status and the like: the part's body without its headers.
    # A multipart kept whole because it is nested too deep keeps its headers.
    serialised = _serialise(part, notes)
    if content_type.startswith("message/"):
        return serialised.partition(b"\n\n")[2]
    return serialised


def _serialise(message: Message, notes: list[str]) -> bytes:
    """Write a (sub)message back to bytes, its source headers untouched where possible.

    The default policy with ``refold_source="none"`` writes source headers
    verbatim; compat32 is tried next because each refuses different damage.
    """
    for policy in _SERIALISATION_POLICIES:
        written = _flatten(message, policy)
        if written is not None:
            return written
    notes.append("an attached message could not be written back; it is only in the raw source")
    return b""


def _flatten(message: Message, policy: Policy) -> bytes | None:
    buffer = io.BytesIO()
    try:
        BytesGenerator(buffer, mangle_from_=False, policy=policy).flatten(message)
    except Exception:  # the next policy may cope; the raw source is kept anyway
        return None
    return buffer.getvalue()


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # policy.default gave up; the raw parameter may still be fine
        name = None
    if name is None or "\ufffd" in str(name) or has_surrogates(str(name)):
        # policy.default turns raw 8-bit names (1C, old mailers) into U+FFFD;
        # compat32 keeps their bytes, which we decode with the charset guess.
        name = _raw_filename(part)
    if not name:
        return None
    name = str(name)
    if "=?" in name or not name.isascii():
        # Outlook puts RFC 2047 words inside the quoted parameter.
        name = decode_header_value(name)
    return _safe_filename(name)


def _raw_filename(part: Message) -> str | None:
    """Read a plain ``filename=`` (or ``name=``) parameter straight from the raw headers.

    Only needed for raw 8-bit names, which never come with RFC 2231 encoding,
    so a simple parameter pattern is enough.
    """
    for header, parameter in (("content-disposition", "filename"), ("content-type", "name")):
        match = re.search(
            rf'(?:^|;)\s*{parameter}\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]+)',
            _raw_header(part, header) or "",
            re.IGNORECASE,
        )
        if match:
            return match.group(1).strip('"')
    return None


def _safe_filename(name: str) -> str | None:
    """Return a file name with no path, control characters or edge dots, or None."""
    name = clean_text(name)
    name = _PATH_SEPARATORS.split(name)[-1]
    name = _UNSAFE_IN_FILENAME.sub("_", name).strip(" .")
    if not name:
        return None
    if len(name) > MAX_FILENAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and len(extension) <= 10:
            name = f"{stem[: MAX_FILENAME_LENGTH - len(extension) - 1]}.{extension}"
        else:
            name = name[:MAX_FILENAME_LENGTH]
    return name


def _extension_for(content_type: str) -> str:
    preferred = _PREFERRED_EXTENSIONS.get(content_type)
    if preferred:
        return preferred
    return _MIME_TABLE.guess_extension(content_type, strict=False) or ".bin"
