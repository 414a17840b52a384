"""Endpoints about people: who am I, who is calling."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from servicedesk.accounts.models import Contact
from servicedesk.accounts.selectors import lookup_by_card, lookup_by_phone
from servicedesk.api.auth import current_user
from servicedesk.api.schemas import ERRORS, Ref
from servicedesk.core.errors import Forbidden, ValidationFailed
from servicedesk.core.identifiers import InvalidIdentifier
from servicedesk.tickets.domain.statuses import ACTIVE_CATEGORIES
from servicedesk.tickets.models import Ticket

router = Router(tags=["Люди"])


class MeOut(Schema):
    username: str
    name: str
    roles: list[str]
    client: Ref | None


class OpenTicketOut(Schema):
    number: str
    subject: str
    status: str


class ContactOut(Schema):
    id: int
    kind: str
    name: str
    client: Ref | None
    outlet: Ref | None
    phones: list[str]
    cards: list[str]
    emails: list[str]
    open_tickets: list[OpenTicketOut]


class OutletOut(Schema):
    code: str
    name: str
    address: str
    client: Ref
    open_tickets: list[OpenTicketOut]


class LookupOut(Schema):
    contacts: list[ContactOut]
    outlets: list[OutletOut]
    card_client: Ref | None


@router.get("/me", response={200: MeOut, **ERRORS}, summary="Текущий пользователь")
def me(request: HttpRequest) -> Any:
    user = current_user(request)
    return {
        "username": user.username,
        "name": str(user),
        "roles": sorted(role.value for role in user.roles),
        "client": {"code": user.client.code, "name": user.client.name} if user.client else None,
    }


def _ref(obj: Any) -> dict[str, str] | None:
    return {"code": obj.code, "name": obj.name} if obj is not None else None


def _open_tickets(**lookup: Any) -> list[dict[str, str]]:
    tickets = Ticket.objects.filter(status_category__in=ACTIVE_CATEGORIES, **lookup)
    return [
        {"number": t.display_number, "subject": t.subject, "status": t.status.name}
        for t in tickets.select_related("status").order_by("-number")[:20]
    ]


def _contact_out(contact: Contact, full: bool) -> dict[str, Any]:
    from servicedesk.privacy.selectors import contact_values

    return {
        "id": contact.pk,
        "kind": contact.kind,
        "name": str(contact),
        "client": _ref(contact.client),
        "outlet": _ref(contact.outlet),
        **contact_values(contact, full=full),
        "open_tickets": _open_tickets(requester=contact),
    }


@router.get("/contacts/lookup", response={200: LookupOut, **ERRORS}, summary="Кто звонит")
def lookup(request: HttpRequest, phone: str | None = None, card: str | None = None) -> Any:
    user = current_user(request)
    if not user.is_support_staff:
        raise Forbidden("Поиск контактов доступен сотрудникам поддержки")
    if bool(phone) == bool(card):
        raise ValidationFailed("Укажите ровно одно: phone или card", field="phone")
    try:
        result = lookup_by_phone(phone) if phone else lookup_by_card(card or "")
    except InvalidIdentifier as error:
        raise ValidationFailed(str(error), field="phone" if phone else "card") from error
    from servicedesk.privacy.models import AccessPurpose
    from servicedesk.privacy.selectors import contacts_shown

    # Full values for roles that need them, and every such showing is logged.
    full = contacts_shown(
        actor=user, contacts=result.contacts, purpose=AccessPurpose.LOOKUP, request=request
    )
    return {
        "contacts": [_contact_out(c, full) for c in result.contacts],
        "outlets": [
            {
                "code": o.code,
                "name": o.name,
                "address": o.address,
                "client": _ref(o.client),
                "open_tickets": _open_tickets(outlet=o),
            }
            for o in result.outlets
        ],
        "card_client": _ref(result.card_client),
    }
