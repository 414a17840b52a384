"""Writes from the client portal and from the guest's secret link."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from servicedesk.accounts.models import User
from servicedesk.catalog.selectors import services_for_client
from servicedesk.core.errors import Forbidden, ValidationFailed
from servicedesk.tickets.models import Channel, Comment, Ticket
from servicedesk.tickets.selectors import ticket_by_public_token
from servicedesk.tickets.services import NewTicket, Upload, ticket_create, ticket_reply
from servicedesk.tickets.services.comments import _validated_upload, ticket_attach

NOT_IN_CONTRACT = "Услуга «{name}» не входит в договор: обратитесь к менеджеру"


@transaction.atomic
def portal_ticket_create(
    *,
    actor: User,
    subject: str,
    description: str = "",
    service: str | None = None,
    outlet: str | None = None,
    files: Sequence[Upload] = (),
) -> Ticket:
    """Register a request from a client user; only services their contract covers.

    "Не знаю" (no service) is allowed: the support group classifies the request.
    """
    if actor.client is None:
        raise Forbidden("Создавать обращения в портале могут пользователи клиента")
    if service:
        choice = next((c for c in services_for_client(actor.client) if c.code == service), None)
        if choice is None:
            raise ValidationFailed(f"Услуга «{service}» не найдена", field="service")
        if not choice.covered:
            raise ValidationFailed(NOT_IN_CONTRACT.format(name=choice.name), field="service")
    for upload in files:  # refuse a bad file before the ticket is registered
        _validated_upload(upload.filename, upload.size)
    ticket = ticket_create(
        actor=actor,
        data=NewTicket(
            subject=subject,
            client=actor.client.code,
            channel=Channel.PORTAL,
            description=description,
            service=service or None,
            outlet=outlet or None,
        ),
    )
    for upload in files:
        ticket_attach(
            actor=actor,
            number=ticket.number,
            content=upload.content,
            filename=upload.filename,
            content_type=upload.content_type,
            size=upload.size,
            is_public=True,
        )
    return ticket


def guest_reply(*, token: str, body: str, files: Sequence[Upload] = ()) -> Comment | None:
    """Add the requester's reply through the secret link (as the requester contact)."""
    ticket = ticket_by_public_token(token)
    contact = ticket.requester
    return ticket_reply(
        actor=None,
        number=ticket.number,
        body=body,
        files=files,
        is_public=True,
        channel=Channel.PORTAL,
        author_contact=contact,
        system_label=f"{contact or 'Заявитель'} (по ссылке)",
    )
