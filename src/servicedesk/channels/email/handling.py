"""Decide what one parsed e-mail means for the desk, and do it through the ticket services.

In this order:

1. mail from the desk itself (our address, our Message-ID) is ignored — a loop;
2. a message already on a ticket through another mailbox is ignored — a duplicate;
3. a bounce is never a request: if it reports one of our notifications, that
   notification is marked undelivered and the ticket gets an internal note;
4. an auto-reply (out of office, auto-generated) never opens a ticket;
5. bulk mail (List-Id, Precedence: bulk/list) is taken only from a known sender or
   as a reply in a known thread, and never gets an automatic answer; bulk mail from
   an unknown sender (newsletters, spam) is ignored;
6. threading: In-Reply-To, then References newest first, against the Message-IDs
   stored with tickets; then our ``[SD-000123]`` tag in the subject, accepted only
   if the ticket exists and the sender is its requester or a contact of its client
   (a bare "SD-128" may be a memory card); a match becomes a public comment by the
   requester (which puts a resolved ticket back to work), anything else a new ticket;
7. attachments are stored with their names; one over the size limit is not stored,
   the ticket gets an internal note and the sender a reply; the raw .eml is kept
   with the ticket as an internal attachment.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Final

from django.utils import timezone

from servicedesk.accounts.email_contacts import contact_by_email, contact_for_email, normalise_email
from servicedesk.accounts.models import Client, Contact, User
from servicedesk.channels.email.compose import ticket_number_from_message_id
from servicedesk.channels.email.context import InboundContext, handling_inbound
from servicedesk.channels.email.loops import AutoReplyKind, BounceInfo
from servicedesk.channels.email.message_owners import message_owners, record_message_ids
from servicedesk.channels.email.models import (
    Direction,
    InboundMessage,
    InboundOutcome,
    InboundStatus,
    Mailbox,
    OutboundKind,
    OutboundMessage,
    OutboundStatus,
    TicketMessageId,
)
from servicedesk.channels.email.outgoing import email_outbound_record, our_domain, secret_bytes
from servicedesk.channels.email.parse import ParsedMessage
from servicedesk.channels.email.thread_keys import (
    candidate_message_ids,
    find_ticket_numbers,
    normalise_subject,
)
from servicedesk.core import clock
from servicedesk.core.errors import DomainError
from servicedesk.core.options import desk_options
from servicedesk.core.queries import PreparedLookup
from servicedesk.core.snapshots import snapshot
from servicedesk.tickets.domain.statuses import StatusCategory
from servicedesk.tickets.models import Channel, Comment, Ticket
from servicedesk.tickets.services import NewTicket, ticket_attach, ticket_comment, ticket_create
from servicedesk.tickets.services.comments import NewFile, check_file
from servicedesk.tickets.services.rules import SUBJECT_MAX, TEXT_MAX

TRUNCATED: Final = "\n\n[…текст письма обрезан; полностью — в исходном письме во вложениях]"
NO_TEXT: Final = "(письмо без текста)"
NO_SUBJECT: Final = "(без темы)"
UNREADABLE_SUBJECT: Final = "Письмо, которое не удалось прочитать"
SUBJECT_FROM_TEXT_LENGTH: Final = 100
FINAL_CATEGORIES: Final = frozenset({StatusCategory.CLOSED, StatusCategory.CANCELLED})
MEGABYTE: Final = 1024 * 1024


@dataclass
class Handled:
    """What handling a message did; intake stores it on the InboundMessage."""

    status: InboundStatus
    outcome: InboundOutcome = InboundOutcome.NONE
    reason: str = ""
    ticket: Ticket | None = None
    comment: Comment | None = None
    contact: Contact | None = None
    quote_start: int | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Incoming:
    """One stored message on its way through handling."""

    parsed: ParsedMessage
    raw: bytes
    inbound: InboundMessage
    mailbox: Mailbox
    sender: str | None  # the normalised From address, if it is one


def handle_message(
    *, inbound: InboundMessage, parsed: ParsedMessage, raw: bytes, mailbox: Mailbox
) -> Handled:
    """Turn one stored incoming message into a ticket, a comment, or a reasoned refusal."""
    message = Incoming(parsed, raw, inbound, mailbox, normalise_email(parsed.from_address))
    refusal = _not_a_request(message)
    if refusal is not None:
        return refusal
    verdict = parsed.auto_submitted
    is_bulk = verdict is not None and verdict.kind == AutoReplyKind.BULK
    thread = _thread_by_message_ids(parsed)
    tag_note = ""
    if thread is None and not parsed.unparseable:
        thread, tag_note = _thread_by_subject_tag(parsed.subject, message.sender)
    if verdict is not None and thread is None and contact_by_email(message.sender) is None:
        return Handled(
            InboundStatus.IGNORED,
            reason=f"рассылка от неизвестного отправителя: {verdict.reason}"[:300],
        )
    context = InboundContext(
        mailbox=mailbox,
        sender=message.sender,
        message_id=parsed.message_id,
        references=parsed.references,
        may_acknowledge=not is_bulk and not parsed.unparseable,
        ack_interval_minutes=mailbox.ack_interval_minutes,
    )
    files, refused, file_notes = _files_of(message)
    with handling_inbound(context):
        ticket, handled = _append_or_create(message, thread, tag_note, files)
        handled.notes.extend(file_notes)
        if refused:
            _refuse_attachments(message, ticket, refused, context)
    if not parsed.message_id_synthesised:
        record_message_ids(
            [
                TicketMessageId(
                    ticket=ticket,
                    message_id=parsed.message_id,
                    direction=Direction.INBOUND,
                    created_at=clock.now(),
                )
            ]
        )
    if is_bulk:
        handled.notes.append("письмо из рассылки: автоматический ответ не отправляется")
    handled.notes.extend(context.notes)
    return handled


def _not_a_request(message: Incoming) -> Handled | None:
    """Return why the message opens nothing (a loop, a copy, a bounce, an auto-reply)."""
    parsed = message.parsed
    if message.sender is not None and message.sender == normalise_email(message.mailbox.address):
        return Handled(InboundStatus.IGNORED, reason="письмо от самой службы поддержки (петля)")
    if (
        parsed.message_id.startswith(OUR_ID_PREFIX)
        and OutboundMessage.objects.filter(message_id=parsed.message_id).exists()
    ):
        return Handled(InboundStatus.IGNORED, reason="наше собственное письмо вернулось в ящик")
    copy = None
    if _several_mailboxes():
        copy = (
            InboundMessage.objects.filter(
                message_id=message.inbound.message_id,
                content_sha256=message.inbound.content_sha256,
                ticket__isnull=False,
            )
            .exclude(mailbox=message.mailbox)
            .select_related("ticket", "mailbox")
            .first()
        )
    if copy is not None:
        return Handled(
            InboundStatus.IGNORED,
            reason=f"это письмо уже принято через ящик «{copy.mailbox.code}»",
            ticket=copy.ticket,
        )
    if parsed.bounce is not None:
        return _handle_bounce(message, parsed.bounce)
    verdict = parsed.auto_submitted
    if verdict is not None and verdict.kind != AutoReplyKind.BULK:
        return Handled(
            InboundStatus.IGNORED,
            reason=f"автоматическое письмо: {verdict.reason}"[:300],
            ticket=_thread_by_message_ids(parsed),
        )
    return None


# Our Message-IDs start so (see compose.make_message_id); others cannot be ours.
OUR_ID_PREFIX: Final = "sd."


@snapshot("channels.Mailbox")
def _several_mailboxes() -> bool:
    """Tell whether a message may have come in through another mailbox too."""
    return Mailbox.objects.count() > 1


def _append_or_create(
    message: Incoming, thread: Ticket | None, tag_note: str, files: list[tuple[NewFile, str]]
) -> tuple[Ticket, Handled]:
    parsed, mailbox = message.parsed, message.mailbox
    body, quote_start = body_and_quote(parsed)
    label = mailbox.label
    if thread is not None and StatusCategory(thread.status_category) not in FINAL_CATEGORIES:
        contact = _sender_contact(message, thread.client)
        comment = ticket_comment(
            actor=None,
            number=thread.number,
            body=body or NO_TEXT,
            is_public=True,
            channel=Channel.EMAIL,
            author_contact=contact,
            system_label=label,
            files=files,
        )
        return thread, Handled(
            InboundStatus.PROCESSED,
            InboundOutcome.APPENDED,
            ticket=thread,
            comment=comment,
            contact=contact,
            quote_start=quote_start if body else None,
        )
    contact = _sender_contact(message, mailbox.client)
    subject, description = _new_ticket_text(parsed, message.raw)
    if parsed.unparseable:
        quote_start = None
    ticket = ticket_create(
        actor=None,
        data=NewTicket(
            subject=subject,
            client=mailbox.client.code,
            channel=Channel.EMAIL,
            description=description,
            service=mailbox.default_service.code if mailbox.default_service else None,
        ),
        requester=contact,
        system_label=label,
        files=files,
    )
    notes = []
    if thread is not None:
        notes.append(
            f"Письмо — ответ на обращение {thread.display_number} "
            f"(«{StatusCategory(thread.status_category).label}»), поэтому создано новое."
        )
    if tag_note:
        notes.append(tag_note)
    if notes:
        _internal_note(ticket, "\n".join(notes), label)
    return ticket, Handled(
        InboundStatus.PROCESSED,
        InboundOutcome.CREATED,
        ticket=ticket,
        contact=contact,
        quote_start=quote_start,
    )


def _sender_contact(message: Incoming, client: Client) -> Contact | None:
    if message.sender is None:
        return None
    name = message.parsed.from_name or ""
    contact, _ = contact_for_email(address=message.sender, name=name, client=client)
    return contact


def _files_of(message: Incoming) -> tuple[list[tuple[NewFile, str]], list[str], list[str]]:
    """Return the files to keep (attachments, then the raw .eml), the refused, and notes.

    They are stored by the same change that opens the ticket or adds the comment.
    """
    limit = desk_options().attachment_max_bytes
    refused: list[str] = []
    notes: list[str] = []
    files: list[tuple[NewFile, str]] = []
    for attachment in message.parsed.attachments:
        if attachment.size > limit:
            refused.append(f"«{attachment.filename}» ({_megabytes(attachment.size)} МБ)")
            continue
        if attachment.size == 0:
            notes.append(f"пустое вложение «{attachment.filename}» пропущено")
            continue
        file = NewFile(
            io.BytesIO(attachment.payload),
            attachment.filename,
            attachment.content_type,
            attachment.size,
            is_public=True,
        )
        try:
            files.append((file, check_file(None, file)))
        except DomainError as error:
            notes.append(f"вложение «{attachment.filename}» не сохранено: {error.message}")
    raw = message.raw
    if 0 < len(raw) <= limit:
        received = timezone.localtime(message.inbound.received_at)
        original = NewFile(
            io.BytesIO(raw),
            f"исходное-письмо-{received:%Y%m%d-%H%M%S}.eml",
            "message/rfc822",
            len(raw),
            is_public=False,
            stored_as=message.inbound.raw.name or None,
        )
        files.append((original, check_file(None, original)))
    elif raw:
        notes.append("исходное письмо больше лимита вложений: хранится только в журнале")
    return files, refused, notes


def _refuse_attachments(
    message: Incoming, ticket: Ticket, refused: list[str], context: InboundContext
) -> None:
    limit = desk_options().attachment_max_bytes
    listing = "\n".join(f"— {item}" for item in refused)
    sender = context.sender if context.may_acknowledge else None
    _internal_note(
        ticket,
        f"Вложения больше {_megabytes(limit)} МБ не сохранены:\n{listing}\n"
        + ("Отправителю отправлено письмо об этом." if sender else "Отправителю не сообщалось."),
        message.mailbox.label,
    )
    if sender:
        email_outbound_record(
            ticket=ticket,
            kind=OutboundKind.ATTACHMENT_REFUSED,
            to=sender,
            values={"files": listing, "limit": _megabytes(limit)},
            mailbox=message.mailbox,
            in_reply_to=context.message_id,
            references=(*context.references, context.message_id),
            auto_submitted="auto-replied",
        )


def _handle_bounce(message: Incoming, bounce: BounceInfo) -> Handled:
    raw, mailbox = message.raw, message.mailbox
    original = (
        OutboundMessage.objects.select_related("ticket")
        .filter(message_id=bounce.original_message_id)
        .first()
        if bounce.original_message_id
        else None
    )
    if original is None:
        return Handled(
            InboundStatus.IGNORED, reason="отчёт о недоставке письма, которое отправляла не служба"
        )
    detail = "; ".join(
        part
        for part in (
            f"получатель {bounce.recipient}" if bounce.recipient else "",
            f"статус {bounce.status}" if bounce.status else "",
            bounce.diagnostic or "",
        )
        if part
    )
    if bounce.is_permanent:
        OutboundMessage.objects.filter(pk=original.pk).update(
            status=OutboundStatus.BOUNCED, bounced_at=clock.now(), bounce_detail=detail[:2000]
        )
        text = (
            f"Письмо «{original.subject}» для {original.to_address} не доставлено"
            f" (возврат от почтового сервера): {detail or 'причина не указана'}."
        )
    else:
        text = (
            f"Доставка письма «{original.subject}» для {original.to_address} "
            f"задерживается: {detail}."
        )
    ticket = original.ticket
    comment = None
    if StatusCategory(ticket.status_category) not in FINAL_CATEGORIES:
        comment = _internal_note(ticket, text, mailbox.label)
    if 0 < len(raw) <= desk_options().attachment_max_bytes:
        ticket_attach(
            actor=None,
            number=ticket.number,
            content=io.BytesIO(raw),
            filename="отчёт-о-недоставке.eml",
            content_type="message/rfc822",
            size=len(raw),
            is_public=False,
            comment=comment,
            system_label=mailbox.label,
        )
    return Handled(
        InboundStatus.IGNORED,
        InboundOutcome.BOUNCE,
        reason="отчёт о недоставке нашего письма",
        ticket=ticket,
        comment=comment,
    )


# Every reply looks its ticket up so: the SQL is built once (see core.queries).
_TICKET_BY_PK = PreparedLookup(lambda: Ticket.objects.select_related("client"), "pk")


def _thread_by_message_ids(parsed: ParsedMessage) -> Ticket | None:
    """Return the ticket that one of the message's parents belongs to, best parent first."""
    candidates = candidate_message_ids(parsed)
    if not candidates:
        return None
    owners = message_owners(candidates)
    for message_id in candidates:
        if message_id in owners:
            owner = _TICKET_BY_PK.get(owners[message_id])
            if owner is not None:
                return owner
    # Our own ids carry the ticket number (signed): a reply to a notification whose row
    # was lost, or sent from a copy of the database, still finds its ticket.
    for mailbox_domain in _our_domains():
        for message_id in candidates:
            number = ticket_number_from_message_id(
                message_id, mailbox_domain, secret=secret_bytes()
            )
            if number is not None:
                found = Ticket.objects.select_related("client").filter(number=number).first()
                if found is not None:
                    return found
    return None


@snapshot("channels.Mailbox")
def _our_domains() -> list[str]:
    """The domains our Message-IDs are made in: the default sender's and the mailboxes'."""
    domains = {our_domain(None)}
    for address in Mailbox.objects.values_list("address", flat=True):
        domains.add(address.rpartition("@")[2].lower())
    return sorted(domains)


def _thread_by_subject_tag(subject: str, sender: str | None) -> tuple[Ticket | None, str]:
    """Return the tagged ticket the sender may write to, and a note when a tag was refused."""
    numbers = find_ticket_numbers(subject, desk_options().ticket_number_prefix)
    refused: list[str] = []
    for number in numbers:
        ticket = Ticket.objects.select_related("client").filter(number=number).first()
        if ticket is None:
            continue
        if sender_may_write(ticket, sender):
            return ticket, ""
        refused.append(ticket.display_number)
    if refused:
        return None, (
            f"В теме письма указан номер {', '.join(refused)}, но отправитель не связан с этим "
            "обращением, поэтому создано новое."
        )
    return None, ""


def sender_may_write(ticket: Ticket, sender: str | None) -> bool:
    """Tell whether `sender` is the ticket's requester or someone of the ticket's client."""
    if sender is None:
        return False
    contact = contact_by_email(sender)
    if contact is not None and (
        contact.pk == ticket.requester_id or contact.client_id == ticket.client_id
    ):
        return True
    user = User.objects.filter(email__iexact=sender, is_active=True).first()
    return user is not None and (
        user.pk == ticket.requester_user_id or user.client_id == ticket.client_id
    )


def body_and_quote(parsed: ParsedMessage) -> tuple[str, int | None]:
    """Return the text to store (all of it, quote included) and where the quote starts.

    The stored text is the whole body, so nothing the sender sent is lost; the offset
    lets the UI fold the quoted history. Too long a body is cut, with a note.
    """
    text = parsed.text
    lead = len(text) - len(text.lstrip())
    body = text.strip()
    quote_start: int | None = None
    if parsed.quoted_text.strip() and parsed.visible_text.strip():
        quote_start = len(text) - len(parsed.quoted_text) - lead
    if len(body) > TEXT_MAX:
        body = body[: TEXT_MAX - len(TRUNCATED)] + TRUNCATED
        if quote_start is not None and quote_start >= TEXT_MAX - len(TRUNCATED):
            quote_start = None
    return body, quote_start


def _new_ticket_text(parsed: ParsedMessage, raw: bytes) -> tuple[str, str]:
    """Return the subject and description a ticket opened by this message gets."""
    if parsed.unparseable:
        return _ticket_subject(parsed), _unreadable_description(parsed, raw)
    return _ticket_subject(parsed), body_and_quote(parsed)[0]


def likely_new_request(
    mailbox: Mailbox, parsed: ParsedMessage, raw: bytes
) -> tuple[str, str] | None:
    """Return (subject, description) if this message will probably open a ticket to classify.

    A guess made before handling, for classifying a batch at once: replies, bounces,
    auto-replies and mail to a mailbox with a default service are left out. A wrong
    guess costs a little time, never a wrong answer (handling decides).
    """
    if mailbox.default_service_id is not None or parsed.in_reply_to or parsed.references:
        return None
    if parsed.bounce is not None or parsed.auto_submitted is not None:
        return None
    return _new_ticket_text(parsed, raw)


def _ticket_subject(parsed: ParsedMessage) -> str:
    subject = normalise_subject(parsed.subject).strip()
    if not subject and parsed.unparseable:
        subject = UNREADABLE_SUBJECT
    if not subject:
        first_line = next(
            (line.strip() for line in parsed.visible_text.splitlines() if line.strip()), ""
        )
        subject = first_line[:SUBJECT_FROM_TEXT_LENGTH] or NO_SUBJECT
    return subject[:SUBJECT_MAX]


def _unreadable_description(parsed: ParsedMessage, raw: bytes) -> str:
    if not raw.strip():
        return f"Пришло пустое письмо ({len(raw)} байт): в нём нет ни заголовков, ни текста."
    why = "; ".join(parsed.defects) or "неизвестная причина"
    text = (
        "Письмо не удалось разобрать, исходный текст письма — во внутреннем вложении "
        f"(.eml).\nПричина: {why}"
    )
    if parsed.text.strip():
        text += f"\n\nЧто удалось прочитать:\n{parsed.text.strip()}"
    return text[:TEXT_MAX]


def _internal_note(ticket: Ticket, text: str, label: str) -> Comment:
    return ticket_comment(
        actor=None,
        number=ticket.number,
        body=text,
        is_public=False,
        channel=Channel.EMAIL,
        system_label=label,
    )


def _megabytes(size: int) -> str:
    value = size / MEGABYTE
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}".replace(".", ",")
