"""Report endpoints: each report as JSON, its exports, closing a billing month."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from servicedesk.api.auth import current_user
from servicedesk.api.schemas import ERRORS
from servicedesk.core import clock
from servicedesk.core.errors import NotFound, ValidationFailed
from servicedesk.reports.access import ReportKind, report_scope
from servicedesk.reports.domain.periods import Month, PeriodError
from servicedesk.reports.domain.tables import Report
from servicedesk.reports.models import ClosedMonth
from servicedesk.reports.selectors import build_report
from servicedesk.reports.services import billing_month_close
from servicedesk.reports.web import export_response, filters_from_query

router = Router(tags=["Отчёты"])


class ReportQuery(Schema):
    month: str | None = Field(None, description="ГГГГ-ММ (по умолчанию текущий месяц, МСК)")
    date_from: str | None = Field(None, alias="from", description="ГГГГ-ММ-ДД, вместо month")
    date_to: str | None = Field(None, alias="to", description="ГГГГ-ММ-ДД включительно")
    client: str | None = Field(None, description="Коды клиентов через запятую")
    service: str | None = Field(None, description="Коды услуг через запятую")
    sla_level: str | None = Field(None, description="Коды уровней SLA через запятую")
    line: str | None = Field(None, description="L1, L2, L3 через запятую")
    assignee: str | None = Field(None, description="Логин или none")
    group_by: str | None = Field(
        None, description="SLA: client, service, sla_level, line, assignee, month, week, day"
    )
    step: str | None = Field(None, description="Очередь: day, week, month")


class ExportQuery(ReportQuery):
    format: str = Field("xlsx", pattern="^(xlsx|csv)$")
    table: str | None = Field(None, description="Для CSV: ключ таблицы (по умолчанию первая)")


class ColumnOut(Schema):
    key: str
    label: str
    kind: str


class TableOut(Schema):
    key: str
    title: str
    note: str
    columns: list[ColumnOut]
    rows: list[dict[str, Any]]
    footer: dict[str, Any] | None


class FigureOut(Schema):
    label: str
    value: Any
    kind: str


class ReportOut(Schema):
    key: str
    title: str
    subtitle: str
    period: str
    figures: list[FigureOut]
    tables: list[TableOut]
    notes: list[str]


class ClosedMonthOut(Schema):
    month: str
    closed_at: datetime
    closed_by: str


def _kind(name: str) -> ReportKind:
    try:
        return ReportKind(name)
    except ValueError:
        raise NotFound(
            f"Отчёта «{name}» нет: " + ", ".join(kind.value for kind in ReportKind)
        ) from None


def _params(query: ReportQuery) -> dict[str, str]:
    values = query.model_dump(by_alias=True, exclude_none=True)
    return {key: str(value) for key, value in values.items() if key not in ("format", "table")}


def report_out(report: Report) -> dict[str, Any]:
    return {
        "key": report.key,
        "title": report.title,
        "subtitle": report.subtitle,
        "period": report.period_code,
        "figures": [
            {"label": f.label, "value": f.value, "kind": f.kind.value} for f in report.figures
        ],
        "tables": [
            {
                "key": t.key,
                "title": t.title,
                "note": t.note,
                "columns": [
                    {"key": c.key, "label": c.label, "kind": c.kind.value} for c in t.columns
                ],
                "rows": t.records(),
                "footer": t.footer_record(),
            }
            for t in report.tables
        ],
        "notes": report.notes,
    }


def closed_out(closed: ClosedMonth) -> dict[str, Any]:
    return {
        "month": Month.from_first_day(closed.month).code,
        "closed_at": closed.closed_at,
        "closed_by": closed.closed_by_label,
    }


@router.get(
    "/reports/billing/closed-months",
    response={200: list[ClosedMonthOut], **ERRORS},
    summary="Закрытые месяцы биллинга",
)
def closed_months(request: HttpRequest) -> Any:
    report_scope(current_user(request), ReportKind.BILLING)
    return [closed_out(row) for row in ClosedMonth.objects.order_by("-month")]


@router.post(
    "/reports/billing/{month}/close",
    response={201: ClosedMonthOut, **ERRORS},
    summary="Закрыть месяц (руководитель)",
)
def close_month(request: HttpRequest, month: str) -> Any:
    try:
        chosen = Month.parse(month)
    except PeriodError as error:
        raise ValidationFailed(str(error), field="month") from None
    closed = billing_month_close(actor=current_user(request), month=chosen)
    return Status(201, closed_out(closed))


@router.get(
    "/reports/{kind}/export",
    response={200: None, **ERRORS},
    summary="Выгрузка отчёта (XLSX или CSV)",
)
def export_report(request: HttpRequest, kind: str, query: Query[ExportQuery]) -> Any:
    report_kind = _kind(kind)
    scope = report_scope(current_user(request), report_kind)
    filters = filters_from_query(_params(query))
    report = build_report(report_kind, filters, scope, clock.now(), full=True)
    return export_response(report, query.format, query.table)


@router.get(
    "/reports/{kind}",
    response={200: ReportOut, **ERRORS},
    summary="Отчёт: sla, backlog, load, billing, mix",
)
def get_report(request: HttpRequest, kind: str, query: Query[ReportQuery]) -> Any:
    report_kind = _kind(kind)
    scope = report_scope(current_user(request), report_kind)
    filters = filters_from_query(_params(query))
    return report_out(build_report(report_kind, filters, scope, clock.now()))
