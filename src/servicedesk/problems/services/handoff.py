"""Handing a ticket to the development tracker, following it there, getting it back."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q

from servicedesk.accounts.models import User
from servicedesk.accounts.roles import Capability, Role
from servicedesk.core import clock
from servicedesk.core.errors import NotFound, ValidationFailed
from servicedesk.problems.models import DevelopmentHandoff
from servicedesk.problems.options import problem_options
from servicedesk.problems.services.common import record_ticket_event, require_capability
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.domain.statuses import StatusCategory
from servicedesk.tickets.selectors import access_ticket, default_status
from servicedesk.tickets.services import rules, ticket_transition
from servicedesk.tickets.services.change import TicketChange

logger = logging.getLogger(__name__)

KEY_MAX = 64
URL_MAX = 500
STATE_MAX = 5000
SYSTEM_LABEL = "Передача в разработку"


def _key(value: str) -> str:
    return rules.require_text(
        value, field="tracker_key", label="Ключ в трекере", maximum=KEY_MAX, required=True
    )


def _url(value: str) -> str:
    url = value.strip()
    if not url:
        return ""
    if len(url) > URL_MAX:
        raise ValidationFailed(f"Ссылка длиннее {URL_MAX} символов", field="tracker_url")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as error:
        raise ValidationFailed(
            "Ссылка на задачу должна начинаться с http:// или https://", field="tracker_url"
        ) from error
    return url


def _state(value: str) -> str:
    return rules.require_text(
        value, field="state_note", label="Состояние", maximum=STATE_MAX, required=False
    )


def active_handoff_for_update(ticket_pk: int) -> DevelopmentHandoff | None:
    return (
        DevelopmentHandoff.objects.select_for_update()
        .filter(ticket_id=ticket_pk, returned_at__isnull=True)
        .first()
    )


@transaction.atomic
def ticket_handoff_to_development(
    *,
    actor: User,
    number: str | int,
    tracker_key: str,
    tracker_url: str = "",
    state_note: str = "",
) -> DevelopmentHandoff:
    """Pass the ticket to development: it waits in pending-development with the tracker key."""
    require_capability(actor, Capability.ESCALATE_TO_DEVELOPMENT, "Передача в разработку")
    key, url, state = _key(tracker_key), _url(tracker_url), _state(state_note)
    ticket = access_ticket(actor, number, for_update=True)
    current = active_handoff_for_update(ticket.pk)
    if current is not None:
        raise ValidationFailed(
            f"Обращение {ticket.display_number} уже передано в разработку "
            f"({current.tracker_key}): обновите состояние или верните его",
            field="tracker_key",
        )
    if not StatusCategory(ticket.status_category).is_active:
        raise ValidationFailed(
            f"Обращение {ticket.display_number} уже не в работе: передавать нечего",
            field="status",
        )
    now = clock.now()
    handoff = DevelopmentHandoff.objects.create(
        ticket=ticket,
        tracker_key=key,
        tracker_url=url,
        state_note=state,
        state_updated_at=now,
        handed_off_by=actor,
        handed_off_at=now,
    )
    ticket_transition(
        actor=actor,
        number=ticket.number,
        status=default_status(StatusCategory.PENDING_DEVELOPMENT).code,
        reason=f"Передано в разработку: {key}",
    )
    record_ticket_event(
        actor=actor,
        number=ticket.number,
        event_type=TicketEventType.HANDED_TO_DEVELOPMENT,
        data={"tracker_key": key, "tracker_url": url, "state": state},
    )
    return handoff


@transaction.atomic
def handoff_update_state(
    *,
    actor: User,
    number: str | int,
    state_note: str,
    tracker_key: str | None = None,
    tracker_url: str | None = None,
) -> DevelopmentHandoff:
    """Record what development last said about the ticket (and fix the key or link)."""
    require_capability(actor, Capability.ESCALATE_TO_DEVELOPMENT, "Передача в разработку")
    ticket = access_ticket(actor, number, for_update=True)
    handoff = active_handoff_for_update(ticket.pk)
    if handoff is None:
        raise NotFound(f"Обращение {ticket.display_number} не передано в разработку")
    handoff.state_note = _state(state_note)
    handoff.state_updated_at = clock.now()
    if tracker_key is not None:
        handoff.tracker_key = _key(tracker_key)
    if tracker_url is not None:
        handoff.tracker_url = _url(tracker_url)
    handoff.save(update_fields=["state_note", "state_updated_at", "tracker_key", "tracker_url"])
    record_ticket_event(
        actor=actor,
        number=ticket.number,
        event_type=TicketEventType.DEVELOPMENT_STATE_UPDATED,
        data={
            "tracker_key": handoff.tracker_key,
            "tracker_url": handoff.tracker_url,
            "state": handoff.state_note,
        },
    )
    return handoff


@transaction.atomic
def handoff_return(
    *,
    actor: User,
    number: str | int,
    note: str = "",
    status: str = StatusCategory.OPEN.value,
) -> DevelopmentHandoff:
    """Take the ticket back from development into `status` (back to work by default)."""
    require_capability(actor, Capability.ESCALATE_TO_DEVELOPMENT, "Возврат из разработки")
    ticket = access_ticket(actor, number, for_update=True)
    handoff = active_handoff_for_update(ticket.pk)
    if handoff is None:
        raise NotFound(f"Обращение {ticket.display_number} не передано в разработку")
    text = rules.require_text(note, field="note", label="Комментарий", maximum=5000, required=False)
    handoff.returned_at = clock.now()
    handoff.returned_by = actor
    handoff.return_note = text
    handoff.save(update_fields=["returned_at", "returned_by", "return_note"])
    record_ticket_event(
        actor=actor,
        number=ticket.number,
        event_type=TicketEventType.RETURNED_FROM_DEVELOPMENT,
        data={"tracker_key": handoff.tracker_key, "note": text},
    )
    if ticket.status_category == StatusCategory.PENDING_DEVELOPMENT:
        ticket_transition(
            actor=actor,
            number=ticket.number,
            status=status,
            reason=f"Возвращено из разработки ({handoff.tracker_key})",
        )
    return handoff


def close_handoff_on_status_change(change: TicketChange) -> None:
    """End the active hand-off when the ticket leaves pending-development by any other path.

    Someone resolved or reopened it in the UI, the admin or the API: the ticket is no
    longer waiting for development, so it must not be reminded about.
    """
    if "status_category" not in change.fields:
        return
    if change.ticket.status_category == StatusCategory.PENDING_DEVELOPMENT:
        return
    handoff = active_handoff_for_update(change.ticket.pk)
    if handoff is None:
        return
    note = f"Статус обращения изменён на «{change.ticket.status.name}»"
    handoff.returned_at = change.at
    handoff.returned_by = change.actor
    handoff.return_note = note
    handoff.save(update_fields=["returned_at", "returned_by", "return_note"])
    record_ticket_event(
        actor=None,
        number=change.ticket.number,
        event_type=TicketEventType.RETURNED_FROM_DEVELOPMENT,
        data={"tracker_key": handoff.tracker_key, "note": note},
        system_label=SYSTEM_LABEL,
    )


def _service_managers() -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, client__isnull=True, groups__name=Role.SERVICE_MANAGER.value
        )
        .order_by("username")
        .distinct()
    )


REMINDER_KIND = "development_reminder"


def deliver_reminder(
    recipients: list[User], handoffs: list[DevelopmentHandoff], now: datetime, days: int
) -> int:
    """Notify the service managers in the app, one notification per hand-off.

    The notification app e-mails a copy to everyone with an address after the commit.
    """
    from servicedesk.sla.notifications import notify_users

    sent = 0
    for handoff in handoffs:
        ticket = handoff.ticket
        age = (now - handoff.handed_off_at).days
        lines = [
            f"Обращение «{ticket.subject}» передано в разработку {age} дн. назад "
            f"(дольше {days} дн.) и ещё не вернулось.",
            f"Задача: {handoff.tracker_key}"
            + (f" — {handoff.tracker_url}" if handoff.tracker_url else ""),
        ]
        if handoff.state_note:
            lines.append(f"Последнее известное состояние: {handoff.state_note}")
        lines.append("Обновите состояние или верните обращение из разработки.")
        sent += notify_users(
            recipients,
            ticket=ticket,
            kind=REMINDER_KIND,
            title=f"{ticket.display_number} в разработке {age} дн.: {handoff.tracker_key}",
            body="\n".join(lines),
            at=now,
        )
    return sent


@transaction.atomic
def handoff_send_reminders(*, now: datetime | None = None) -> int:
    """Remind the service managers about hand-offs older than N days; return how many.

    Safe to run as often as wanted: before the configured local time nothing is sent,
    and each hand-off is claimed for today with a conditional update, so it is reminded
    at most once a day even with two workers racing. The in-app notifications are
    written in the same transaction as the claims: if that fails, both roll back and the
    next run tries again; the e-mail copies go after the commit (retried by their task).
    """
    now = now or clock.now()
    options = problem_options()
    local = now.astimezone(ZoneInfo(settings.TIME_ZONE))
    if local.time() < options.handoff_remind_at:
        return 0
    today = local.date()
    not_today = Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lt=today)
    cutoff = now - timedelta(days=options.handoff_remind_after_days)
    candidates = list(
        DevelopmentHandoff.objects.select_related("ticket")
        .filter(not_today, returned_at__isnull=True, handed_off_at__lte=cutoff)
        .order_by("handed_off_at", "pk")
    )
    claimed = [
        handoff
        for handoff in candidates
        if DevelopmentHandoff.objects.filter(not_today, pk=handoff.pk).update(
            last_reminded_on=today
        )
    ]
    if not claimed:
        return 0
    recipients = _service_managers()
    if not recipients:
        logger.warning(
            "Напоминание о %d передачах в разработку некому отправить: нет сервис-менеджеров",
            len(claimed),
        )
        return len(claimed)
    deliver_reminder(recipients, claimed, now, options.handoff_remind_after_days)
    return len(claimed)
