"""Where a report links a ticket to: the staff ticket page, or the portal for client users.

Each route is resolved once per process (a report may link twenty thousand tickets);
if a page does not exist the link opens the ticket in the API, which a signed-in browser
may read with its session.
"""

from __future__ import annotations

from functools import lru_cache

from django.urls import NoReverseMatch, reverse

from servicedesk.tickets.models import format_ticket_number

_PLACEHOLDER = "TICKET-NUMBER"


@lru_cache(maxsize=2)
def _ticket_url_pattern(route: str) -> str:
    try:
        return reverse(route, args=[_PLACEHOLDER])
    except NoReverseMatch:
        return f"/api/v1/tickets/{_PLACEHOLDER}"


def ticket_url(number: int, *, for_client: bool = False) -> str:
    route = "portal:detail" if for_client else "tickets:detail"
    return _ticket_url_pattern(route).replace(_PLACEHOLDER, format_ticket_number(number))


def billing_url(month: str, client_code: str) -> str:
    """Return the billing page of one client and month (the tickets behind its numbers)."""
    return f"{reverse('reports:billing')}?month={month}&client={client_code}"
