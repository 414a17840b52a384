"""Turn tickets into the plain dicts the API schemas describe."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from servicedesk.accounts.models import Contact, User
from servicedesk.sla.selectors import ClockView, clocks_for_ticket_ids
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.models import (
    Attachment,
    Comment,
    Ticket,
    TicketEvent,
    format_ticket_number,
)
from servicedesk.tickets.selectors import ROW_VALUES, card_values, ticket_values


def clock_out(view: ClockView) -> dict[str, Any]:
    return {
        "target": view.target,
        "label": view.label,
        "calendar": view.calendar,
        "due_at": view.due_at,
        "elapsed_seconds": view.elapsed_seconds,
        "remaining_seconds": view.remaining_seconds,
        "target_seconds": view.target_seconds,
        "state": view.state,
        "paused": view.state == "paused",
        "breached": view.state == "breached",
        "at_risk": view.at_risk,
        "breached_at": view.breached_at,
        "stopped_at": view.stopped_at,
    }


def row_out(values: dict[str, Any], clocks: list[ClockView]) -> dict[str, Any]:
    """Return a list row from the `ROW_VALUES` of one ticket and its clocks."""
    return {
        "number": format_ticket_number(values["number"]),
        "subject": values["subject"],
        "client": {"code": values["client__code"], "name": values["client__name"]},
        "outlet": {"code": values["outlet__code"], "name": values["outlet__name"]}
        if values["outlet__code"] is not None
        else None,
        "channel": values["channel"],
        "service": {"code": values["service__code"], "name": values["service__name"]}
        if values["service__code"] is not None
        else None,
        "line": values["line"],
        "sla_level": {"code": values["sla_level__code"], "priority": values["sla_level__priority"]}
        if values["sla_level__code"] is not None
        else None,
        "status": {
            "code": values["status__code"],
            "name": values["status__name"],
            "category": values["status_category"],
        },
        "assignee": {
            "username": values["assignee__username"],
            "name": User.display_name(
                values["assignee__first_name"],
                values["assignee__last_name"],
                values["assignee__username"],
            ),
        }
        if values["assignee__username"] is not None
        else None,
        "role_queue": values["role_queue"],
        "created_at": values["created_at"],
        "updated_at": values["updated_at"],
        "version": values["version"],
        "sla": [clock_out(view) for view in clocks],
    }


def card_out(values: dict[str, Any], clocks: list[ClockView]) -> dict[str, Any]:
    """Return a ticket card from the `CARD_VALUES` of one ticket and its clocks."""
    requester = values["requester_id"]
    return row_out(values, clocks) | {
        "description": values["description"],
        "requester": {
            "id": requester,
            "name": Contact.display_name(
                values["requester__full_name"], values["requester__kind"], requester
            ),
            "kind": values["requester__kind"],
        }
        if requester is not None
        else None,
        "line_not_in_contract": values["line_not_in_contract"],
        "priority_raised": values["priority_raised"],
        "first_reaction_at": values["first_reaction_at"],
        "resolved_at": values["resolved_at"],
        "closed_at": values["closed_at"],
    }


def ticket_rows(queryset: QuerySet[Ticket]) -> dict[int, dict[str, Any]]:
    """Return {ticket number: list row} for the tickets of `queryset` (two queries in all)."""
    found = ticket_values(queryset, ROW_VALUES)
    clocks = clocks_for_ticket_ids(list(found))
    return {values["number"]: row_out(values, clocks.get(key, [])) for key, values in found.items()}


def ticket_card(actor: User, number: str | int) -> dict[str, Any]:
    """Return the card of one ticket the actor may see (NotFound otherwise)."""
    values = card_values(actor, number)
    return card_out(values, clocks_for_ticket_ids([values["id"]]).get(values["id"], []))


def attachment_out(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "public": attachment.is_public,
        "created_at": attachment.created_at,
        "url": reverse("api-v1:attachment_download", kwargs={"attachment_id": attachment.pk}),
    }


def comment_out(comment: Comment, *, include_internal_files: bool) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "author": comment.author_label,
        "public": comment.is_public,
        "channel": comment.channel,
        "body": comment.body,
        "created_at": comment.created_at,
        "attachments": [
            attachment_out(a)
            for a in comment.attachments.all()
            if a.is_public or include_internal_files
        ],
    }


def event_out(event: TicketEvent) -> dict[str, Any]:
    try:
        label = TicketEventType(event.type).label
    except ValueError:
        label = event.type
    return {
        "id": event.pk,
        "type": event.type,
        "label": label,
        "actor": event.actor_label,
        "created_at": event.created_at,
        "data": event.data,
    }
