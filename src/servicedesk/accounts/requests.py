"""The signed-in user of a request, typed for the services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from servicedesk.accounts.models import User


def request_user(request: HttpRequest) -> User:
    """Return the authenticated user, or refuse the request."""
    user = request.user
    if not isinstance(user, User) or not user.is_active:
        raise PermissionDenied("Войдите в систему")
    return user
