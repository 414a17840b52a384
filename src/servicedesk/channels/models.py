"""Models of the request channels (Django looks for them here; they live next to their code)."""

from servicedesk.channels.email.models import (
    EmailTemplate,
    InboundMessage,
    Mailbox,
    OutboundMessage,
    TicketMessageId,
)

__all__ = ["EmailTemplate", "InboundMessage", "Mailbox", "OutboundMessage", "TicketMessageId"]
