"""API endpoints for tokens: list mine, issue one, revoke one, and log in with a password."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Router, Schema, Status
from pydantic import Field

from servicedesk.accounts.models import ApiToken
from servicedesk.api.auth import current_user
from servicedesk.api.schemas import ERRORS, StrictIn
from servicedesk.core import clock
from servicedesk.security import selectors, services

router = Router(tags=["Токены"])


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="Начало ключа, чтобы узнать токен в списке")
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    active: bool


class TokenCreatedOut(TokenOut):
    token: str = Field(description="Секрет: показывается один раз, в базе хранится только хеш")


class TokenIn(StrictIn):
    name: str = Field(..., min_length=1, max_length=100)
    expires_at: datetime | None = Field(None, description="Когда истекает (ISO 8601 с поясом)")
    days: int | None = Field(
        None, ge=1, le=services.MAX_TOKEN_DAYS, description="Или: на сколько дней"
    )


class PasswordTokenIn(StrictIn):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=1000)
    otp: str | None = Field(None, max_length=10, description="Код TOTP, если подключён")
    name: str = Field(..., min_length=1, max_length=100)
    days: int | None = Field(None, ge=1, le=services.MAX_TOKEN_DAYS)


def token_out(token: ApiToken) -> dict[str, Any]:
    now = clock.now()
    expired = token.expires_at is not None and token.expires_at <= now
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
        "active": token.revoked_at is None and not expired,
    }


@router.get("/tokens", response={200: list[TokenOut], **ERRORS}, summary="Мои токены")
def list_tokens(request: HttpRequest) -> Any:
    return [token_out(token) for token in selectors.api_tokens_of(current_user(request))]


@router.post("/tokens", response={201: TokenCreatedOut, **ERRORS}, summary="Выпустить токен")
def issue_token(request: HttpRequest, payload: TokenIn) -> Any:
    token, raw = services.api_token_issue_own(
        actor=current_user(request),
        name=payload.name,
        expires_at=payload.expires_at,
        days=payload.days,
    )
    return Status(201, token_out(token) | {"token": raw})


@router.delete("/tokens/{token_id}", response={204: None, **ERRORS}, summary="Отозвать токен")
def revoke_token(request: HttpRequest, token_id: int) -> Any:
    services.api_token_revoke_own(actor=current_user(request), token_id=token_id)
    return Status(204, None)


@router.post(
    "/auth/token",
    auth=None,
    response={201: TokenCreatedOut, **ERRORS},
    summary="Получить токен по логину и паролю",
    description=(
        "Для программ без доступа к интерфейсу. Неудачные попытки считаются так же, как на "
        "странице входа: после нескольких подряд вход блокируется (429, Retry-After). Если у "
        "пользователя подключён второй фактор, нужен код в поле `otp`."
    ),
)
def token_with_password(request: HttpRequest, payload: PasswordTokenIn) -> Any:
    token, raw = services.api_token_issue_with_password(
        request=request,
        username=payload.username,
        password=payload.password,
        otp=payload.otp,
        name=payload.name,
        days=payload.days,
    )
    return Status(201, token_out(token) | {"token": raw})


def install(api: NinjaAPI) -> None:
    """Answer a refused lock-out or rate limit with 429 and Retry-After."""

    @api.exception_handler(services.TooManyRequests)
    def too_many(request: HttpRequest, exc: services.TooManyRequests) -> HttpResponse:
        detail = [
            {"loc": ["body", exc.field] if exc.field else [], "msg": exc.message, "type": exc.code}
        ]
        response = api.create_response(
            request, {"code": exc.code, "message": exc.message, "detail": detail}, status=429
        )
        response["Retry-After"] = str(exc.extra.get("retry_after", 60))
        return response
