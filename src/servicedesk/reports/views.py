"""Report pages: filters, figures, charts, tables and exports; closing a billing month."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from servicedesk.accounts.requests import request_user
from servicedesk.core import clock
from servicedesk.core.errors import DomainError, Forbidden
from servicedesk.reports.access import (
    ReportKind,
    available_reports,
    may_close_months,
    report_scope,
)
from servicedesk.reports.domain.periods import Month, PeriodError
from servicedesk.reports.domain.tables import Report
from servicedesk.reports.selectors import build_report
from servicedesk.reports.selectors.billing import closed_months_list, month_state
from servicedesk.reports.selectors.options import filter_options
from servicedesk.reports.services import billing_month_close
from servicedesk.reports.web import FORMATS, export_response, filters_from_query


@login_required
@require_GET
def report_index(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    return render(request, "reports/index.html", {"reports": available_reports(user)})


@login_required
@require_GET
def report_page(request: HttpRequest, kind: str) -> HttpResponse:
    """Show one report, or download it when `format` is xlsx or csv."""
    user = request_user(request)
    report_kind = ReportKind(kind)
    try:
        scope = report_scope(user, report_kind)
    except Forbidden as refused:
        raise PermissionDenied(refused.message) from None
    context: dict[str, object] = {
        "kind": report_kind,
        "reports": available_reports(user),
        "options": filter_options(scope),
        "scope": scope,
        "query": request.GET,
    }
    file_format = request.GET.get("format")
    try:
        filters = filters_from_query(request.GET)
        context["filters"] = filters
        report = build_report(report_kind, filters, scope, clock.now(), full=file_format in FORMATS)
        if file_format:
            return export_response(report, file_format, request.GET.get("table"))
    except DomainError as error:
        context["error"] = error.message
        return render(request, "reports/report.html", context, status=error.status_code)
    context["report"] = report
    context["blocks"] = _blocks(report)
    if report_kind == ReportKind.BILLING:
        context["closed_months"] = closed_months_list(scope)
        month = filters.month
        context["may_close"] = (
            month is not None
            and may_close_months(user)
            and month.end <= clock.now()
            and month_state(month).closed is None
        )
    return render(request, "reports/report.html", context)


def _blocks(report: Report) -> list[dict[str, object]]:
    """Pair each table with the charts drawn from it, in the report's order."""
    return [
        {"table": table, "charts": [c for c in report.charts if c.table_key == table.key]}
        for table in report.tables
    ]


@login_required
@require_POST
def billing_close(request: HttpRequest) -> HttpResponse:
    """Close the posted month (the head); the page then shows the frozen figures."""
    user = request_user(request)
    code = request.POST.get("month", "")
    try:
        month = Month.parse(code)
        closed = billing_month_close(actor=user, month=month)
    except PeriodError as error:
        messages.error(request, str(error))
        return redirect("reports:billing")
    except DomainError as error:
        if error.status_code == 403:
            raise PermissionDenied(error.message) from None
        messages.error(request, error.message)
        return redirect(f"{_billing()}?month={code}")
    messages.success(request, f"{month.label.capitalize()} закрыт: цифры зафиксированы.")
    return redirect(f"{_billing()}?month={Month.from_first_day(closed.month).code}")


def _billing() -> str:
    from django.urls import reverse

    return reverse("reports:billing")
