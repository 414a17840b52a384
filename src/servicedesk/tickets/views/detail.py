"""The ticket page: header with SLA clocks, conversation, files, timeline and actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.accounts.roles import Capability, Role
from servicedesk.accounts.selectors import support_staff
from servicedesk.catalog.models import SlaLevel
from servicedesk.catalog.selectors import active_services
from servicedesk.core.errors import DomainError, NotFound, StaleVersion
from servicedesk.tickets.domain.statuses import StatusCategory
from servicedesk.tickets.models import Ticket
from servicedesk.tickets.selectors import (
    access_ticket,
    ticket_timeline,
    visible_attachments,
    visible_comments,
)
from servicedesk.tickets.services import allowed_statuses
from servicedesk.web import sla_view
from servicedesk.web.http import WebRequest, int_param, staff_required

BODY = "tickets/ticket_detail.html#ticket-body"
CONFLICT = gettext_lazy(
    "Пока вы смотрели обращение, его изменил кто-то другой. Ваше действие не применено: "
    "ниже — свежее состояние, проверьте его и повторите."
)


def _draft_key(ticket: Ticket) -> str:
    return f"draft:{ticket.number}"


def load_ticket(request: WebRequest, number: str) -> Ticket:
    try:
        return access_ticket(request.user, number)
    except NotFound as error:
        raise Http404(error.message) from error


def faster_levels(ticket: Ticket) -> list[SlaLevel]:
    """Return the SLA levels the ticket may be raised to (none if its service forbids it)."""
    if ticket.service is None or not ticket.service.raise_priority:
        return []
    levels = SlaLevel.objects.order_by("rank")
    if ticket.sla_level is not None:
        levels = levels.filter(rank__lt=ticket.sla_level.rank)
    return list(levels)


def classifier_suggestions(ticket: Ticket, services: list[Any]) -> list[dict[str, Any]]:
    """Return the classifier's suggestions as service, name and percent for the page."""
    names = {service.code: service.name for service in services}
    return [
        {
            "code": item["service"],
            "name": names[item["service"]],
            "percent": round(100 * float(item["probability"])),
            "current": ticket.service is not None and ticket.service.code == item["service"],
        }
        for item in ticket.suggested_services or []
        if isinstance(item, dict) and item.get("service") in names
    ]


def ticket_context(request: WebRequest, ticket: Ticket, draft: str = "") -> dict[str, Any]:
    """Return everything the ticket page shows, in a constant number of queries."""
    user = request.user
    services = active_services()
    return {
        "ticket": ticket,
        "suggestions": classifier_suggestions(ticket, services),
        "clocks": sla_view.clocks_for_tickets([ticket]).get(ticket.pk, []),
        "comments": list(visible_comments(user, ticket)),
        "attachments": list(visible_attachments(user, ticket)),
        "timeline": ticket_timeline(user, ticket),
        # Development gets a ticket only with a tracker key, through the escalation form.
        "statuses": [
            status
            for status in allowed_statuses(ticket, user)
            if status.category != StatusCategory.PENDING_DEVELOPMENT
        ],
        "staff": support_staff(),
        "roles": list(Role),
        "services": services,
        "levels": faster_levels(ticket),
        "can_escalate_to_development": user.can(Capability.ESCALATE_TO_DEVELOPMENT),
        "is_active": ticket.status.status_category.is_active,
        "draft": draft,
    }


@staff_required
def ticket_detail(request: WebRequest, number: str) -> HttpResponseBase:
    ticket = load_ticket(request, number)
    draft = request.session.pop(_draft_key(ticket), "")
    if request.htmx and not request.htmx.boosted:
        return render(request, BODY, ticket_context(request, ticket, draft))
    return render(request, "tickets/ticket_detail.html", ticket_context(request, ticket, draft))


@staff_required
def ticket_header(request: WebRequest, number: str) -> HttpResponseBase:
    """Return the header with fresh clocks; say so when someone changed the ticket meanwhile."""
    ticket = load_ticket(request, number)
    context = {
        "ticket": ticket,
        "clocks": sla_view.clocks_for_tickets([ticket]).get(ticket.pk, []),
        "changed_elsewhere": int_param(request, "v") not in (None, ticket.version),
    }
    return render(request, "tickets/ticket_detail.html#ticket-header", context)


def respond(
    request: WebRequest, number: str, *, status: int = 200, draft: str = ""
) -> HttpResponseBase:
    """Answer an action: the fresh ticket body for htmx, a redirect to the page otherwise."""
    ticket = load_ticket(request, number)
    if request.htmx:
        response = render(request, BODY, ticket_context(request, ticket, draft), status=status)
        response["HX-Trigger"] = "queueCountsChanged"  # the sidebar recounts at once
        return response
    if draft:
        request.session[_draft_key(ticket)] = draft
    return redirect("tickets:detail", ticket.display_number)


def act(
    request: WebRequest,
    number: str,
    call: Callable[[int], object],
    success: str,
    *,
    draft: str = "",
) -> HttpResponseBase:
    """Run one service call with the version the page was rendered with, and answer.

    A stale version answers 409 with the fresh state and the typed text kept; a refused
    action answers 422 with the service's Russian message.
    """
    version = int_param(request, "version")
    if version is None:
        messages.error(request, _("Страница устарела: обновите её и повторите действие."))
        return respond(request, number, status=422, draft=draft)
    try:
        call(version)
    except StaleVersion:
        messages.warning(request, CONFLICT)
        return respond(request, number, status=409, draft=draft)
    except NotFound as error:
        raise Http404(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
        return respond(request, number, status=422, draft=draft)
    messages.success(request, success)
    return respond(request, number)
