"""Page-number pagination with a total, shared by every list endpoint."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from servicedesk.core.errors import ValidationFailed

MAX_PAGE_SIZE = 200
M = TypeVar("M", bound=Model)


def paginate(queryset: QuerySet[M], page: int, page_size: int) -> tuple[list[M], dict[str, Any]]:
    """Return one page of rows and the page metadata (count, pages, next/previous)."""
    if page < 1:
        raise ValidationFailed("Номер страницы начинается с 1", field="page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValidationFailed(f"Размер страницы от 1 до {MAX_PAGE_SIZE}", field="page_size")
    count = queryset.count()
    pages = max(1, -(-count // page_size))
    offset = (page - 1) * page_size
    rows = list(queryset[offset : offset + page_size]) if offset < count else []
    meta = {
        "count": count,
        "page": page,
        "page_size": page_size,
        "pages": pages,
        "next_page": page + 1 if page < pages else None,
        "previous_page": page - 1 if page > 1 else None,
    }
    return rows, meta
