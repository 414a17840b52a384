"""The L1 call card: find the caller while they talk, pick the service, save in one keystroke."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.http import HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from servicedesk.accounts.models import Client, Contact, ContactKind, Outlet
from servicedesk.accounts.selectors import (
    LookupResult,
    contacts_queryset,
    lookup_by_card,
    lookup_by_phone,
)
from servicedesk.accounts.services import contact_create
from servicedesk.catalog.models import Service
from servicedesk.catalog.selectors import active_services, effective_sla_level
from servicedesk.core.errors import DomainError, ValidationFailed
from servicedesk.core.identifiers import InvalidIdentifier
from servicedesk.privacy.models import AccessPurpose
from servicedesk.privacy.selectors import contacts_shown
from servicedesk.tickets.models import Channel
from servicedesk.tickets.selectors import open_tickets_of
from servicedesk.tickets.services import NewTicket, ticket_create
from servicedesk.web import sla_view
from servicedesk.web.http import WebRequest, int_param, staff_required

MIN_PHONE_DIGITS = 7
MIN_CARD_DIGITS = 6
SUBJECT_FROM_TEXT = 120
WHO = "tickets/call_card.html#who"
NO_CLIENT = gettext_noop(
    "Выберите клиента: найдите звонящего по телефону или карте или выберите из списка"
)


def _digits(value: str) -> str:
    return re.sub(r"\D+", "", value)


def _lookup(phone: str, card: str) -> tuple[LookupResult | None, str]:
    """Return who the typed numbers point to, or a hint while the number is incomplete."""
    try:
        if len(_digits(phone)) >= MIN_PHONE_DIGITS:
            return lookup_by_phone(phone), ""
        if len(_digits(card)) >= MIN_CARD_DIGITS:
            return lookup_by_card(card), ""
    except InvalidIdentifier as error:
        return None, str(error)
    if phone or card:
        return None, _("Продолжайте ввод номера…")
    return None, ""


def _who(
    *,
    client: Client | None = None,
    outlet: Outlet | None = None,
    contact: Contact | None = None,
) -> dict[str, Any]:
    """Return the caller part of the form: client, the client's outlets, the requester."""
    if contact is not None:
        client = client or contact.client
        outlet = outlet or contact.outlet
    if outlet is not None:
        client = client or outlet.client
    return {
        "clients": list(Client.objects.filter(is_active=True).order_by("name")),
        "outlets": list(Outlet.objects.filter(client=client, is_active=True)) if client else [],
        "picked_client": client,
        "picked_outlet": outlet,
        "picked_contact": contact,
    }


def _auto_pick(result: LookupResult | None) -> dict[str, Any] | None:
    """Pick the caller when the lookup is unambiguous (one contact, or one outlet, or a card)."""
    if result is None:
        return None
    if len(result.contacts) == 1:
        return _who(contact=result.contacts[0], client=result.card_client)
    if not result.contacts and len(result.outlets) == 1:
        return _who(outlet=result.outlets[0])
    if not result.contacts and result.card_client is not None:
        return _who(client=result.card_client)
    return None


def _lookup_context(request: WebRequest, phone: str, card: str) -> dict[str, Any]:
    result, hint = _lookup(phone, card)
    by_contact, by_outlet = open_tickets_of(
        contact_ids=[c.pk for c in result.contacts] if result else [],
        outlet_ids=[o.pk for o in result.outlets] if result else [],
    )
    return {
        "result": result,
        "hint": hint,
        "by_contact": by_contact,
        "by_outlet": by_outlet,
        # Full numbers only for roles that need them, and each showing is logged (152-FZ).
        "full_numbers": contacts_shown(
            actor=request.user,
            contacts=result.contacts if result else [],
            purpose=AccessPurpose.LOOKUP,
            request=request,
        ),
        "kinds": ContactKind.choices,
        "phone": phone,
        "card": card,
    }


def _form_values(data: QueryDict) -> dict[str, str]:
    names = ("phone", "card", "call", "service", "subject", "description")
    return {name: data.get(name, "").strip() for name in names}


def _card_context(request: WebRequest, values: dict[str, str]) -> dict[str, Any]:
    lookup = _lookup_context(request, values["phone"], values["card"])
    return {
        "values": values,
        "services": active_services(),
        **lookup,
        **(_auto_pick(lookup["result"]) or _who()),
    }


@staff_required
def call_new(request: WebRequest) -> HttpResponseBase:
    """Show the call card, pre-filled from `?phone=` and `?call=` (the telephony pop-up)."""
    if request.method == "POST":
        return _call_save(request)
    return render(
        request, "tickets/call_card.html", _card_context(request, _form_values(request.GET))
    )


def _call_save(request: WebRequest) -> HttpResponseBase:
    values = _form_values(request.POST)
    description = values["description"]
    subject = values["subject"] or description.split("\n", 1)[0][:SUBJECT_FROM_TEXT]
    client = request.POST.get("client", "")
    outlet = request.POST.get("outlet", "")
    contact_id = int_param(request, "requester")
    try:
        if not client:
            raise ValidationFailed(_(NO_CLIENT), field="client")
        ticket = ticket_create(
            actor=request.user,
            data=NewTicket(
                subject=subject,
                client=client,
                channel=Channel.PHONE,
                description=description,
                service=values["service"] or None,
                outlet=outlet or None,
                requester_id=contact_id,
            ),
        )
    except DomainError as error:
        context = _card_context(request, values) | {"error": error.message, "field": error.field}
        contact = contacts_queryset().filter(pk=contact_id).first() if contact_id else None
        context |= _who(
            client=Client.objects.filter(code=client).first(),
            outlet=Outlet.objects.filter(client__code=client, code=outlet).first(),
            contact=contact,
        )
        return render(request, "tickets/call_card.html", context, status=422)
    messages.success(
        request, _("Звонок зарегистрирован: %(number)s") % {"number": ticket.display_number}
    )
    return redirect("tickets:detail", ticket.display_number)


@require_GET
@staff_required
def call_lookup(request: WebRequest) -> HttpResponseBase:
    """Show who a phone or card number belongs to, with their open tickets, as they type."""
    phone, card = request.GET.get("phone", "").strip(), request.GET.get("card", "").strip()
    context = _lookup_context(request, phone, card)
    picked = _auto_pick(context["result"])
    response = render(
        request, "tickets/call_card.html#lookup", context | {"oob_who": picked} | (picked or {})
    )
    if picked:
        response["HX-Trigger-After-Swap"] = "whoChanged"
    return response


@require_GET
@staff_required
def call_pick(request: WebRequest) -> HttpResponseBase:
    """Fill the caller part of the card from a chosen contact, outlet or client."""
    contact_id = int_param(request, "contact")
    outlet_id = int_param(request, "outlet")
    contact = contacts_queryset().filter(pk=contact_id).first() if contact_id else None
    outlet = (
        Outlet.objects.select_related("client").filter(pk=outlet_id).first() if outlet_id else None
    )
    client = Client.objects.filter(code=request.GET.get("client", "")).first()
    response = render(request, WHO, _who(client=client, outlet=outlet, contact=contact))
    response["HX-Trigger-After-Swap"] = "whoChanged"
    return response


@require_POST
@staff_required
def call_contact(request: WebRequest) -> HttpResponseBase:
    """Create a contact from the numbers on the card and pick it."""
    data = request.POST
    try:
        contact = contact_create(
            actor=request.user,
            kind=data.get("new_kind", ContactKind.GUEST),
            full_name=data.get("new_name", ""),
            client=data.get("client") or None,
            outlet=data.get("outlet") or None,
            phone=data.get("phone", ""),
            card=data.get("card", ""),
        )
    except DomainError as error:
        client = Client.objects.filter(code=data.get("client", "")).first()
        context = _who(client=client) | {"who_error": error.message}
        return render(request, WHO, context, status=422)
    context = _who(contact=contacts_queryset().get(pk=contact.pk))
    context["who_notice"] = _("Контакт «%(name)s» создан") % {"name": contact}
    response = render(request, WHO, context)
    response["HX-Trigger-After-Swap"] = "whoChanged"
    return response


@require_GET
@staff_required
def call_preview(request: WebRequest) -> HttpResponseBase:
    """Show the SLA a request for the chosen service would get if saved now."""
    service = Service.objects.filter(code=request.GET.get("service", ""), is_active=True).first()
    client = request.GET.get("client", "") or None
    return render(
        request,
        "tickets/_sla_preview.html",
        {
            "service": service,
            "level": effective_sla_level(service) if service else None,
            "preview": sla_view.sla_preview(service=service.code, client=client)
            if service
            else None,
            "for_new": True,
        },
    )
