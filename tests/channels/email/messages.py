"""Build test e-mails the way mail clients send them (the ugly ones are in corpus/)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

_counter = itertools.count(1)


def mail(
    *,
    subject: str = "Касса не печатает чек",
    sender: str = "Иван Петров <ivan@shop-ural.ru>",
    to: str = "support@plastek.ru",
    body: str = "Здравствуйте!\n\nНа кассе 2 не печатается чек.\n\nИван",
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: list[str] | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, bytes, str]] = (),  # type: ignore[assignment]
    html: str | None = None,
) -> bytes:
    """Return the bytes of one message; ids are given without angle brackets."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    message["Message-ID"] = f"<{message_id or f'test.{next(_counter)}@shop-ural.ru'}>"
    if in_reply_to:
        message["In-Reply-To"] = f"<{in_reply_to}>"
    if references:
        message["References"] = " ".join(f"<{ref}>" for ref in references)
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for filename, payload, content_type in attachments:
        maintype, subtype = content_type.split("/", 1)
        message.add_attachment(payload, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes(policy=SMTP)


def reply_to(
    sent: object, *, body: str = "Спасибо, но проблема осталась.", sender: str | None = None
) -> bytes:
    """Return the requester's answer to one of our sent messages (a parsed Message)."""
    original_id = str(sent["Message-ID"]).strip().strip("<>")  # type: ignore[index]
    references = [ref.strip("<>") for ref in str(sent.get("References") or "").split()]  # type: ignore[attr-defined]
    return mail(
        subject="Re: " + " ".join(str(sent["Subject"]).split()),  # type: ignore[index]
        sender=sender or str(sent["To"]),  # type: ignore[index]
        body=f"{body}\n\n-----Original Message-----\nFrom: {sent['From']}\n> Здравствуйте!",  # type: ignore[index]
        in_reply_to=original_id,
        references=[*references, original_id],
    )
