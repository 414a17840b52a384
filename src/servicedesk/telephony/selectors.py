"""Reads of telephony: settings, the current pop-up of a user, the call-back queue, calls."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import QuerySet

from servicedesk.accounts.models import Client, Contact, Outlet, User
from servicedesk.accounts.selectors import lookup_by_phone
from servicedesk.core import clock
from servicedesk.core.errors import NotFound
from servicedesk.core.identifiers import InvalidIdentifier
from servicedesk.telephony.models import Call, CallbackStatus, CallPopup, TelephonySettings
from servicedesk.tickets.domain.statuses import ACTIVE_CATEGORIES
from servicedesk.tickets.models import Ticket

CALL_CARD_URL = "/calls/new/"
OPEN_TICKETS_SHOWN = 10
CALLBACK_QUEUE_MAX = 500


def telephony_settings() -> TelephonySettings:
    """Return the one settings row (created with defaults on first use)."""
    row, _ = TelephonySettings.objects.get_or_create(pk=1)
    return row


def call_by_id(call_id: str) -> Call:
    call = Call.objects.select_related("answered_by").filter(call_id=call_id).first()
    if call is None:
        raise NotFound(f"Звонок «{call_id}» не найден")
    return call


@dataclass
class CallerCard:
    """Who is on the line, as the pop-up and the call card show it."""

    call: Call
    phone: str
    contacts: list[Contact] = field(default_factory=list)
    outlets: list[Outlet] = field(default_factory=list)
    clients: list[Client] = field(default_factory=list)
    open_tickets: list[Ticket] = field(default_factory=list)

    @property
    def call_card_url(self) -> str:
        return f"{CALL_CARD_URL}?{urlencode({'phone': self.phone, 'call': self.call.call_id})}"

    @property
    def known(self) -> bool:
        return bool(self.contacts or self.outlets)


def caller_card(call: Call) -> CallerCard:
    """Look the caller up now (contacts, outlets, their clients, open tickets)."""
    phone = call.counterpart or call.from_raw
    card = CallerCard(call=call, phone=phone)
    if phone:
        try:
            found = lookup_by_phone(phone)
        except InvalidIdentifier:
            found = None
        if found is not None:
            card.contacts, card.outlets = found.contacts, found.outlets
    clients: dict[int, Client] = {}
    for contact in card.contacts:
        if contact.client is not None:
            clients[contact.client.pk] = contact.client
    for outlet in card.outlets:
        clients[outlet.client.pk] = outlet.client
    card.clients = list(clients.values())
    if card.contacts or card.outlets:
        tickets = Ticket.objects.filter(status_category__in=ACTIVE_CATEGORIES)
        by_contact = tickets.filter(requester__in=card.contacts)
        by_outlet = tickets.filter(outlet__in=card.outlets)
        card.open_tickets = list(
            (by_contact | by_outlet)
            .select_related("status", "client")
            .order_by("-number")
            .distinct()[:OPEN_TICKETS_SHOWN]
        )
    return card


def pending_popup(user: User, now: datetime | None = None) -> CallPopup | None:
    """Return the newest caller card waiting for this user, if any (not dismissed, fresh)."""
    now = now or clock.now()
    ttl = timedelta(minutes=settings.TELEPHONY_POPUP_TTL_MINUTES)
    return (
        CallPopup.objects.select_related(
            "call", "call__caller_contact", "call__caller_client", "call__caller_outlet"
        )
        .filter(user=user, dismissed_at__isnull=True, created_at__gte=now - ttl)
        .order_by("-created_at", "-pk")
        .first()
    )


@dataclass
class CallbackItem:
    """One number to call back: its missed calls (newest first) and earlier attempts."""

    number: str
    calls: list[Call]
    attempts: int
    last_attempt_note: str
    last_attempt_at: datetime | None

    @property
    def latest(self) -> Call:
        return self.calls[0]

    @property
    def first_missed_at(self) -> datetime:
        return self.calls[-1].started_at

    @property
    def missed_count(self) -> int:
        return len(self.calls)


def callback_queue() -> list[CallbackItem]:
    """Return the numbers L1 should call back, the longest-waiting first."""
    calls = list(
        Call.objects.select_related("caller_contact", "caller_client", "caller_outlet")
        .prefetch_related("callback_attempts")
        .filter(callback_status=CallbackStatus.PENDING)
        .order_by("-started_at", "-pk")[:CALLBACK_QUEUE_MAX]
    )
    grouped: dict[str, list[Call]] = {}
    for call in calls:
        grouped.setdefault(call.from_number, []).append(call)
    items = []
    for number, group in grouped.items():
        attempts = [a for call in group for a in call.callback_attempts.all()]
        attempts.sort(key=lambda a: a.at)
        items.append(
            CallbackItem(
                number=number,
                calls=group,
                attempts=len(attempts),
                last_attempt_note=attempts[-1].note if attempts else "",
                last_attempt_at=attempts[-1].at if attempts else None,
            )
        )
    items.sort(key=lambda item: item.first_missed_at)
    return items


def recent_calls(limit: int = 100) -> QuerySet[Call]:
    return Call.objects.select_related("answered_by", "caller_contact", "caller_client").order_by(
        "-started_at", "-pk"
    )[:limit]
