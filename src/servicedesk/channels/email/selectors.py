"""Reads of a ticket's e-mail: its correspondence, delivery states, and where quotes start.

The quote mark is the contract with the UI: a comment or ticket description that came
by e-mail holds the whole text, and `quote_starts` says at which character the quoted
history begins, so the page can show ``text[:start]`` and fold ``text[start:]`` into a
``<details>``. Text without an entry has no quote.
"""

from __future__ import annotations

from dataclasses import dataclass

from servicedesk.channels.email.models import InboundMessage, OutboundMessage
from servicedesk.tickets.models import Ticket

DESCRIPTION = "description"


@dataclass(frozen=True)
class TicketMail:
    """Everything the desk received and sent about one ticket, oldest first."""

    inbound: list[InboundMessage]
    outbound: list[OutboundMessage]


def ticket_mail(ticket: Ticket) -> TicketMail:
    inbound = list(
        InboundMessage.objects.filter(ticket=ticket)
        .select_related("mailbox")
        .order_by("received_at", "pk")
    )
    outbound = list(OutboundMessage.objects.filter(ticket=ticket).order_by("created_at", "pk"))
    return TicketMail(inbound=inbound, outbound=outbound)


def quote_starts(ticket: Ticket) -> dict[str | int, int]:
    """Return where quoted history starts: ``"description"`` or a comment id → offset."""
    starts: dict[str | int, int] = {}
    rows = InboundMessage.objects.filter(ticket=ticket, quote_start__isnull=False).values_list(
        "comment_id", "outcome", "quote_start"
    )
    for comment_id, outcome, start in rows:
        if start is None:
            continue
        if comment_id is not None:
            starts[comment_id] = start
        elif outcome == "created":
            starts[DESCRIPTION] = start
    return starts


def split_at_quote(text: str, start: int | None) -> tuple[str, str]:
    """Return (what the sender wrote, the quoted history) of a stored e-mail text."""
    if start is None or not 0 < start < len(text):
        return text, ""
    return text[:start].rstrip(), text[start:]
