"""Small helpers shared by the workspace and portal tests."""

from __future__ import annotations

from typing import Any

from servicedesk.tickets import services
from servicedesk.tickets.models import Ticket

HTMX = {"HTTP_HX_REQUEST": "true"}


def make_ticket(world: dict[str, Any], actor: str = "agent", **fields: Any) -> Ticket:
    """Register a ticket for Mega (incident, by phone) unless told otherwise."""
    data = {
        "subject": "Не начислились баллы",
        "client": world["mega"].code,
        "channel": "phone",
        "service": "incident",
    } | fields
    return services.ticket_create(actor=world[actor], data=services.NewTicket(**data))


def text_of(response: Any) -> str:
    return response.content.decode()
