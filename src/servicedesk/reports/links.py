"""Where a report links a ticket to.

The staff workspace and the portal (built separately) name their ticket page
`tickets:detail`; until that URL exists the link opens the ticket in the API, which a
signed-in browser may read with its session (client users see only their own tickets).
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from servicedesk.tickets.models import format_ticket_number


def ticket_url(number: int) -> str:
    display = format_ticket_number(number)
    try:
        return reverse("tickets:detail", args=[display])
    except NoReverseMatch:
        return f"/api/v1/tickets/{display}"


def billing_url(month: str, client_code: str) -> str:
    """Return the billing page of one client and month (the tickets behind its numbers)."""
    return f"{reverse('reports:billing')}?month={month}&client={client_code}"
