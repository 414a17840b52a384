"""Fixtures of the personal-data tests: guests with tickets closed long ago."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from servicedesk.core import clock
from servicedesk.tickets import services
from servicedesk.tickets.models import Ticket


def months_ago(months: int) -> datetime:
    return clock.now() - timedelta(days=31 * months)


def ticket_closed_at(
    *,
    world: dict[str, Any],
    requester: Any,
    at: datetime,
    subject: str,
    description: str = "",
    comment: str = "",
    close: bool = True,
) -> Ticket:
    """Register a ticket at `at`, comment on it and (unless told not to) close it the same day."""
    agent = world["agent"]
    with clock.frozen_at(at):
        ticket = services.ticket_create(
            actor=agent,
            data=services.NewTicket(
                subject=subject,
                description=description,
                client=world["mega"].code,
                channel="phone",
                service="incident",
            ),
            requester=requester,
        )
        if comment:
            services.ticket_comment(actor=agent, number=ticket.number, body=comment)
    if close:
        with clock.frozen_at(at + timedelta(hours=2)):
            services.ticket_transition(actor=agent, number=ticket.number, status="resolved")
            services.ticket_transition(actor=agent, number=ticket.number, status="closed")
    return Ticket.objects.get(pk=ticket.pk)


@pytest.fixture
def old_ticket(world):
    """A guest's ticket closed 40 months ago, full of their phone, card, e-mail and name."""
    from servicedesk.accounts.models import Contact, ContactEmail

    guest = world["mega_guest"]
    Contact.objects.filter(pk=guest.pk).update(full_name="Иванова Мария", notes="VIP")
    ContactEmail.objects.create(contact=guest, address="maria@example.ru")
    guest.refresh_from_db()
    return ticket_closed_at(
        world=world,
        requester=guest,
        at=months_ago(40),
        subject="Иванова Мария: баллы по карте 2770000001001",
        description="Перезвонить на +7 916 123-45-67 или maria@example.ru",
        comment="Иванова Мария, баллы начислены, карта 2770 0000 0100 1",
    )
