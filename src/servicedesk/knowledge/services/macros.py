"""Reply templates: fill the placeholders from the ticket, then reply and reclassify at once."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from servicedesk.accounts.models import User
from servicedesk.core.errors import ValidationFailed
from servicedesk.knowledge.domain.placeholders import (
    PLACEHOLDERS,
    render_placeholders,
    unknown_placeholders,
)
from servicedesk.knowledge.models import Macro
from servicedesk.knowledge.selectors import access_macro
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.domain.statuses import StatusCategory
from servicedesk.tickets.models import Channel, Comment, Ticket, TicketStatus
from servicedesk.tickets.selectors import access_ticket
from servicedesk.tickets.services import apply_comment, apply_service_code
from servicedesk.tickets.services.change import begin_change, finish_change
from servicedesk.tickets.services.workflow import apply_status, resolve_status

DueTimes = tuple[datetime | None, datetime | None]
NO_NAME = "уважаемый клиент"
NOT_SET = "не определён"


def ticket_due_times(ticket: Ticket) -> DueTimes:
    """Return (reaction due, resolution due) of a ticket, or (None, None).

    The SLA capability is built separately: when `servicedesk.sla.selectors` offers
    `ticket_due_times(ticket)`, its answer is used; until then (or if it has none for
    this ticket) the templates say "не определён".
    """
    try:
        module = importlib.import_module("servicedesk.sla.selectors")
    except ImportError:
        return None, None
    provider: Callable[[Ticket], Any] | None = getattr(module, "ticket_due_times", None)
    if provider is None:
        return None, None
    answer = provider(ticket)
    if not answer:
        return None, None
    reaction, resolution = answer
    return reaction, resolution


def _when(moment: datetime | None) -> str:
    return date_format(timezone.localtime(moment), "j E Y, H:i") if moment else NOT_SET


def placeholder_values(ticket: Ticket, actor: User) -> dict[str, str]:
    """Return the text each placeholder stands for on this ticket."""
    requester = ""
    if ticket.requester is not None:
        requester = ticket.requester.full_name
    elif ticket.requester_user is not None:
        requester = ticket.requester_user.get_full_name()
    reaction, resolution = ticket_due_times(ticket)
    return {
        "requester_name": requester.strip() or NO_NAME,
        "ticket_number": ticket.display_number,
        "reaction_due": _when(reaction),
        "resolution_due": _when(resolution),
        "client": ticket.client.name,
        "service": ticket.service.name if ticket.service else "не выбрана",
        "agent_name": str(actor),
    }


def macro_validate(*, body: str, set_status: str = "") -> None:
    """Refuse a template with unknown placeholders or an unknown status (422, Russian)."""
    if not body.strip():
        raise ValidationFailed("Заполните текст шаблона", field="body")
    unknown = unknown_placeholders(body)
    if unknown:
        allowed = ", ".join("{{ %s }}" % name for name in PLACEHOLDERS)  # noqa: UP031
        raise ValidationFailed(
            f"Неизвестные подстановки: {', '.join(unknown)}. Доступны: {allowed}", field="body"
        )
    if set_status and not (
        TicketStatus.objects.filter(code=set_status).exists()
        or set_status in StatusCategory.__members__.values()
    ):
        raise ValidationFailed(f"Неизвестный статус «{set_status}»", field="set_status")


def macro_preview(*, actor: User, ticket_number: str | int, macro_id: int) -> str:
    """Return the template's text as it would be posted on this ticket."""
    macro = access_macro(actor, macro_id)
    ticket = access_ticket(actor, ticket_number)
    return render_placeholders(macro.body, placeholder_values(ticket, actor))


@dataclass(frozen=True)
class MacroResult:
    ticket: Ticket
    comment: Comment
    macro: Macro


@transaction.atomic
def macro_apply(
    *,
    actor: User,
    ticket_number: str | int,
    macro_id: int,
    expected_version: int | None = None,
    channel: str = Channel.API,
) -> MacroResult:
    """Post the filled-in reply and set the template's service and status: one new version.

    Everything happens in one ticket change, so the history shows the reply, the service
    change and the status change together, and a stale `expected_version` (409) or a
    transition the rules forbid leaves the ticket untouched.
    """
    macro = access_macro(actor, macro_id)
    change = begin_change(actor=actor, number=ticket_number, expected_version=expected_version)
    text = render_placeholders(macro.body, placeholder_values(change.ticket, actor))
    comment = apply_comment(change, body=text, is_public=macro.is_public, channel=channel)
    if macro.set_service is not None:
        apply_service_code(change, macro.set_service.code)
    if macro.set_status:
        apply_status(change, resolve_status(macro.set_status), reason=f"Шаблон «{macro.name}»")
    change.record(TicketEventType.MACRO_APPLIED, {"macro_id": macro.pk, "name": macro.name})
    ticket = finish_change(change)
    return MacroResult(ticket=ticket, comment=comment, macro=macro)
