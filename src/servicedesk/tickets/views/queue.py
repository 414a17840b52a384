"""Queues: the agent's lists of tickets with filters, ordering, pages and live SLA badges."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponseBase, QueryDict
from django.shortcuts import render

from servicedesk.accounts.models import Client, SupportLine
from servicedesk.accounts.selectors import support_staff
from servicedesk.catalog.selectors import active_services
from servicedesk.tickets.models import Channel, TicketStatus
from servicedesk.tickets.selectors import (
    QUEUE_ORDERINGS,
    Queue,
    TicketFilters,
    queue_tickets,
)
from servicedesk.web import sla_view
from servicedesk.web.http import WebRequest, staff_required
from servicedesk.web.services import clean_querystring

PAGE_SIZES = (25, 50, 100)
FILTER_NAMES = ("service", "client", "outlet", "line", "channel", "status", "assignee", "q")
ORDERING_LABELS = {
    "due": "Срок решения",
    "-number": "Сначала новые",
    "number": "Сначала старые",
    "-created_at": "Дата создания",
    "-updated_at": "Недавно изменённые",
}


def _values(query: QueryDict, name: str) -> tuple[str, ...]:
    return tuple(value.strip() for value in query.getlist(name) if value.strip())


def filters_from(query: QueryDict) -> TicketFilters:
    """Read the queue filters from a query string; unknown values simply match nothing."""
    return TicketFilters(
        status=_values(query, "status"),
        service=_values(query, "service"),
        client=_values(query, "client"),
        outlet=query.get("outlet", "").strip() or None,
        assignee=query.get("assignee", "").strip() or None,
        line=_values(query, "line"),
        channel=_values(query, "channel"),
        role_queue=query.get("role_queue", "").strip() or None,
        text=query.get("q", "").strip()[:200] or None,
    )


def _queue(query: QueryDict) -> Queue:
    try:
        return Queue(query.get("queue", Queue.MINE))
    except ValueError:
        return Queue.MINE


def _page_size(query: QueryDict) -> int:
    raw = query.get("page_size", "")
    return int(raw) if raw.isdigit() and int(raw) in PAGE_SIZES else 50


def _choices() -> dict[str, Any]:
    return {
        "services": active_services(),
        "clients": list(Client.objects.filter(is_active=True).order_by("name")),
        "statuses": list(TicketStatus.objects.all()),
        "staff": support_staff(),
        "lines": SupportLine.choices,
        "channels": Channel.choices,
        "orderings": ORDERING_LABELS.items(),
    }


def default_ordering(queue: Queue) -> str:
    """Working queues go by resolution due time; the whole archive goes newest first."""
    return "-number" if queue == Queue.ALL else "due"


@staff_required
def ticket_queue(request: WebRequest) -> HttpResponseBase:
    query = request.GET
    queue = _queue(query)
    ordering = query.get("ordering", "")
    ordering = ordering if ordering in QUEUE_ORDERINGS else default_ordering(queue)
    filters = filters_from(query)
    tickets = queue_tickets(request.user, queue, filters, ordering)
    page = Paginator(tickets, _page_size(query)).get_page(query.get("page"))
    rows = list(page.object_list)
    context: dict[str, Any] = {
        "queue": queue,
        "filters": filters,
        "ordering": ordering,
        "page": page,
        "rows": rows,
        "clocks": sla_view.clocks_for_tickets(rows),
        "querystring": clean_querystring(query.urlencode()),
        "page_sizes": PAGE_SIZES,
        "filtered": any(query.get(name) for name in FILTER_NAMES),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "tickets/ticket_queue.html#queue-results", context)
    return render(request, "tickets/ticket_queue.html", context | _choices())
