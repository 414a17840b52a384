"""Reads of the workspace's own data."""

from __future__ import annotations

from servicedesk.accounts.models import User
from servicedesk.web.models import SavedFilter


def saved_filters(user: User) -> list[SavedFilter]:
    return list(SavedFilter.objects.filter(user=user).order_by("name"))
