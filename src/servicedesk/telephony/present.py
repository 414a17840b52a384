"""Turn calls, pop-ups and call-back items into the dicts the API schemas describe."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from servicedesk.telephony.models import Call, CallPopup
from servicedesk.telephony.selectors import CallbackItem, CallerCard


def _ref(obj: Any) -> dict[str, str] | None:
    return {"code": obj.code, "name": obj.name} if obj is not None else None


def call_out(call: Call) -> dict[str, Any]:
    return {
        "call_id": call.call_id,
        "direction": call.direction or None,
        "from_number": call.from_number or call.from_raw,
        "to_number": call.to_number or call.to_raw,
        "queue": call.queue,
        "state": call.state,
        "started_at": call.started_at,
        "answered_at": call.answered_at,
        "ended_at": call.ended_at,
        "duration": call.duration,
        "missed": call.missed,
        "answered_by": {"username": call.answered_by.username, "name": str(call.answered_by)}
        if call.answered_by
        else None,
        "cause": call.cause,
        "contact": str(call.caller_contact) if call.caller_contact else None,
        "client": _ref(call.caller_client),
        "outlet": _ref(call.caller_outlet),
        "recording": call.recording_status,
        "recording_url": reverse("api-v1:call_recording", kwargs={"call_id": call.call_id})
        if call.recording
        else None,
        "tickets": [link.ticket.display_number for link in call.ticket_links.all()],
        "callback": call.callback_status or None,
    }


def popup_out(popup: CallPopup, card: CallerCard) -> dict[str, Any]:
    return {
        "id": popup.pk,
        "call": call_out(popup.call),
        "phone": card.phone,
        "contacts": [
            {
                "id": c.pk,
                "name": str(c),
                "kind": c.kind,
                "client": _ref(c.client),
                "outlet": _ref(c.outlet),
            }
            for c in card.contacts
        ],
        "outlets": [{"code": o.code, "name": o.name} for o in card.outlets],
        "clients": [{"code": c.code, "name": c.name} for c in card.clients],
        "open_tickets": [
            {
                "number": t.display_number,
                "subject": t.subject,
                "status": t.status.name,
                "client": t.client.name,
            }
            for t in card.open_tickets
        ],
        "call_card_url": card.call_card_url,
        "shown_at": popup.shown_at,
    }


def callback_out(item: CallbackItem) -> dict[str, Any]:
    latest = item.latest
    return {
        "number": item.number,
        "call": latest.call_id,
        "missed_count": item.missed_count,
        "first_missed_at": item.first_missed_at,
        "last_missed_at": latest.started_at,
        "attempts": item.attempts,
        "last_attempt_at": item.last_attempt_at,
        "last_attempt_note": item.last_attempt_note,
        "contact": str(latest.caller_contact) if latest.caller_contact else None,
        "client": _ref(latest.caller_client),
        "outlet": _ref(latest.caller_outlet),
    }
