"""Recognise mail written by machines: auto-replies, bulk mail and bounces.

Such mail must never open a ticket and never get an automatic answer, or two
autoresponders answer each other forever (RFC 3834). A bounce of one of our
own notifications is still useful: it names the ticket whose requester did
not get the message, so `detect_bounce` digs out the original Message-ID.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from email.message import Message
from email.parser import HeaderParser
from email.policy import compat32
from enum import StrEnum
from typing import Final

from .body import subparts
from .headers import decode_header_value
from .thread_keys import normalise_message_id

_MAX_DEPTH: Final = 20


class AutoReplyKind(StrEnum):
    """What kind of machine wrote the message.

    AUTO_REPLY and AUTO_GENERATED never open a ticket. BULK (mailing lists,
    newsletters) never gets an automatic answer; whether it may open a ticket is
    the intake's policy, since a client's team address can be a mailing list.
    """

    AUTO_REPLY = "auto_reply"
    AUTO_GENERATED = "auto_generated"
    BULK = "bulk"


@dataclass(frozen=True, slots=True)
class AutoReplyVerdict:
    """Why a message is taken for machine-written: the kind and the evidence."""

    kind: AutoReplyKind
    reason: str


@dataclass(frozen=True, slots=True)
class BounceInfo:
    """What a delivery failure report says about the message that failed.

    `original_message_id` is normalised like every Message-ID here (no angle
    brackets); any field is None when the report does not say.
    """

    original_message_id: str | None
    recipient: str | None
    status: str | None
    diagnostic: str | None

    @property
    def is_permanent(self) -> bool:
        """Tell whether delivery failed for good (a 5.x.x status) rather than was delayed."""
        return self.status is None or self.status.startswith("5")


# Subjects of out-of-office and other automatic answers, matched at the start so
# that a person writing "не работает касса, я в отпуске с понедельника" is not
# silenced.
_AUTO_REPLY_SUBJECT: Final = re.compile(
    r"""^\s*(?:
        автоответ|автоматический\ ответ|автоответчик|auto[- ]?reply|auto[- ]?response
        |automatic\ reply|autosvar|out\ of\ (?:the\ )?office|ooo\b|абонент\ отсутствует
        |я\ в\ отпуске|нахожусь\ в\ отпуске|в\ отпуске\b|нет\ на\ месте|вне\ офиса
        |отсутствую\b|отсутствие\ на\ рабочем\ месте|abwesenheitsnotiz|réponse\ automatique
        |vacation\ reply|away\ from\ (?:the\ )?office|on\ vacation
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_BOUNCE_SUBJECT: Final = re.compile(
    r"""(?:undeliver|delivery\ status\ notification|delivery\ (?:has\ )?failed|mail\ delivery
        |returned\ mail|failure\ notice|не\ доставлено|недоставленное|не\ удается\ доставить
        |не\ удалось\ доставить|ошибка\ доставки|уведомление\ о\ доставке|delivery\ failure)""",
    re.IGNORECASE | re.VERBOSE,
)
_BOUNCE_SENDER: Final = re.compile(r"^(?:mailer-daemon|postmaster|mail-daemon)@", re.IGNORECASE)
_ANGLE_ADDRESS: Final = re.compile(r"<([^<>\s]*)>")
_MESSAGE_ID_LINE: Final = re.compile(r"^[ \t>]*Message-ID:[ \t]*<([^<>\s]+)>", re.IGNORECASE | re.M)
_STATUS_CODE: Final = re.compile(r"\b([245]\.\d{1,3}\.\d{1,3})\b")
_SMTP_REPLY_LINE: Final = re.compile(r"^.*\b[45]\d\d[ -][^\n]*$", re.M)
_ADDRESS_IN_TEXT: Final = re.compile(r"<?([\w.+'-]+@[\w-]+(?:\.[\w-]+)+)>?")


def _lower_keys(headers: Mapping[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def classify_auto_reply(headers: Mapping[str, str], subject: str) -> AutoReplyVerdict | None:
    """Return why the message looks machine-written, or None for a person's mail.

    `headers` maps header names (any case) to raw values. X-Auto-Response-Suppress
    is a request to others, not a sign of an automatic message, so it is ignored.
    The rules run from the most to the least explicit evidence.
    """
    by_name = _lower_keys(headers)
    for rule in (
        _by_auto_submitted,
        _by_autoresponder_headers,
        _by_precedence,
        _by_read_receipt,
        _by_list_id,
    ):
        verdict = rule(by_name)
        if verdict is not None:
            return verdict
    if _AUTO_REPLY_SUBJECT.match(subject):
        return AutoReplyVerdict(AutoReplyKind.AUTO_REPLY, f"out-of-office subject: {subject[:80]}")
    return None


def _by_auto_submitted(by_name: Mapping[str, str]) -> AutoReplyVerdict | None:
    value = _first_token(by_name.get("auto-submitted"))
    if not value or value == "no":
        return None
    kind = AutoReplyKind.AUTO_REPLY if value == "auto-replied" else AutoReplyKind.AUTO_GENERATED
    return AutoReplyVerdict(kind, f"Auto-Submitted: {value}")


def _by_autoresponder_headers(by_name: Mapping[str, str]) -> AutoReplyVerdict | None:
    for name in ("x-autoreply", "x-autorespond", "x-autogenerated"):
        if by_name.get(name, "").strip():
            return AutoReplyVerdict(AutoReplyKind.AUTO_REPLY, f"{name} header present")
    return None


def _by_precedence(by_name: Mapping[str, str]) -> AutoReplyVerdict | None:
    value = _first_token(by_name.get("precedence"))
    if value == "auto_reply":
        return AutoReplyVerdict(AutoReplyKind.AUTO_REPLY, "Precedence: auto_reply")
    if value in {"bulk", "junk", "list"}:
        return AutoReplyVerdict(AutoReplyKind.BULK, f"Precedence: {value}")
    return None


def _by_read_receipt(by_name: Mapping[str, str]) -> AutoReplyVerdict | None:
    content_type = by_name.get("content-type", "").lower()
    if "multipart/report" in content_type and "disposition-notification" in content_type:
        return AutoReplyVerdict(AutoReplyKind.AUTO_GENERATED, "read receipt")
    return None


def _by_list_id(by_name: Mapping[str, str]) -> AutoReplyVerdict | None:
    if by_name.get("list-id", "").strip():
        return AutoReplyVerdict(AutoReplyKind.BULK, "List-Id header present")
    return None


def _first_token(value: str | None) -> str:
    """Return the first word of a header value, lower case, without comments or parameters."""
    if not value:
        return ""
    cleaned = re.sub(r"\([^)]*\)", " ", value).split(";", 1)[0].strip().lower()
    return cleaned.split()[0] if cleaned else ""


def detect_bounce(message: Message) -> BounceInfo | None:
    """Return what a delivery failure report says, or None if `message` is not one.

    A bounce is a ``multipart/report; report-type=delivery-status``, or mail from
    MAILER-DAEMON / postmaster. A null Return-Path alone is not enough, because
    RFC 3834 asks autoresponders to use it too: it counts only with a bounce-like
    subject or an attached original.
    """
    try:
        if not _is_bounce(message):
            return None
    except Exception:  # too broken to tell: treat it as a person's mail, which is kept
        return None
    try:
        return _read_bounce(message)
    except Exception:  # a broken report is still a bounce, just an uninformative one
        return BounceInfo(None, None, None, None)


def _is_bounce(message: Message) -> bool:
    if message.get_content_type() == "multipart/report":
        report_type = str(message.get_param("report-type", "") or "").lower()
        if report_type == "delivery-status":
            return True
    sender = _address_of(_raw_header(message, "from"))
    if sender and _BOUNCE_SENDER.match(sender):
        return True
    return_path = (_raw_header(message, "return-path") or "").strip()
    auto_submitted = _first_token(_raw_header(message, "auto-submitted"))
    if return_path.replace(" ", "") == "<>" and auto_submitted != "auto-replied":
        subject = decode_header_value(_raw_header(message, "subject") or "")
        return bool(_BOUNCE_SUBJECT.search(subject)) or _has_original_attached(message)
    return False


def _raw_header(message: Message, name: str) -> str | None:
    """Return the first raw value of header `name` without parsing it.

    The checks here need only the text, and a From header ``policy.default``
    cannot parse must not hide a bounce.
    """
    return next((str(value) for key, value in message.raw_items() if key.lower() == name), None)


def _address_of(value: str | None) -> str | None:
    if value is None:
        return None
    angle = _ANGLE_ADDRESS.search(value)
    candidate = angle.group(1) if angle else value.strip()
    return candidate.lower() or None


def _walk(message: Message, depth: int = 0) -> Iterator[Message]:
    """Yield `message` and its parts, depth first, stopping at a sane depth."""
    yield message
    # Only multiparts hold parts: the children of message/rfc822 belong to the
    # failed original and those of message/delivery-status are field blocks.
    if depth >= _MAX_DEPTH or message.get_content_maintype() != "multipart":
        return
    for part in subparts(message):
        yield from _walk(part, depth + 1)


def _has_original_attached(message: Message) -> bool:
    return any(
        part.get_content_type() in {"message/rfc822", "text/rfc822-headers"}
        for part in _walk(message)
    )


def _read_bounce(message: Message) -> BounceInfo:
    original_id: str | None = None
    recipient = _clean_address((_raw_header(message, "x-failed-recipients") or "").split(",")[0])
    status: str | None = None
    diagnostic: str | None = None
    human_text: list[str] = []

    for part in _walk(message):
        content_type = part.get_content_type()
        if content_type == "message/delivery-status":
            for fields in _delivery_status_blocks(part):
                recipient = recipient or _clean_address(
                    _after_semicolon(
                        fields.get("final-recipient") or fields.get("original-recipient")
                    )
                )
                status = status or _first_match(_STATUS_CODE, fields.get("status", ""))
                diagnostic = diagnostic or _after_semicolon(fields.get("diagnostic-code")) or None
        elif content_type == "message/rfc822":
            original_id = original_id or _message_id_of_attached(part)
        elif content_type == "text/rfc822-headers":
            headers = HeaderParser(policy=compat32).parsestr(_text_of(part))
            original_id = original_id or _strip_brackets(headers.get("message-id"))
        elif content_type == "text/plain" and not part.is_multipart():
            human_text.append(_text_of(part))

    # Bounces without a machine-readable part (Exim, qmail, Russian hosting
    # providers) quote the failed message inline, so fall back to its text.
    text = "\n".join(human_text)
    if original_id is None:
        original_id = normalise_message_id(_first_match(_MESSAGE_ID_LINE, text))
    if recipient is None:
        recipient = _recipient_in_text(text)
    if status is None:
        status = _first_match(_STATUS_CODE, text)
    if diagnostic is None:
        diagnostic = _first_match(_SMTP_REPLY_LINE, text, group=0)
    return BounceInfo(
        original_id, recipient, status, diagnostic.strip()[:500] if diagnostic else None
    )


def _delivery_status_blocks(part: Message) -> Iterator[Mapping[str, str]]:
    """Yield each field block of a message/delivery-status part as a lower-case mapping."""
    blocks = subparts(part)
    if not blocks:
        # Some servers label a plain text report as delivery-status; read it anyway.
        raw = _text_of(part)
        blocks = [HeaderParser(policy=compat32).parsestr(chunk) for chunk in raw.split("\n\n")]
    for block in blocks:
        yield {name.lower(): str(value) for name, value in block.items()}


def _message_id_of_attached(part: Message) -> str | None:
    attached = subparts(part)
    return _strip_brackets(attached[0].get("message-id")) if attached else None


def _text_of(part: Message) -> str:
    payload = part.get_payload(decode=True)
    return payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""


def _after_semicolon(value: str | None) -> str:
    if not value:
        return ""
    return " ".join(value.split(";", 1)[-1].split())


def _clean_address(value: str) -> str | None:
    match = _ADDRESS_IN_TEXT.search(value)
    return match.group(1).lower() if match else None


def _strip_brackets(value: object) -> str | None:
    return None if value is None else normalise_message_id(str(value))


def _first_match(pattern: re.Pattern[str], text: str, group: int = 1) -> str | None:
    match = pattern.search(text)
    return match.group(group) if match else None


def _recipient_in_text(text: str) -> str | None:
    """Find the failed recipient in a human-readable report.

    Exim lists it indented on its own line, Postfix writes ``<addr>: host said``;
    both come before the copy of the failed message, whose own headers name
    other addresses, so only the text above that copy is searched.
    """
    head = re.split(
        r"^[ \t>]*(?:Received|Return-Path|Message-ID|From):", text, maxsplit=1, flags=re.M | re.I
    )[0]
    for line in head.splitlines():
        stripped = line.strip()
        match = re.fullmatch(r"<?([\w.+'-]+@[\w-]+(?:\.[\w-]+)+)>?:?(?:\s.*)?", stripped)
        if match and (line[:1].isspace() or stripped.startswith("<")):
            return match.group(1).lower()
    return None
