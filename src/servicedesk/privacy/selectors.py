"""Reads of personal data: the contact card and the data-subject export.

Both show full values, so both write to the access log; who may call them is decided
here, not in the interfaces.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from servicedesk.accounts.models import Contact, User
from servicedesk.accounts.roles import Capability, Role
from servicedesk.accounts.selectors import contacts_queryset
from servicedesk.core import clock
from servicedesk.core.errors import Forbidden, NotFound, ValidationFailed
from servicedesk.core.identifiers import mask_tail, normalise_card, normalise_phone
from servicedesk.privacy.domain.scrub import mask_email
from servicedesk.privacy.models import AccessPurpose, PersonalDataAccess
from servicedesk.privacy.services import personal_data_viewed
from servicedesk.tickets.models import Ticket, TicketEvent


def may_see_full(user: User) -> bool:
    return user.is_support_staff and user.can(Capability.VIEW_PERSONAL_DATA)


def contact_values(contact: Contact, *, full: bool) -> dict[str, list[str]]:
    """Return the contact's phones, cards and e-mails, masked unless `full`."""
    return {
        "phones": [p.number if full else mask_tail(p.number) for p in contact.phones.all()],
        "cards": [c.number if full else mask_tail(c.number) for c in contact.cards.all()],
        "emails": [e.address if full else mask_email(e.address) for e in contact.emails.all()],
    }


def contacts_shown(
    *,
    actor: User,
    contacts: list[Contact],
    purpose: AccessPurpose,
    request: HttpRequest | None = None,
) -> bool:
    """Decide whether `actor` sees full values of `contacts`; log it if so. Return the decision."""
    full = may_see_full(actor)
    if full and contacts:
        personal_data_viewed(actor=actor, contacts=contacts, purpose=purpose, request=request)
    return full


def contact_card(*, actor: User, contact_id: int, request: HttpRequest | None = None) -> Any:
    """Return the contact, its values (full and logged, or masked) and its recent tickets."""
    if not actor.is_support_staff:
        raise Forbidden("Карточка контакта доступна сотрудникам поддержки")
    contact = contacts_queryset().filter(pk=contact_id).first()
    if contact is None:
        raise NotFound(f"Контакт #{contact_id} не найден")
    full = contacts_shown(
        actor=actor, contacts=[contact], purpose=AccessPurpose.CONTACT_CARD, request=request
    )
    tickets = (
        Ticket.objects.filter(requester=contact).select_related("status").order_by("-number")[:20]
    )
    return contact, full, list(tickets)


def _require_head(actor: User | None) -> None:
    if actor is None:
        return  # manage.py
    if not (actor.is_superuser or Role.HEAD in actor.roles) or actor.client_id is not None:
        raise Forbidden("Выгрузка персональных данных доступна руководителю")


def _subject_contacts(phone: str | None, card: str | None) -> tuple[list[Contact], list[str]]:
    if bool(phone) == bool(card):
        raise ValidationFailed("Укажите ровно одно: phone или card", field="phone")
    from servicedesk.core.identifiers import InvalidIdentifier

    try:
        if phone:
            number = normalise_phone(phone)
            contacts = list(contacts_queryset().filter(phones__number=number).distinct())
            needles = [number, number.lstrip("+")]
            if number.startswith("+7") and len(number) == 12:
                needles += [number[2:], "8" + number[2:]]
        else:
            number = normalise_card(card or "")
            contacts = list(contacts_queryset().filter(cards__number=number).distinct())
            needles = [number]
    except InvalidIdentifier as error:
        raise ValidationFailed(str(error), field="phone" if phone else "card") from error
    for contact in contacts:
        needles += [p.number for p in contact.phones.all()]
        needles += [c.number for c in contact.cards.all()]
        needles += [e.address for e in contact.emails.all()]
    return contacts, sorted(set(needles))


def _text_mentions(needles: list[str]) -> Q:
    query = Q(pk__in=[])
    for needle in needles:
        query |= Q(subject__icontains=needle) | Q(description__icontains=needle)
        query |= Q(comments__body__icontains=needle)
    return query


def _ticket_export(ticket: Ticket) -> dict[str, Any]:
    return {
        "number": ticket.display_number,
        "subject": ticket.subject,
        "description": ticket.description,
        "client": ticket.client.name,
        "outlet": ticket.outlet.name if ticket.outlet else None,
        "channel": ticket.channel,
        "service": ticket.service.name if ticket.service else None,
        "status": ticket.status.name,
        "created_at": ticket.created_at.isoformat(),
        "closed_at": ticket.closed_at.isoformat() if ticket.closed_at else None,
        "comments": [
            {
                "author": comment.author_label,
                "public": comment.is_public,
                "channel": comment.channel,
                "created_at": comment.created_at.isoformat(),
                "body": comment.body,
            }
            for comment in ticket.comments.all()
        ],
        "attachments": [
            {
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "created_at": a.created_at.isoformat(),
            }
            for a in ticket.attachments.all()
        ],
        "events": [
            {
                "type": event.type,
                "actor": event.actor_label,
                "created_at": event.created_at.isoformat(),
                "data": event.data,
            }
            for event in ticket.events.all()
        ],
    }


def _tickets(queryset: QuerySet[Ticket]) -> list[Ticket]:
    return list(
        queryset.select_related("client", "outlet", "service", "status")
        .prefetch_related("comments__author", "comments__author_contact", "attachments", "events")
        .distinct()
        .order_by("number")
    )


def personal_data_export(
    *,
    actor: User | None,
    phone: str | None = None,
    card: str | None = None,
    request: HttpRequest | None = None,
    actor_label: str | None = None,
) -> dict[str, Any]:
    """Return everything held about the person with this phone or card (and log the export)."""
    _require_head(actor)
    contacts, needles = _subject_contacts(phone, card)
    own = _tickets(
        Ticket.objects.filter(Q(requester__in=contacts) | Q(comments__author_contact__in=contacts))
    )
    own_ids = {ticket.pk for ticket in own}
    mentioned = [
        t for t in _tickets(Ticket.objects.filter(_text_mentions(needles))) if t.pk not in own_ids
    ]
    event_query = Q(pk__in=[])
    for needle in needles:
        event_query |= Q(data__icontains=needle)
    events = (
        TicketEvent.objects.filter(event_query)
        .exclude(ticket_id__in=own_ids)
        .select_related("ticket")
        .order_by("created_at", "pk")
    )
    personal_data_viewed(
        actor=actor,
        contacts=contacts,
        purpose=AccessPurpose.EXPORT,
        request=request,
        actor_label=actor_label,
    )
    access_log = PersonalDataAccess.objects.filter(contact__in=contacts).order_by("at", "pk")
    return {
        "generated_at": clock.now().isoformat(),
        "query": {"phone": phone} if phone else {"card": card},
        "contacts": [
            {
                "id": contact.pk,
                "kind": contact.get_kind_display(),
                "name": contact.full_name,
                "client": contact.client.name if contact.client else None,
                "outlet": contact.outlet.name if contact.outlet else None,
                "notes": contact.notes,
                "created_at": contact.created_at.isoformat(),
                "anonymised_at": contact.anonymised_at.isoformat()
                if contact.anonymised_at
                else None,
                **contact_values(contact, full=True),
            }
            for contact in contacts
        ],
        "tickets": [_ticket_export(ticket) for ticket in own],
        "mentioned_in_tickets": [_ticket_export(ticket) for ticket in mentioned],
        "mentioned_in_events": [
            {
                "ticket": event.ticket.display_number,
                "type": event.type,
                "actor": event.actor_label,
                "created_at": event.created_at.isoformat(),
                "data": event.data,
            }
            for event in events
        ],
        "access_log": [
            {
                "at": row.at.isoformat(),
                "who": row.actor_label,
                "field": row.field,
                "purpose": row.purpose,
            }
            for row in access_log
        ],
    }
