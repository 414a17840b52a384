"""Writes of the workspace's own data (saved filters)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.db import transaction

from servicedesk.accounts.models import User
from servicedesk.core import clock
from servicedesk.core.errors import NotFound, ValidationFailed
from servicedesk.web.models import SavedFilter

# Parameters that describe a list; anything else (page, csrf token, htmx noise) is dropped.
FILTER_KEYS = (
    "queue",
    "service",
    "client",
    "outlet",
    "line",
    "channel",
    "status",
    "assignee",
    "role_queue",
    "q",
    "ordering",
    "page_size",
)
SAVED_FILTERS_MAX = 30


def clean_querystring(raw: str) -> str:
    """Return the list-describing part of a query string, in a stable order."""
    pairs = [(k, v) for k, v in parse_qsl(raw.lstrip("?")) if k in FILTER_KEYS and v.strip()]
    pairs.sort(key=lambda pair: (FILTER_KEYS.index(pair[0]), pair[1]))
    return urlencode(pairs)


@transaction.atomic
def saved_filter_save(*, user: User, name: str, querystring: str) -> SavedFilter:
    """Save the current queue view under a name; the same name replaces the old one."""
    title = name.strip()
    if not title:
        raise ValidationFailed("Назовите фильтр", field="name")
    if len(title) > 80:
        raise ValidationFailed("Название фильтра длиннее 80 символов", field="name")
    query = clean_querystring(querystring)
    if len(query) > 1000:
        raise ValidationFailed("Слишком много условий в фильтре", field="querystring")
    existing = SavedFilter.objects.select_for_update().filter(user=user, name=title).first()
    if existing is not None:
        existing.querystring = query
        existing.save(update_fields=["querystring"])
        return existing
    if SavedFilter.objects.filter(user=user).count() >= SAVED_FILTERS_MAX:
        raise ValidationFailed(
            f"Сохранено уже {SAVED_FILTERS_MAX} фильтров: удалите ненужные", field="name"
        )
    return SavedFilter.objects.create(
        user=user, name=title, querystring=query, created_at=clock.now()
    )


def saved_filter_delete(*, user: User, pk: int) -> None:
    deleted, _ = SavedFilter.objects.filter(user=user, pk=pk).delete()
    if not deleted:
        raise NotFound("Фильтр не найден")
