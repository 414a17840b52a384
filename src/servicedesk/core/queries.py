"""Small query helpers shared by the selectors."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def unique_row(queryset: QuerySet[M]) -> M | None:
    """Return the row of a lookup by a unique key, or None.

    Unlike `.first()` it adds no ORDER BY: for one row there is nothing to order, and
    compiling the model's default ordering cost a third of a ticket fetch with its joins.
    """
    rows = list(queryset.order_by()[:1])
    return rows[0] if rows else None
