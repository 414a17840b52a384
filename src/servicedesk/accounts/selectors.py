"""Reads of people and organisations: caller lookup by phone or card."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from servicedesk.accounts.models import (
    CARD_RANGE_WIDTH,
    Client,
    Contact,
    Emission,
    Outlet,
    User,
)
from servicedesk.accounts.roles import Role
from servicedesk.core.identifiers import normalise_card, normalise_phone


@dataclass
class LookupResult:
    """Whoever a phone or card number points to; any part may be empty."""

    contacts: list[Contact] = field(default_factory=list)
    outlets: list[Outlet] = field(default_factory=list)
    card_client: Client | None = None


def contacts_queryset() -> QuerySet[Contact]:
    return Contact.objects.select_related("client", "outlet").prefetch_related(
        "phones", "cards", "emails"
    )


def lookup_by_phone(raw: str) -> LookupResult:
    """Return the contacts and outlets with this phone (however it was typed)."""
    number = normalise_phone(raw)
    return LookupResult(
        contacts=list(contacts_queryset().filter(phones__number=number)),
        outlets=list(Outlet.objects.select_related("client").filter(phones__number=number)),
    )


def client_of_card(number: str) -> Client | None:
    """Return the client whose emission covers this card number."""
    padded = number.zfill(CARD_RANGE_WIDTH)
    emission = (
        Emission.objects.select_related("client")
        .filter(range_start__lte=padded, range_end__gte=padded)
        .first()
    )
    return emission.client if emission else None


def lookup_by_card(raw: str) -> LookupResult:
    """Return the card's holder and the client its emission belongs to."""
    number = normalise_card(raw)
    return LookupResult(
        contacts=list(contacts_queryset().filter(cards__number=number)),
        card_client=client_of_card(number),
    )


def support_staff() -> list[User]:
    """Return the active support staff, for assignee pickers (one query with their roles)."""
    people = (
        User.objects.filter(is_active=True, client__isnull=True)
        .filter(Q(groups__name__in=[role.value for role in Role]) | Q(is_superuser=True))
        .distinct()
        .prefetch_related("groups")
        .order_by("last_name", "first_name", "username")
    )
    return list(people)
