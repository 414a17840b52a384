"""The one write path for tickets: every state change goes through these functions."""

from servicedesk.tickets.services.comments import apply_comment, ticket_attach, ticket_comment
from servicedesk.tickets.services.create import NewTicket, ticket_create
from servicedesk.tickets.services.escalate import EscalationTarget, ticket_escalate
from servicedesk.tickets.services.fields import (
    UNSET,
    TicketPatch,
    apply_service_code,
    ticket_raise_priority,
    ticket_set_service,
    ticket_update,
)
from servicedesk.tickets.services.merge import ticket_merge
from servicedesk.tickets.services.notes import ticket_note_event
from servicedesk.tickets.services.reply import Upload, ticket_reply
from servicedesk.tickets.services.workflow import (
    allowed_statuses,
    ticket_assign,
    ticket_take,
    ticket_transition,
)

__all__ = [
    "UNSET",
    "EscalationTarget",
    "NewTicket",
    "TicketPatch",
    "Upload",
    "allowed_statuses",
    "apply_comment",
    "apply_service_code",
    "ticket_assign",
    "ticket_attach",
    "ticket_comment",
    "ticket_create",
    "ticket_escalate",
    "ticket_merge",
    "ticket_note_event",
    "ticket_raise_priority",
    "ticket_reply",
    "ticket_set_service",
    "ticket_take",
    "ticket_transition",
    "ticket_update",
]
