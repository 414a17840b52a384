"""Registering a new ticket."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from servicedesk.accounts.models import Contact, Outlet, User
from servicedesk.catalog.selectors import effective_sla_level
from servicedesk.core import clock
from servicedesk.core.deferred import insert_rows
from servicedesk.core.errors import ValidationFailed
from servicedesk.core.transactions import service_atomic
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.domain.statuses import StatusCategory
from servicedesk.tickets.models import Channel, Ticket, TicketEvent
from servicedesk.tickets.numbers import next_ticket_number
from servicedesk.tickets.selectors import default_status
from servicedesk.tickets.services import effects, rules
from servicedesk.tickets.services.change import TicketChange, actor_label
from servicedesk.tickets.services.classify import suggest_service
from servicedesk.tickets.services.comments import NewFile, apply_attachment


@dataclass(frozen=True)
class NewTicket:
    """What a channel knows about a request when it registers it."""

    subject: str
    client: str
    channel: str
    description: str = ""
    service: str | None = None
    outlet: str | None = None
    requester_id: int | None = None
    line: str | None = None
    assignee: str | None = None
    role_queue: str = ""


@service_atomic
def ticket_create(
    *,
    actor: User | None,
    data: NewTicket,
    requester: Contact | None = None,
    system_label: str = "Система",
    created_at: datetime | None = None,
    files: Sequence[tuple[NewFile, str]] = (),
) -> Ticket:
    """Register a request; a line the client did not buy is flagged, never refused.

    `files` (checked by `check_file`) are attached in the same change: the ticket is
    born with them, one version and one set of effects, as a mail with attachments is.
    """
    subject = rules.require_text(
        data.subject, field="subject", label="Тема", maximum=rules.SUBJECT_MAX, required=True
    )
    description = rules.require_text(
        data.description,
        field="description",
        label="Описание",
        maximum=rules.TEXT_MAX,
        required=False,
    )
    if data.channel not in Channel.values:
        raise ValidationFailed(f"Неизвестный канал «{data.channel}»", field="channel")
    client = rules.client_by_code(actor, data.client)
    service = rules.service_by_code(data.service) if data.service else None
    outlet: Outlet | None = rules.outlet_of_client(client, data.outlet) if data.outlet else None
    if requester is None and data.requester_id is not None:
        requester = rules.contact_for_client(client, data.requester_id)
    is_client_user = actor is not None and actor.client_id is not None
    if is_client_user and (data.assignee or data.role_queue or data.line):
        raise ValidationFailed(
            "Пользователь клиента не выбирает линию, очередь и исполнителя", field="assignee"
        )
    assignee = rules.staff_assignee(data.assignee) if data.assignee else None
    status = default_status(StatusCategory.NEW)
    at = created_at or clock.now()
    ticket = Ticket(
        number=next_ticket_number(),
        subject=subject,
        description=description,
        client=client,
        outlet=outlet,
        requester=requester,
        requester_user=actor if is_client_user else None,
        channel=data.channel,
        status=status,
        status_category=status.category,
        assignee=assignee,
        role_queue=data.role_queue,
        created_by=actor,
        created_at=at,
        updated_at=at,
        line="",
    )
    change = TicketChange(ticket=ticket, actor=actor, at=at, label=actor_label(actor, system_label))
    if service is None:
        service = suggest_service(change)
    ticket.service = service
    ticket.sla_level = effective_sla_level(service) if service else None
    rules.apply_line(change, data.line or rules.default_line(client, service))
    effects.before_create(
        change, line_given=bool(data.line), assign=not (data.assignee or data.role_queue)
    )
    ticket.save(force_insert=True)
    created = change.record(
        TicketEventType.CREATED,
        {
            "subject": subject,
            "client": client.code,
            "channel": data.channel,
            "service": service.code if service else None,
            "sla_level": ticket.sla_level.code if ticket.sla_level else None,
            "line": ticket.line,
            "status": status.code,
            "assignee": ticket.assignee.username if ticket.assignee else None,
        },
    )
    change.events.remove(created)
    change.events.insert(0, created)
    for file, name in files:
        apply_attachment(change, file, name, None)
    insert_rows(TicketEvent, change.events)
    effects.after_create(change)
    return ticket
