"""API endpoints about one person: the contact card and the data-subject export."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from servicedesk.api.auth import current_user
from servicedesk.api.schemas import ERRORS, Ref
from servicedesk.privacy import selectors

router = Router(tags=["Персональные данные"])


class CardTicketOut(Schema):
    number: str
    subject: str
    status: str
    created_at: datetime


class ContactCardOut(Schema):
    id: int
    kind: str
    name: str
    client: Ref | None
    outlet: Ref | None
    notes: str
    full_values: bool = Field(description="true — значения полностью (просмотр записан в журнал)")
    phones: list[str]
    cards: list[str]
    emails: list[str]
    anonymised_at: datetime | None
    tickets: list[CardTicketOut]


class ExportOut(Schema):
    generated_at: str
    query: dict[str, str]
    contacts: list[dict[str, Any]]
    tickets: list[dict[str, Any]]
    mentioned_in_tickets: list[dict[str, Any]]
    mentioned_in_events: list[dict[str, Any]]
    access_log: list[dict[str, Any]]


def _ref(obj: Any) -> dict[str, str] | None:
    return {"code": obj.code, "name": obj.name} if obj is not None else None


@router.get(
    "/contacts/{int:contact_id}",
    response={200: ContactCardOut, **ERRORS},
    summary="Карточка контакта",
    description=(
        "Телефоны, карты и e-mail полностью — для ролей с доступом к персональным данным "
        "(каждый просмотр записывается в журнал), иначе маскированы (последние 4 цифры)."
    ),
)
def contact_card(request: HttpRequest, contact_id: int) -> Any:
    contact, full, tickets = selectors.contact_card(
        actor=current_user(request), contact_id=contact_id, request=request
    )
    return {
        "id": contact.pk,
        "kind": contact.kind,
        "name": str(contact),
        "client": _ref(contact.client),
        "outlet": _ref(contact.outlet),
        "notes": contact.notes,
        "full_values": full,
        **selectors.contact_values(contact, full=full),
        "anonymised_at": contact.anonymised_at,
        "tickets": [
            {
                "number": t.display_number,
                "subject": t.subject,
                "status": t.status.name,
                "created_at": t.created_at,
            }
            for t in tickets
        ],
    }


@router.get(
    "/privacy/export",
    response={200: ExportOut, **ERRORS},
    summary="Выгрузка по запросу субъекта ПДн",
    description=(
        "Всё, что хранится о человеке с этим телефоном или картой: контакты, обращения, "
        "переписка, вложения (описание), события и журнал просмотров. Только руководитель; "
        "выгрузка записывается в журнал."
    ),
)
def export(request: HttpRequest, phone: str | None = None, card: str | None = None) -> Any:
    return selectors.personal_data_export(
        actor=current_user(request), phone=phone, card=card, request=request
    )
