"""Writes of the security capability: API tokens through the API, TOTP devices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import django_otp
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from servicedesk.accounts.models import ApiToken, User
from servicedesk.accounts.services import api_token_issue, api_token_revoke
from servicedesk.core import clock
from servicedesk.core.errors import DomainError, NotFound, ValidationFailed
from servicedesk.security.lockout import cooloff_seconds, locked_message
from servicedesk.security.otp import otp_required

DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 3650
DEVICE_NAME = "Приложение-аутентификатор"


class Unauthenticated(DomainError):
    status_code = 401
    code = "unauthorized"


class TooManyRequests(DomainError):
    status_code = 429
    code = "too_many_requests"


class OtpRequired(DomainError):
    status_code = 401
    code = "otp_required"


def token_expiry(*, expires_at: datetime | None, days: int | None) -> datetime:
    """Return when a token issued now expires: the given instant, `days` ahead, or 90 days."""
    now = clock.now()
    if expires_at is not None and days is not None:
        raise ValidationFailed("Укажите либо expires_at, либо days", field="days")
    if expires_at is not None:
        if expires_at.tzinfo is None:
            raise ValidationFailed("Укажите часовой пояс в expires_at", field="expires_at")
        expires_at = expires_at.astimezone(UTC)  # PostgreSQL refuses offsets like -18:14
        if expires_at > now + timedelta(days=MAX_TOKEN_DAYS):
            raise ValidationFailed(
                f"Срок действия — не больше {MAX_TOKEN_DAYS} дней", field="expires_at"
            )
        return expires_at
    return now + timedelta(days=days or DEFAULT_TOKEN_DAYS)


def api_token_issue_own(
    *, actor: User, name: str, expires_at: datetime | None = None, days: int | None = None
) -> tuple[ApiToken, str]:
    """Issue a token to `actor` for themselves; the secret is returned once."""
    return api_token_issue(
        user=actor, name=name, expires_at=token_expiry(expires_at=expires_at, days=days)
    )


def api_token_issue_with_password(
    *,
    request: HttpRequest,
    username: str,
    password: str,
    otp: str | None,
    name: str,
    days: int | None = None,
) -> tuple[ApiToken, str]:
    """Issue a token for a login and password (and TOTP code when the user has a device).

    The password check goes through Django's `authenticate`, so django-axes counts the
    failures and locks the login out exactly as it does on the login page.
    """
    user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise TooManyRequests(locked_message(), retry_after=cooloff_seconds())
    if not isinstance(user, User) or not user.is_active:
        raise Unauthenticated("Неверный логин или пароль")
    if django_otp.user_has_device(user, confirmed=True) or otp_required(user):
        if not otp:
            raise OtpRequired("Нужен код из приложения-аутентификатора (поле otp)", field="otp")
        if django_otp.match_token(user, otp) is None:
            raise Unauthenticated("Неверный код подтверждения", field="otp")
    return api_token_issue(
        user=user, name=name, expires_at=token_expiry(expires_at=None, days=days)
    )


@transaction.atomic
def api_token_revoke_own(*, actor: User, token_id: int) -> ApiToken:
    """Revoke one of `actor`'s tokens (404 for anyone else's)."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
    if token is None:
        raise NotFound("Токен не найден")
    api_token_revoke(token=token)
    return token


@dataclass(frozen=True)
class Enrolment:
    """A TOTP device being set up: its otpauth:// URL (for the QR code) and the secret."""

    device: TOTPDevice
    config_url: str
    secret: str


@transaction.atomic
def otp_enrolment_start(*, user: User) -> Enrolment:
    """Return the user's unconfirmed device, creating it; a confirmed one is not replaced."""
    from base64 import b32encode

    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationFailed("Второй фактор уже подключён", field="code")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    secret = b32encode(device.bin_key).decode()
    return Enrolment(device=device, config_url=device.config_url, secret=secret)


@transaction.atomic
def otp_enrolment_confirm(*, request: HttpRequest, user: User, code: str) -> TOTPDevice:
    """Confirm the unconfirmed device with a code from the app and mark this login verified."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise ValidationFailed("Начните подключение заново", field="code")
    if not device.verify_token(code.strip()):
        raise ValidationFailed("Код не подошёл: проверьте время на телефоне", field="code")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    django_otp.login(request, device)
    return device


def otp_verify(*, request: HttpRequest, user: User, code: str) -> TOTPDevice:
    """Check a code against the user's devices and mark this login verified."""
    with transaction.atomic():
        devices = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
        for device in devices:
            allowed, _info = device.verify_is_allowed()
            if not allowed:
                raise TooManyRequests(
                    "Слишком много неверных кодов: подождите немного и повторите", field="code"
                )
            if device.verify_token(code.strip()):
                break
        else:
            device = None
    if device is None:
        raise ValidationFailed("Неверный код", field="code")
    django_otp.login(request, device)
    return device


@transaction.atomic
def otp_disable(*, user: User, code: str) -> None:
    """Remove the user's TOTP devices after checking a current code (not when required)."""
    if otp_required(user):
        raise ValidationFailed("Для руководителя второй фактор обязателен", field="code")
    devices = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
    if not any(device.verify_token(code.strip()) for device in devices):
        raise ValidationFailed("Неверный код", field="code")
    TOTPDevice.objects.filter(user=user).delete()
