"""Writes for people and organisations: API tokens, contacts."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from servicedesk.accounts.models import (
    ApiToken,
    Client,
    Contact,
    ContactCard,
    ContactKind,
    ContactPhone,
    Outlet,
    User,
)
from servicedesk.accounts.selectors import client_of_card
from servicedesk.core import clock
from servicedesk.core.errors import Forbidden, ValidationFailed
from servicedesk.core.identifiers import (
    InvalidIdentifier,
    mask_tail,
    normalise_card,
    normalise_phone,
)

TOKEN_PREFIX = "sdt_"  # noqa: S105  (a marker, not a secret)
# Writing last_used_at on every request would turn each read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_issue(
    *, user: User, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is shown once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationFailed("Укажите название токена", field="name")
    if expires_at is not None and expires_at <= clock.now():
        raise ValidationFailed("Срок действия уже истёк", field="expires_at")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=raw[:12],
        key_hash=hash_token(raw),
        expires_at=expires_at,
    )
    return token, raw


def api_token_authenticate(raw: str) -> User | None:
    """Return the active user a token belongs to, or None if unknown, revoked or expired."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "user__client")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    now = clock.now()
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.user.api_token = token  # type: ignore[attr-defined]
    return token.user


def api_token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])


def _unique_phone(raw: str) -> str:
    try:
        number = normalise_phone(raw)
    except InvalidIdentifier as error:
        raise ValidationFailed(str(error), field="phone") from error
    if not number.startswith("+"):
        raise ValidationFailed(
            f"Номер «{raw}» похож на внутренний: укажите его полностью, с кодом", field="phone"
        )
    owner = ContactPhone.objects.select_related("contact").filter(number=number).first()
    if owner is not None:
        raise ValidationFailed(
            f"Телефон {number} уже записан у контакта «{owner.contact}»", field="phone"
        )
    return number


def _unique_card(raw: str) -> str:
    try:
        number = normalise_card(raw)
    except InvalidIdentifier as error:
        raise ValidationFailed(str(error), field="card") from error
    owner = ContactCard.objects.select_related("contact").filter(number=number).first()
    if owner is not None:
        raise ValidationFailed(
            f"Карта {mask_tail(number)} уже записана у контакта «{owner.contact}»", field="card"
        )
    return number


@transaction.atomic
def contact_create(
    *,
    actor: User,
    kind: str = ContactKind.GUEST,
    full_name: str = "",
    client: str | None = None,
    outlet: str | None = None,
    phone: str = "",
    card: str = "",
) -> Contact:
    """Register a caller: phone and card normalised and unique, the card's client checked.

    A card tells its client through the emission; a client named by the agent must agree.
    """
    if not actor.is_support_staff:
        raise Forbidden("Создавать контакты могут сотрудники поддержки")
    if kind not in ContactKind.values:
        raise ValidationFailed(f"Неизвестный тип контакта «{kind}»", field="kind")
    name = full_name.strip()[:200]
    if not (name or phone.strip() or card.strip()):
        raise ValidationFailed("Укажите имя, телефон или номер карты", field="full_name")
    phone_number = _unique_phone(phone) if phone.strip() else ""
    card_number = _unique_card(card) if card.strip() else ""
    owner = Client.objects.filter(code=client).first() if client else None
    if client and owner is None:
        raise ValidationFailed(f"Клиент «{client}» не найден", field="client")
    if card_number:
        card_client = client_of_card(card_number)
        if owner is not None and card_client is not None and card_client != owner:
            raise ValidationFailed(
                f"Карта выпущена для клиента «{card_client.name}», а не «{owner.name}»",
                field="card",
            )
        owner = owner or card_client
    place = None
    if outlet:
        place = Outlet.objects.filter(client=owner, code=outlet).first() if owner else None
        if place is None:
            raise ValidationFailed(
                f"Торговая точка «{outlet}» не найдена у клиента", field="outlet"
            )
    try:
        with transaction.atomic():
            contact = Contact.objects.create(kind=kind, full_name=name, client=owner, outlet=place)
            if phone_number:
                ContactPhone.objects.create(contact=contact, number=phone_number)
            if card_number:
                ContactCard.objects.create(contact=contact, number=card_number)
    except IntegrityError as error:  # someone registered the same number a moment ago
        raise ValidationFailed(
            "Этот телефон или карта только что записаны у другого контакта: найдите его поиском",
            field="phone",
        ) from error
    return contact
