"""Turn tickets into the plain dicts the API schemas describe."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from servicedesk.accounts.models import Contact, User
from servicedesk.catalog.models import SlaLevel
from servicedesk.sla.selectors import ClockView, ticket_clocks
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.models import Attachment, Comment, Ticket, TicketEvent


def _person(user: User | None) -> dict[str, str] | None:
    return {"username": user.username, "name": str(user)} if user is not None else None


def _level(level: SlaLevel | None) -> dict[str, str] | None:
    return {"code": level.code, "priority": level.priority} if level is not None else None


def _contact(contact: Contact | None) -> dict[str, Any] | None:
    if contact is None:
        return None
    return {"id": contact.pk, "name": str(contact), "kind": contact.kind}


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


def ticket_row(ticket: Ticket, clocks: list[ClockView] | None = None) -> dict[str, Any]:
    if clocks is None:
        clocks = ticket_clocks(ticket)
    return {
        "number": ticket.display_number,
        "subject": ticket.subject,
        "client": {"code": ticket.client.code, "name": ticket.client.name},
        "outlet": {"code": ticket.outlet.code, "name": ticket.outlet.name}
        if ticket.outlet
        else None,
        "channel": ticket.channel,
        "service": {"code": ticket.service.code, "name": ticket.service.name}
        if ticket.service
        else None,
        "line": ticket.line,
        "sla_level": _level(ticket.sla_level),
        "status": {
            "code": ticket.status.code,
            "name": ticket.status.name,
            "category": ticket.status_category,
        },
        "assignee": _person(ticket.assignee),
        "role_queue": ticket.role_queue,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
        "version": ticket.version,
        "sla": [clock_out(view) for view in clocks],
    }


def ticket_detail(ticket: Ticket) -> dict[str, Any]:
    return ticket_row(ticket) | {
        "description": ticket.description,
        "requester": _contact(ticket.requester),
        "line_not_in_contract": ticket.line_not_in_contract,
        "priority_raised": ticket.priority_raised,
        "first_reaction_at": ticket.first_reaction_at,
        "resolved_at": ticket.resolved_at,
        "closed_at": ticket.closed_at,
    }


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
