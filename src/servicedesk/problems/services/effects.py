"""How problems react to ticket changes (called from tickets' `after_change`)."""

from __future__ import annotations

from servicedesk.problems.services.handoff import close_handoff_on_status_change
from servicedesk.problems.services.mass import cascade_resolution, detach_reopened_child
from servicedesk.tickets.services.change import TicketChange


def on_ticket_change(change: TicketChange) -> None:
    """Cascade a parent's resolution, detach reopened children, end stale hand-offs."""
    cascade_resolution(change)
    detach_reopened_child(change)
    close_handoff_on_status_change(change)
