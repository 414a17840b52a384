"""Page-number pagination with a total, shared by every list endpoint.

Two costs grow with the table and not with the page, and both are bounded here:

* the total: counted exactly up to `EXACT_COUNT_LIMIT` matches; past it PostgreSQL's
  planner estimate is returned and `count_exact` is false (the approach of PostgREST's
  "estimated" count). Counting 100,000 rows costs 12–25 ms on every page view, a
  million ten times that; `exact_count=True` still counts everything.
* the page itself: the page's keys are read first from the ticket table alone, then only
  those rows are fetched with their joins. Joining before OFFSET joins every skipped row
  (4,500 rows for page 90 of 50) only to throw them away.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, TypeVar, overload

from django.db import connections
from django.db.models import Model, QuerySet

from servicedesk.core.errors import ValidationFailed

MAX_PAGE_SIZE = 200
EXACT_COUNT_LIMIT = 10_000
M = TypeVar("M", bound=Model)
R = TypeVar("R")


@overload
def paginate(
    queryset: QuerySet[M], page: int, page_size: int, *, exact_count: bool = False
) -> tuple[list[M], dict[str, Any]]: ...


@overload
def paginate(
    queryset: QuerySet[M],
    page: int,
    page_size: int,
    *,
    exact_count: bool = False,
    fetch: Callable[[QuerySet[M]], dict[Any, R]],
    key: str = "pk",
) -> tuple[list[R], dict[str, Any]]: ...


def paginate(
    queryset: QuerySet[M],
    page: int,
    page_size: int,
    *,
    exact_count: bool = False,
    fetch: Callable[[QuerySet[M]], dict[Any, R]] | None = None,
    key: str = "pk",
) -> tuple[list[Any], dict[str, Any]]:
    """Return one page of rows and the page metadata (count, pages, next/previous).

    `fetch` turns the page's queryset into {key: row}; by default rows are model instances.
    `key` is a unique field identifying rows; one with an index the ordering walks lets
    the page's keys come from the index alone.
    """
    if page < 1:
        raise ValidationFailed("Номер страницы начинается с 1", field="page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValidationFailed(f"Размер страницы от 1 до {MAX_PAGE_SIZE}", field="page_size")
    count, count_exact = total(queryset, exact=exact_count)
    pages = max(1, -(-count // page_size))
    offset = (page - 1) * page_size
    fetch_rows = fetch or _instances
    rows = (
        page_rows(queryset, offset, page_size, fetch_rows, key)
        if offset < count or not count_exact
        else []
    )
    meta = {
        "count": count,
        "count_exact": count_exact,
        "page": page,
        "page_size": page_size,
        "pages": pages,
        "next_page": page + 1 if page < pages else None,
        "previous_page": page - 1 if page > 1 else None,
    }
    return rows, meta


def total(queryset: QuerySet[Any], *, exact: bool = False) -> tuple[int, bool]:
    """Return (number of rows, whether it is exact) for `queryset`.

    Only PostgreSQL gives an estimate; SQLite (the small, single-machine set-up) counts.
    A query found to match more than `EXACT_COUNT_LIMIT` rows keeps its estimate for
    `ESTIMATE_SECONDS` and is not counted again meanwhile: the capped count reads
    10,001 index entries, the same work on every page of a big list.
    """
    if exact or connections[queryset.db].vendor != "postgresql":
        return queryset.count(), True
    bare = queryset.order_by().values("pk")
    sql, params = bare.query.sql_with_params()
    cache_key = (sql, repr(params))
    now = time.monotonic()
    kept = _estimates.get(cache_key)
    if kept is not None and now - kept[0] < ESTIMATE_SECONDS:
        return kept[1], False
    counted = queryset.order_by()[: EXACT_COUNT_LIMIT + 1].count()
    if counted <= EXACT_COUNT_LIMIT:
        return counted, True
    estimate = max(planner_estimate(bare), counted)
    if len(_estimates) >= ESTIMATES_KEPT:
        _estimates.clear()
    _estimates[cache_key] = (now, estimate)
    return estimate, False


_estimates: dict[tuple[str, str], tuple[float, int]] = {}
ESTIMATE_SECONDS = 60.0
ESTIMATES_KEPT = 512


def planner_estimate(queryset: QuerySet[Any]) -> int:
    """Return PostgreSQL's estimate of the rows `queryset` matches (EXPLAIN, ~3 ms)."""
    plan = json.loads(queryset.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


def forget_estimates() -> None:
    _estimates.clear()


def page_rows(
    queryset: QuerySet[M],
    offset: int,
    size: int,
    fetch: Callable[[QuerySet[M]], dict[Any, R]],
    key: str = "pk",
) -> list[R]:
    """Return `size` rows from `offset`: keys first on the bare table, then the rows joined."""
    keys = list(queryset.values_list(key, flat=True)[offset : offset + size])
    if not keys:
        return []
    by_key = fetch(queryset.order_by().filter(**{f"{key}__in": keys}))
    return [by_key[k] for k in keys if k in by_key]


def _instances(queryset: QuerySet[M]) -> dict[Any, Any]:
    return {row.pk: row for row in queryset}
