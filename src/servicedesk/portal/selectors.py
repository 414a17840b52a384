"""Reads of the client portal and the guest's secret link: public things only."""

from __future__ import annotations

from django.db.models import QuerySet

from servicedesk.accounts.models import Outlet, User
from servicedesk.core.errors import NotFound
from servicedesk.tickets.domain.statuses import ACTIVE_CATEGORIES
from servicedesk.tickets.models import Attachment, Comment, Ticket
from servicedesk.tickets.selectors import (
    TicketFilters,
    filter_tickets,
    ticket_by_public_token,
    visible_tickets,
    with_related,
)


def portal_tickets(actor: User, *, only_open: bool, text: str = "") -> QuerySet[Ticket]:
    """Return the client user's organisation's tickets, newest first."""
    tickets = with_related(visible_tickets(actor)).order_by("-number")
    if only_open:
        tickets = tickets.filter(status_category__in=ACTIVE_CATEGORIES)
    if text:
        tickets = filter_tickets(tickets, TicketFilters(text=text))
    return tickets


def client_outlets(actor: User) -> list[Outlet]:
    if actor.client_id is None:
        return []
    return list(Outlet.objects.filter(client_id=actor.client_id, is_active=True))


def guest_ticket(token: str) -> Ticket:
    """Return the ticket behind a secret link, or NotFound."""
    return ticket_by_public_token(token)


def public_comments(ticket: Ticket) -> QuerySet[Comment]:
    return (
        ticket.comments.filter(is_public=True)
        .select_related("author", "author_contact")
        .prefetch_related("attachments")
    )


def public_attachments(ticket: Ticket) -> QuerySet[Attachment]:
    return ticket.attachments.filter(is_public=True)


def guest_attachment(token: str, attachment_id: int) -> Attachment:
    """Return a public file of the secret link's ticket; anything else is NotFound."""
    ticket = ticket_by_public_token(token)
    attachment = public_attachments(ticket).filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound("Файл не найден")
    return attachment
