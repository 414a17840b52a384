"""Notifications by e-mail: recorded with the ticket's transaction, sent by a worker after it.

Every notification is an `OutboundMessage` row written in the same transaction as
the change it reports, with our own Message-ID (``compose.make_message_id``, signed
with SECRET_KEY), In-Reply-To and References pointing at the ticket's previous mail,
and the ``[SD-000123]`` tag in the subject, so the requester's answer threads back.
Sending happens in a huey task after the commit; a message whose sending keeps
failing ends `failed` with its error and an event on the ticket, never silently.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import formataddr, parseaddr
from typing import Final

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from servicedesk.channels.email import templating
from servicedesk.channels.email.compose import make_message_id
from servicedesk.channels.email.defaults import DEFAULT_TEMPLATES
from servicedesk.channels.email.message_owners import record_message_ids
from servicedesk.channels.email.models import (
    Direction,
    EmailTemplate,
    InboundMessage,
    Mailbox,
    OutboundKind,
    OutboundMessage,
    OutboundStatus,
    TicketMessageId,
)
from servicedesk.channels.email.thread_keys import format_ticket_tag
from servicedesk.core import clock
from servicedesk.core.batch import BatchMemo
from servicedesk.core.deferred import insert_rows
from servicedesk.core.options import desk_options
from servicedesk.reports.domain.periods import MONTH_NAMES_GENITIVE
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.models import Attachment, Comment, Ticket

logger = logging.getLogger(__name__)

SEND_MAX_ATTEMPTS: Final = 6
# How many of the ticket's Message-IDs go into References (the newest ones).
MAX_REFERENCES: Final = 20
# A message claimed for sending longer ago than this was lost with its worker.
STALE_SENDING: Final = timedelta(minutes=15)
# A pending message not tried for this long lost its task (the queue was down).
STALE_PENDING: Final = timedelta(minutes=5)
ATTACH_TOTAL_LIMIT: Final = 20 * 1024 * 1024


class SendDeferred(RuntimeError):
    """Sending failed this time; the worker tries again later."""


def secret_bytes() -> bytes:
    return settings.SECRET_KEY.encode()


def our_domain(mailbox: Mailbox | None) -> str:
    """Return the domain of our Message-IDs: the mailbox's, else DEFAULT_FROM_EMAIL's."""
    address = mailbox.address if mailbox is not None else parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    domain = address.rpartition("@")[2].lower()
    return domain if "." in domain else "localhost"


def from_header(mailbox: Mailbox | None) -> str:
    """Return the From of our mail: the desk's display name with the mailbox's address."""
    display, default_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    address = mailbox.address if mailbox is not None else default_address
    return formataddr((display, address)) if display else address


def requester_address(ticket: Ticket) -> str | None:
    """Return where the requester reads mail: the contact's address, else the portal user's."""
    if ticket.requester_id is not None:
        address = (
            ticket.requester.emails.order_by("pk").values_list("address", flat=True).first()
            if ticket.requester is not None
            else None
        )
        if address:
            return address
    if ticket.requester_user is not None and ticket.requester_user.email:
        return ticket.requester_user.email
    return None


def ticket_mailbox(ticket: Ticket) -> Mailbox | None:
    """Return the mailbox the ticket's mail came through (answers go out from it)."""
    inbound = (
        InboundMessage.objects.select_related("mailbox")
        .filter(ticket=ticket)
        .order_by("received_at", "pk")
        .first()
    )
    return inbound.mailbox if inbound is not None else None


def ticket_thread(ticket: Ticket) -> tuple[str, tuple[str, ...]]:
    """Return (In-Reply-To, References) for a new message about the ticket.

    In-Reply-To is the requester's latest message (else our latest); References are
    the newest ids of the correspondence, oldest first, as RFC 5322 lists them.
    """
    rows = list(
        TicketMessageId.objects.filter(ticket=ticket)
        .order_by("-created_at", "-pk")
        .values_list("message_id", "direction")[:MAX_REFERENCES]
    )
    rows.reverse()
    inbound = [mid for mid, direction in rows if direction == Direction.INBOUND]
    in_reply_to = inbound[-1] if inbound else (rows[-1][0] if rows else "")
    return in_reply_to, tuple(mid for mid, _ in rows)


def format_due(moment: datetime | None) -> str:
    """Return a deadline as a Russian reader expects it: «27 ноября 2026, 16:30 (МСК)»."""
    if moment is None:
        return "не установлен"
    local = timezone.localtime(moment)
    # Not Django's date_format: switching the language for it cost more than the rest of
    # the acknowledgement (measured in the mail intake bench).
    text = f"{local.day} {MONTH_NAMES_GENITIVE[local.month - 1]} {local.year}, {local:%H:%M}"
    zone = settings.TIME_ZONE
    return f"{text} (МСК)" if zone == "Europe/Moscow" else f"{text} ({zone})"


def secret_link(ticket: Ticket) -> str:
    return f"{desk_options().site_url.rstrip('/')}/t/{ticket.public_token}/"


def base_values(ticket: Ticket) -> dict[str, str]:
    requester = str(ticket.requester.full_name) if ticket.requester is not None else ""
    if not requester and ticket.requester_user is not None:
        requester = ticket.requester_user.get_full_name()
    prefix = desk_options().ticket_number_prefix
    return {
        "number": ticket.display_number,
        "tag": format_ticket_tag(ticket.number, prefix),
        "subject": ticket.subject,
        "requester": requester,
        "greeting": f"Здравствуйте, {requester}!" if requester else "Здравствуйте!",
        "link": secret_link(ticket),
        "site_url": desk_options().site_url,
    }


# Templates change rarely; a short process-local cache spares a query per notification.
_TEMPLATE_TTL: Final = 5.0
_templates: dict[str, tuple[float, tuple[str, str]]] = {}


def template_for(kind: str) -> tuple[str, str]:
    """Return (subject, body) of the kind's template: the edited one, else the default."""
    cached = _templates.get(kind)
    now = time.monotonic()
    if cached is not None and now - cached[0] < _TEMPLATE_TTL:
        return cached[1]
    row = EmailTemplate.objects.filter(kind=kind).values_list("subject", "body").first()
    template = row if row is not None else DEFAULT_TEMPLATES[kind]
    _templates[kind] = (now, template)
    return template


def forget_cached_templates() -> None:
    _templates.clear()


def email_outbound_record(
    *,
    ticket: Ticket,
    kind: OutboundKind,
    to: str,
    values: dict[str, str] | None = None,
    comment: Comment | None = None,
    mailbox: Mailbox | None = None,
    in_reply_to: str | None = None,
    references: tuple[str, ...] | None = None,
    auto_submitted: str = "auto-generated",
) -> OutboundMessage:
    """Record a notification about `ticket` and send it once the transaction commits."""
    if mailbox is None:
        mailbox = ticket_mailbox(ticket)
    if in_reply_to is None or references is None:
        thread_reply, thread_refs = ticket_thread(ticket)
        in_reply_to = thread_reply if in_reply_to is None else in_reply_to
        references = thread_refs if references is None else references
    subject_template, body_template = template_for(kind)
    filled = base_values(ticket) | (values or {})
    subject = templating.render_subject(subject_template, filled)
    if filled["tag"] not in subject:
        subject = f"{filled['tag']} {subject}".strip()
    message_id = make_message_id(
        our_domain(mailbox), ticket.number, kind.replace("_", "-"), secret=secret_bytes()
    )
    now = clock.now()
    outbound = OutboundMessage(
        ticket=ticket,
        comment=comment,
        mailbox=mailbox,
        kind=kind,
        from_address=from_header(mailbox),
        to_address=to,
        subject=subject[:500],
        body=templating.render(body_template, filled).strip() + "\n",
        message_id=message_id.strip("<>"),
        in_reply_to=in_reply_to or "",
        references=" ".join(references[-MAX_REFERENCES:]),
        auto_submitted=auto_submitted,
        created_at=now,
    )
    insert_rows(OutboundMessage, [outbound])
    record_message_ids(
        [
            TicketMessageId(
                ticket=ticket,
                message_id=outbound.message_id,
                direction=Direction.OUTBOUND,
                created_at=now,
            )
        ]
    )
    remembered = _acknowledged.get()
    if remembered is not None and kind == OutboundKind.RECEIVED:
        remembered.last[to] = now
    transaction.on_commit(lambda: _enqueue(outbound.pk))
    return outbound


def _enqueue(outbound_id: int) -> None:
    from servicedesk.channels.email.tasks import email_send_outbound

    try:
        email_send_outbound(outbound_id)
    except Exception:  # the queue is down: the sweep finds the pending row later
        logger.exception("could not enqueue outbound e-mail %s", outbound_id)


def build_email(outbound: OutboundMessage) -> EmailMessage:
    """Return the Django message for a recorded notification, with our threading headers."""
    headers = {"Message-ID": f"<{outbound.message_id}>"}
    if outbound.in_reply_to:
        headers["In-Reply-To"] = f"<{outbound.in_reply_to}>"
    if outbound.references:
        headers["References"] = " ".join(f"<{mid}>" for mid in outbound.references.split())
    if outbound.auto_submitted:
        headers["Auto-Submitted"] = outbound.auto_submitted
        headers["X-Auto-Response-Suppress"] = "All"  # no out-of-office answers to us
    message = EmailMessage(
        subject=outbound.subject,
        body=outbound.body,
        from_email=outbound.from_address,
        to=[outbound.to_address],
        headers=headers,
    )
    if outbound.comment_id is not None:
        total = 0
        files = Attachment.objects.filter(comment_id=outbound.comment_id, is_public=True)
        for attachment in files.order_by("pk"):
            total += attachment.size
            if total > ATTACH_TOTAL_LIMIT:
                break
            with attachment.file.open("rb") as handle:
                message.attach(attachment.filename, handle.read(), attachment.content_type)
    return message


def email_outbound_send(outbound_id: int) -> str:
    """Send one recorded message over SMTP; return its status afterwards.

    A message is claimed (pending → sending) by one worker only, so two workers never
    send it twice. A failure puts it back to pending and raises SendDeferred so that
    the worker retries; the last allowed attempt marks it failed and tells the ticket.
    """
    now = clock.now()
    claimed = OutboundMessage.objects.filter(pk=outbound_id, status=OutboundStatus.PENDING).update(
        status=OutboundStatus.SENDING, attempts=F("attempts") + 1, last_attempt_at=now
    )
    outbound = OutboundMessage.objects.select_related("ticket").filter(pk=outbound_id).first()
    if outbound is None:
        return "missing"
    if not claimed:
        return outbound.status
    try:
        with get_connection(fail_silently=False) as connection:
            connection.send_messages([build_email(outbound)])
    except Exception as error:
        detail = f"{type(error).__name__}: {error}"[:2000]
        if outbound.attempts >= SEND_MAX_ATTEMPTS:
            _mark_failed(outbound, detail)
            return OutboundStatus.FAILED
        OutboundMessage.objects.filter(pk=outbound.pk).update(
            status=OutboundStatus.PENDING, last_error=detail
        )
        raise SendDeferred(detail) from error
    OutboundMessage.objects.filter(pk=outbound.pk).update(
        status=OutboundStatus.SENT, sent_at=clock.now(), last_error=""
    )
    return OutboundStatus.SENT


@transaction.atomic
def _mark_failed(outbound: OutboundMessage, detail: str) -> None:
    from servicedesk.tickets.services.change import begin_change, finish_change

    OutboundMessage.objects.filter(pk=outbound.pk).update(
        status=OutboundStatus.FAILED, last_error=detail
    )
    change = begin_change(
        actor=None, number=outbound.ticket.number, expected_version=None, system_label="Почта"
    )
    change.record(
        TicketEventType.EMAIL_FAILED,
        {
            "outbound_id": outbound.pk,
            "kind": outbound.kind,
            "to": outbound.to_address,
            "subject": outbound.subject,
            "attempts": outbound.attempts,
            "error": detail[:500],
        },
    )
    finish_change(change)
    logger.error("e-mail %s to %s failed for good: %s", outbound.pk, outbound.to_address, detail)


def email_outbound_retry(*, outbound: OutboundMessage) -> bool:
    """Put a failed (or stuck) message back in the queue; return whether it was re-queued."""
    requeued = (
        OutboundMessage.objects.filter(pk=outbound.pk)
        .exclude(status__in=[OutboundStatus.SENT, OutboundStatus.BOUNCED])
        .update(status=OutboundStatus.PENDING, attempts=0)
    )
    if requeued:
        transaction.on_commit(lambda: _enqueue(outbound.pk))
    return bool(requeued)


def email_outbound_sweep(now: datetime | None = None) -> int:
    """Re-queue messages whose task was lost (queue down, worker killed); return how many."""
    now = now or clock.now()
    OutboundMessage.objects.filter(
        status=OutboundStatus.SENDING, last_attempt_at__lt=now - STALE_SENDING
    ).update(status=OutboundStatus.PENDING)
    lost = list(
        OutboundMessage.objects.filter(status=OutboundStatus.PENDING)
        .filter(
            Q(last_attempt_at__isnull=True, created_at__lt=now - STALE_PENDING)
            | Q(last_attempt_at__lt=now - STALE_PENDING * 2)
        )
        .values_list("pk", flat=True)[:500]
    )
    for outbound_id in lost:
        _enqueue(outbound_id)
    return len(lost)


def recently_acknowledged(address: str, minutes: int, now: datetime) -> bool:
    """Tell whether `address` got an automatic acknowledgement in the last `minutes`."""
    remembered = _acknowledged.get()
    if remembered is not None and address in remembered.last and remembered.minutes >= minutes:
        last = remembered.last[address]
        return last is not None and last >= now - timedelta(minutes=minutes)
    return OutboundMessage.objects.filter(
        to_address=address,
        kind=OutboundKind.RECEIVED,
        created_at__gte=now - timedelta(minutes=minutes),
    ).exists()


@dataclass
class _Acknowledged:
    minutes: int  # how far back `last` was read
    last: dict[str, datetime | None]  # address → its latest acknowledgement in that window

    def clear(self) -> None:
        self.last.clear()


_acknowledged: BatchMemo[_Acknowledged] = BatchMemo("acknowledged")


@contextmanager
def acknowledgements_remembered(
    addresses: Iterable[str | None], minutes: int, now: datetime
) -> Iterator[None]:
    """Read in one query which of a batch's senders were acknowledged in the last `minutes`.

    Acknowledgements recorded inside the block are remembered too; a partial rollback
    must be followed by `core.batch.forget_batch_memos()`.
    """
    wanted = {address for address in addresses if address}
    last: dict[str, datetime | None] = dict.fromkeys(wanted)
    if wanted:
        rows = (
            OutboundMessage.objects.filter(
                to_address__in=wanted,
                kind=OutboundKind.RECEIVED,
                created_at__gte=now - timedelta(minutes=minutes),
            )
            .values_list("to_address")
            .annotate(latest=Max("created_at"))
        )
        last.update(rows)
    with _acknowledged.kept(_Acknowledged(minutes, last)):
        yield
