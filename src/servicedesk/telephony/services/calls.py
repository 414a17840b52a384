"""What agents do with calls: link a ticket, call a missed caller back, close a pop-up."""

from __future__ import annotations

from django.db import transaction

from servicedesk.accounts.models import User
from servicedesk.core import clock
from servicedesk.core.errors import Forbidden, NotFound, ValidationFailed
from servicedesk.telephony.models import (
    Call,
    CallbackAttempt,
    CallbackStatus,
    CallPopup,
    CallTicket,
    RecordingStatus,
)
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.selectors import access_ticket
from servicedesk.tickets.services.change import begin_change, finish_change

NOTE_MAX = 500


def _require_staff(actor: User, what: str) -> None:
    if not actor.is_support_staff:
        raise Forbidden(f"{what}: доступно только сотрудникам поддержки")


def _locked_call(call_id: str) -> Call:
    call = Call.objects.select_for_update().filter(call_id=call_id).first()
    if call is None:
        raise NotFound(f"Звонок «{call_id}» не найден")
    return call


@transaction.atomic
def call_link_ticket(*, actor: User, call_id: str, ticket_number: str | int) -> CallTicket:
    """Link the ticket created or updated during the call (repeat: no-op).

    The ticket's history gets a `call_linked` event. If the call's recording is
    already stored, it is attached to the ticket now; otherwise the download task
    attaches it when it arrives.
    """
    _require_staff(actor, "Связь звонка с обращением")
    call = _locked_call(call_id)
    ticket = access_ticket(actor, ticket_number, for_update=True)
    link, created = CallTicket.objects.get_or_create(
        call=call, ticket=ticket, defaults={"linked_by": actor, "linked_at": clock.now()}
    )
    if not created:
        return link
    change = begin_change(actor=actor, number=ticket.number, expected_version=None)
    change.record(
        TicketEventType.CALL_LINKED,
        {
            "call": call.call_id,
            "direction": call.direction,
            "number": call.counterpart,
            "started_at": call.started_at.isoformat(),
            "duration": call.duration,
            "missed": call.missed,
        },
    )
    finish_change(change)
    if call.recording_status == RecordingStatus.DOWNLOADED:
        from servicedesk.telephony.services.recordings import attach_recording

        attach_recording(call, link)
    return link


@transaction.atomic
def callback_mark(*, actor: User, call_id: str, reached: bool, note: str = "") -> CallbackAttempt:
    """Record an attempt to call a missed caller back.

    Reached: every pending missed call from that number leaves the queue. Not reached:
    the number stays in the queue with the attempt and its note shown.
    """
    _require_staff(actor, "Перезвон")
    call = _locked_call(call_id)
    if call.callback_status != CallbackStatus.PENDING:
        raise ValidationFailed("Этот звонок уже не в очереди на перезвон", field="call")
    text = note.strip()
    if len(text) > NOTE_MAX:
        raise ValidationFailed(f"Результат длиннее {NOTE_MAX} символов", field="note")
    now = clock.now()
    attempt = CallbackAttempt.objects.create(
        call=call, user=actor, at=now, reached=reached, note=text
    )
    if reached:
        Call.objects.filter(
            callback_status=CallbackStatus.PENDING, from_number=call.from_number
        ).update(callback_status=CallbackStatus.DONE, called_back_at=now, called_back_by=actor)
    return attempt


@transaction.atomic
def popup_dismiss(*, actor: User, popup_id: int) -> CallPopup:
    """Close the caller card on this user's screen (another user's pop-up is not found)."""
    popup = CallPopup.objects.select_for_update().filter(pk=popup_id, user=actor).first()
    if popup is None:
        raise NotFound("Карточка звонка не найдена")
    if popup.dismissed_at is None:
        popup.dismissed_at = clock.now()
        popup.dismiss_reason = "dismissed"
        popup.save(update_fields=["dismissed_at", "dismiss_reason"])
    return popup


def popup_mark_shown(popup: CallPopup) -> None:
    """Remember when the card was first shown (for the call log; repeated polls keep it)."""
    if popup.shown_at is None:
        CallPopup.objects.filter(pk=popup.pk, shown_at__isnull=True).update(shown_at=clock.now())
