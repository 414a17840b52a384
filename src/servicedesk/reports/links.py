"""Where a report links a ticket to.

The staff workspace and the portal (built separately) name their ticket page
`tickets:detail`; until that URL exists the link opens the ticket in the API, which a
signed-in browser may read with its session (client users see only their own tickets).
"""

from __future__ import annotations

from functools import lru_cache

from django.urls import NoReverseMatch, reverse

from servicedesk.tickets.models import format_ticket_number

_PLACEHOLDER = "TICKET-NUMBER"


@lru_cache(maxsize=1)
def _ticket_url_pattern() -> str:
    # Resolved once per process: a report links thousands of tickets.
    try:
        return reverse("tickets:detail", args=[_PLACEHOLDER])
    except NoReverseMatch:
        return f"/api/v1/tickets/{_PLACEHOLDER}"


def ticket_url(number: int) -> str:
    return _ticket_url_pattern().replace(_PLACEHOLDER, format_ticket_number(number))


def billing_url(month: str, client_code: str) -> str:
    """Return the billing page of one client and month (the tickets behind its numbers)."""
    return f"{reverse('reports:billing')}?month={month}&client={client_code}"
