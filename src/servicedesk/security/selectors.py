"""Reads of the security capability."""

from __future__ import annotations

from django.db.models import QuerySet

from servicedesk.accounts.models import ApiToken, User


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """Return the user's tokens, newest first, revoked and expired ones included."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
