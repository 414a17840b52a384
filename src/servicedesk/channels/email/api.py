"""The e-mail of a ticket over the API: what came in, what went out and whether it arrived."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from servicedesk.api.auth import current_user
from servicedesk.api.schemas import ERRORS
from servicedesk.channels.email.selectors import quote_starts, ticket_mail
from servicedesk.core.errors import Forbidden
from servicedesk.tickets.selectors import access_ticket

router = Router(tags=["E-mail"])


class InboundOut(Schema):
    id: int
    message_id: str
    from_address: str
    subject: str
    received_at: datetime
    status: str
    outcome: str
    reason: str
    comment_id: int | None
    quote_start: int | None


class OutboundOut(Schema):
    id: int
    kind: str
    to_address: str
    subject: str
    message_id: str
    status: str
    attempts: int
    last_error: str
    created_at: datetime
    sent_at: datetime | None
    bounce_detail: str


class TicketMailOut(Schema):
    inbound: list[InboundOut]
    outbound: list[OutboundOut]
    quote_starts: dict[str, int]


@router.get(
    "/tickets/{number}/email",
    response={200: TicketMailOut, **ERRORS},
    summary="Письма обращения",
    description=(
        "Входящие и исходящие письма обращения с состоянием доставки. `quote_starts`: "
        "для описания (`description`) и комментариев (id) — позиция, с которой в тексте "
        "начинается цитируемая переписка. Только для сотрудников поддержки."
    ),
)
def ticket_email(request: HttpRequest, number: str) -> Any:
    user = current_user(request)
    ticket = access_ticket(user, number)
    if not user.is_support_staff:
        raise Forbidden("Письма обращения доступны только сотрудникам поддержки")
    mail = ticket_mail(ticket)
    return {
        "inbound": mail.inbound,
        "outbound": mail.outbound,
        "quote_starts": {str(key): value for key, value in quote_starts(ticket).items()},
    }
