"""Helpers the report pages and the API share: filters from a query, file responses."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import ParamSpec

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, QueryDict

from servicedesk.core import clock
from servicedesk.core.errors import Forbidden, NotFound, ValidationFailed
from servicedesk.reports.domain.periods import local_date
from servicedesk.reports.domain.tables import Report
from servicedesk.reports.exports import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    export_filename,
    report_xlsx,
    table_csv,
)
from servicedesk.reports.filters import ReportFilters, parse_filters

FORMATS = ("xlsx", "csv")
P = ParamSpec("P")


def filters_from_query(query: QueryDict | Mapping[str, str]) -> ReportFilters:
    """Parse report filters from a query string (repeated keys or comma lists)."""

    def joined(name: str) -> str | None:
        if isinstance(query, QueryDict):
            values = [v for v in query.getlist(name) if v.strip()]
            return ",".join(values) or None
        return query.get(name) or None

    return parse_filters(
        today=local_date(clock.now()),
        month=joined("month"),
        date_from=joined("from"),
        date_to=joined("to"),
        client=joined("client"),
        service=joined("service"),
        sla_level=joined("sla_level"),
        line=joined("line"),
        assignee=joined("assignee"),
        group_by=joined("group_by"),
        step=joined("step"),
    )


def export_response(report: Report, file_format: str, table_key: str | None) -> HttpResponse:
    """Return the report as an XLSX download, or one of its tables as CSV."""
    if file_format == "xlsx":
        content = report_xlsx(report, base_url=settings.SITE_URL)
        name = export_filename(report, "xlsx")
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    elif file_format == "csv":
        try:
            table = report.table(table_key) if table_key else report.tables[0]
        except KeyError:
            raise NotFound(
                f"В отчёте нет таблицы «{table_key}»: " + ", ".join(t.key for t in report.tables),
                field="table",
            ) from None
        response = HttpResponse(table_csv(table), content_type=CSV_CONTENT_TYPE)
        name = export_filename(report, "csv", table if table_key else None)
    else:
        raise ValidationFailed("Формат выгрузки: xlsx или csv", field="format")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def page_errors(view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
    """Turn a service's NotFound into 404 and Forbidden into 403 for HTML pages."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        try:
            return view(*args, **kwargs)
        except NotFound as missing:
            raise Http404(missing.message) from None
        except Forbidden as refused:
            raise PermissionDenied(refused.message) from None

    return wrapper
