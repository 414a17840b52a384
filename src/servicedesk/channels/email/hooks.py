"""What the e-mail channel does after a ticket changes (called from tickets/services/effects.py).

* a ticket created from an e-mail → "received" to the sender (not to bulk mail, and at
  most once per sender per the mailbox's interval);
* a public reply by staff → "reply" to the requester, if the requester has an address;
* the ticket resolved → "resolved" (with the reply text, when the same change had one).

Everything runs inside the ticket's transaction: the notification is recorded there
and sent after the commit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from servicedesk.channels.email.context import current_inbound
from servicedesk.channels.email.models import OutboundKind
from servicedesk.channels.email.outgoing import (
    email_outbound_record,
    format_due,
    recently_acknowledged,
    requester_address,
)
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.domain.statuses import StatusCategory
from servicedesk.tickets.models import Channel, Comment

if TYPE_CHECKING:
    from datetime import datetime

    from servicedesk.tickets.services.change import TicketChange


def email_after_create(change: TicketChange, due: tuple[datetime | None, datetime | None]) -> None:
    """Acknowledge a ticket that intake has just created from an e-mail.

    `due`: the reaction and resolution due instants of the clocks just started.
    """
    inbound = current_inbound()
    ticket = change.ticket
    if inbound is None or ticket.channel != Channel.EMAIL or not inbound.sender:
        return
    if not inbound.may_acknowledge:
        inbound.notes.append("автоответ не отправлен: письмо из рассылки")
        return
    if recently_acknowledged(inbound.sender, inbound.ack_interval_minutes, change.at):
        inbound.notes.append(
            f"автоответ не отправлен: {inbound.sender} уже получал его за последние "
            f"{inbound.ack_interval_minutes} мин"
        )
        return
    reaction_due, resolution_due = due
    email_outbound_record(
        ticket=ticket,
        kind=OutboundKind.RECEIVED,
        to=inbound.sender,
        values={
            "service": ticket.service.name
            if ticket.service is not None
            else "будет определена специалистом",
            "reaction_due": format_due(reaction_due),
            "resolution_due": format_due(resolution_due),
        },
        mailbox=inbound.mailbox,
        in_reply_to=inbound.message_id,
        references=(*inbound.references, inbound.message_id),
        auto_submitted="auto-replied",
    )


def email_after_change(change: TicketChange) -> None:
    """Tell the requester about a public staff reply or a resolution."""
    if current_inbound() is not None:
        return  # intake's own writes (a requester's mail) never answer by mail
    resolved = (
        change.ticket.status_category == StatusCategory.RESOLVED
        and change.previous.get("status_category", StatusCategory.RESOLVED)
        != StatusCategory.RESOLVED
    )
    reply = _public_staff_reply(change)
    if not resolved and reply is None:
        return
    address = requester_address(change.ticket)
    if address is None:
        return
    if resolved or reply is None:
        email_outbound_record(
            ticket=change.ticket,
            kind=OutboundKind.RESOLVED,
            to=address,
            values={"reply": reply.body if reply is not None else ""},
            comment=reply,
        )
        return
    email_outbound_record(
        ticket=change.ticket,
        kind=OutboundKind.REPLY,
        to=address,
        values={"reply": reply.body, "agent": str(change.actor) if change.actor else ""},
        comment=reply,
        auto_submitted="",
    )


def _public_staff_reply(change: TicketChange) -> Comment | None:
    if change.actor is None or not change.actor.is_support_staff:
        return None
    for event in change.events:
        if (
            event.type == TicketEventType.COMMENTED
            and event.data.get("public")
            and event.comment is not None
        ):
            return event.comment
    return None
