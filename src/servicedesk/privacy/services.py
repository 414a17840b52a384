"""Writes about personal data: the access log and the anonymisation of old tickets."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from servicedesk.accounts.models import Contact, ContactKind, User
from servicedesk.channels.email.models import InboundMessage, OutboundMessage
from servicedesk.core import clock
from servicedesk.ops.requestid import current_request_id
from servicedesk.privacy.domain.retention import months_before
from servicedesk.privacy.domain.scrub import scrub_json, scrub_text
from servicedesk.privacy.models import (
    AccessPurpose,
    AnonymisationRun,
    AnonymisedTicket,
    DataField,
    PersonalDataAccess,
)
from servicedesk.security.clientip import client_ip
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.domain.statuses import StatusCategory
from servicedesk.tickets.models import Comment, Ticket, TicketEvent

logger = logging.getLogger(__name__)

FINISHED = (StatusCategory.CLOSED, StatusCategory.CANCELLED)
SYSTEM_LABEL = "Обезличивание"


def _shown_fields(contact: Contact) -> list[str]:
    fields: list[str] = []
    if contact.phones.all():
        fields.append(DataField.PHONE)
    if contact.cards.all():
        fields.append(DataField.CARD)
    if contact.emails.all():
        fields.append(DataField.EMAIL)
    return fields


def personal_data_viewed(
    *,
    actor: User | None,
    contacts: Iterable[Contact],
    purpose: AccessPurpose,
    request: HttpRequest | None = None,
    actor_label: str | None = None,
) -> list[PersonalDataAccess]:
    """Record that `actor` was shown the full phones, cards and e-mails of `contacts`."""
    now = clock.now()
    ip = client_ip(request) if request is not None else None
    rows = [
        PersonalDataAccess(
            at=now,
            actor=actor,
            actor_label=(actor_label or (str(actor) if actor else "Система"))[:200],
            contact=contact,
            field=field,
            purpose=purpose,
            request_id=current_request_id()[:128],
            ip=ip if ip and ip != "unknown" else None,
        )
        for contact in contacts
        for field in _shown_fields(contact)
    ]
    return PersonalDataAccess.objects.bulk_create(rows)


# --- Retention ----------------------------------------------------------------------


@dataclass
class AnonymisationCounts:
    tickets: int = 0
    comments: int = 0
    events: int = 0
    attachments: int = 0
    contacts: int = 0


def _allow_event_rewrite() -> None:
    """Lift PostgreSQL's immutability trigger on events for this transaction only."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL servicedesk.rewrite_events = 'on'")


def eligible_tickets(cutoff_months: int) -> QuerySet[Ticket]:
    """Return closed or cancelled tickets finished before the cut-off and not yet anonymised."""
    cutoff = months_before(clock.now(), cutoff_months)
    done = AnonymisedTicket.objects.filter(ticket=OuterRef("pk"))
    return (
        Ticket.objects.filter(status_category__in=FINISHED)
        .annotate(finished_at=Coalesce("closed_at", "resolved_at", "updated_at"))
        .filter(finished_at__lt=cutoff)
        .exclude(Exists(done))
        .order_by("pk")
    )


def _known_names(ticket: Ticket) -> list[str]:
    names: list[str] = []
    if ticket.requester is not None and ticket.requester.kind == ContactKind.GUEST:
        names.append(ticket.requester.full_name)
    author_names = (
        Comment.objects.filter(ticket=ticket, author_contact__kind=ContactKind.GUEST)
        .values_list("author_contact__full_name", flat=True)
        .distinct()
    )
    names.extend(author_names)
    return [name for name in names if name]


def _scrub_mail_log(ticket: Ticket, names: list[str]) -> None:
    """Forget the people in every e-mail that went into or out of the ticket.

    Incoming: the sender and the raw source (the same stored file as the ticket's
    internal attachment, which is already gone). Outgoing: the recipient, and names,
    phones, cards and addresses in the subject and text. Both logs keep what the desk
    did with each message.
    """
    for inbound in InboundMessage.objects.filter(ticket=ticket):
        if inbound.raw.name:
            inbound.raw.delete(save=False)
        InboundMessage.objects.filter(pk=inbound.pk).update(
            raw="",
            from_address="",
            from_name="",
            subject=scrub_text(inbound.subject, names)[:300],
            notes=scrub_text(inbound.notes, names),
        )
    for outbound in OutboundMessage.objects.filter(ticket=ticket).only("pk", "subject", "body"):
        OutboundMessage.objects.filter(pk=outbound.pk).update(
            to_address="",
            subject=scrub_text(outbound.subject, names)[:500],
            body=scrub_text(outbound.body, names),
        )


def _anonymised_with_mail_left() -> list[int]:
    """Return anonymised tickets whose mail logs still hold an address or a raw message.

    Tickets anonymised before the mail log was scrubbed too; a run puts them right.
    """
    anonymised = AnonymisedTicket.objects.values("ticket_id")
    incoming = (
        InboundMessage.objects.filter(ticket__in=anonymised, ticket__isnull=False)
        .exclude(raw="", from_address="", from_name="")
        .values_list("ticket_id", flat=True)
    )
    outgoing = (
        OutboundMessage.objects.filter(ticket__in=anonymised)
        .exclude(to_address="")
        .values_list("ticket_id", flat=True)
    )
    return sorted(set(incoming) | set(outgoing))


def _anonymise_ticket(ticket_pk: int, counts: AnonymisationCounts) -> bool:
    """Scrub one ticket, its comments and events, and delete its files (one transaction)."""
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("requester")
            .filter(pk=ticket_pk)
            .exclude(Exists(AnonymisedTicket.objects.filter(ticket=OuterRef("pk"))))
            .first()
        )
        if ticket is None:  # another run has it, or already done
            return False
        _allow_event_rewrite()
        now = clock.now()
        names = _known_names(ticket)
        Ticket.objects.filter(pk=ticket.pk).update(
            subject=scrub_text(ticket.subject, names)[:300] or "—",
            description=scrub_text(ticket.description, names),
            version=F("version") + 1,
        )
        for comment in Comment.objects.filter(ticket=ticket).only("pk", "body"):
            scrubbed = scrub_text(comment.body, names)
            if scrubbed != comment.body:
                Comment.objects.filter(pk=comment.pk).update(body=scrubbed)
                counts.comments += 1
        for event in TicketEvent.objects.filter(ticket=ticket).only("pk", "data"):
            data = scrub_json(event.data, names)
            if data != event.data:
                TicketEvent.objects.filter(pk=event.pk).update(data=data)
                counts.events += 1
        for attachment in list(ticket.attachments.all()):
            attachment.file.delete(save=False)
            attachment.delete()
            counts.attachments += 1
        _scrub_mail_log(ticket, names)
        TicketEvent.objects.create(
            ticket=ticket,
            type=TicketEventType.ANONYMISED.value,
            actor=None,
            actor_label=SYSTEM_LABEL,
            created_at=now,
            data={"reason": "истёк срок хранения персональных данных"},
        )
        AnonymisedTicket.objects.create(ticket=ticket, at=now)
        counts.tickets += 1
        return True


def eligible_contacts() -> QuerySet[Contact]:
    """Return guests whose every ticket is anonymised (so none is open or recent)."""
    pending = Ticket.objects.exclude(Exists(AnonymisedTicket.objects.filter(ticket=OuterRef("pk"))))
    return (
        Contact.objects.filter(kind=ContactKind.GUEST, anonymised_at__isnull=True)
        .filter(Exists(Ticket.objects.filter(requester=OuterRef("pk"))))
        .exclude(Exists(pending.filter(requester=OuterRef("pk"))))
        .exclude(Exists(Comment.objects.filter(author_contact=OuterRef("pk"), ticket__in=pending)))
        .order_by("pk")
    )


def _anonymise_contact(contact_pk: int, counts: AnonymisationCounts) -> None:
    with transaction.atomic():
        contact = (
            eligible_contacts()
            .select_for_update(skip_locked=True, of=("self",))
            .filter(pk=contact_pk)
            .first()
        )
        if contact is None:
            return
        contact.phones.all().delete()
        contact.cards.all().delete()
        contact.emails.all().delete()
        Contact.objects.filter(pk=contact.pk).update(
            full_name="", notes="", anonymised_at=clock.now()
        )
        counts.contacts += 1


def anonymise_closed(*, months: int, actor_label: str) -> AnonymisationRun:
    """Anonymise guest data of tickets finished more than `months` months ago.

    Keeps each ticket with its service, SLA level, statuses and timestamps; masks phones,
    cards and e-mails and removes guests' names in subjects, descriptions, comments and
    history; deletes attached files; then empties guests who have nothing else pending.
    Safe to run twice or concurrently (each ticket is marked, rows are locked).
    """
    if months < 1:
        from servicedesk.core.errors import ValidationFailed

        raise ValidationFailed("Срок хранения — не меньше одного месяца", field="months")
    started = clock.now()
    counts = AnonymisationCounts()
    for ticket_pk in list(eligible_tickets(months).values_list("pk", flat=True)):
        _anonymise_ticket(ticket_pk, counts)
    for ticket_pk in _anonymised_with_mail_left():
        with transaction.atomic():
            _scrub_mail_log(Ticket.objects.get(pk=ticket_pk), [])
    for contact_pk in list(eligible_contacts().values_list("pk", flat=True)):
        _anonymise_contact(contact_pk, counts)
    run = AnonymisationRun.objects.create(
        started_at=started,
        finished_at=clock.now(),
        actor_label=actor_label[:200],
        months=months,
        cutoff=months_before(started, months),
        tickets=counts.tickets,
        comments=counts.comments,
        events=counts.events,
        attachments=counts.attachments,
        contacts=counts.contacts,
    )
    logger.info(
        "privacy: anonymised %s tickets, %s contacts (older than %s months, by %s)",
        counts.tickets,
        counts.contacts,
        months,
        actor_label,
    )
    return run
