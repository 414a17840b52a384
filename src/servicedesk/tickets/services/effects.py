"""What the rest of the desk does after a ticket changes, inside the same transaction.

Each capability that reacts to ticket changes (SLA clocks, routing, notifications) is
called from here explicitly, so the order is visible in one place. Side effects that
leave the process (mail, push) must go through `transaction.on_commit`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from servicedesk.tickets.services.change import TicketChange


def after_create(change: TicketChange) -> None:
    """React to a new ticket (its CREATED event is already saved)."""


def after_change(change: TicketChange) -> None:
    """React to a saved change of an existing ticket."""
