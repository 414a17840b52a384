"""API authentication: bearer tokens for programs, the session for the browser."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from servicedesk.accounts.models import User
from servicedesk.accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    """`Authorization: Bearer sdt_…`; only the token's SHA-256 is in the database."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class BrowserSessionAuth(SessionAuth):
    """The logged-in browser session, with Django's CSRF check on unsafe methods."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if user.is_authenticated and user.is_active:
            return user
        return None


def current_user(request: HttpRequest) -> User:
    """Return the authenticated user of an API request."""
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User):
        raise TypeError("API handler reached without an authenticated user")
    return user
