"""Show report cells in Russian: 1 234,50; 71,4 %; 09.02.2026 12:00 (МСК); links."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from servicedesk.reports.domain.tables import Kind, Link
from servicedesk.reports.exports import _plain_text

register = template.Library()


def _grouped(value: Decimal | int | float, places: int) -> str:
    text = f"{value:,.{places}f}"
    return text.replace(",", "\u00a0").replace(".", ",")


def format_cell(value: Any, kind: str = Kind.TEXT) -> str:
    """Return a cell's text as the page shows it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, Link | datetime | date):
        return _plain_text(value) or "—"
    if kind == Kind.PERCENT:
        return f"{_grouped(float(value), 1)}\u00a0%"
    if kind in (Kind.HOURS, Kind.MONEY) and isinstance(value, Decimal | int | float):
        return _grouped(Decimal(str(value)), 2)
    if kind == Kind.INT and isinstance(value, int):
        return _grouped(value, 0)
    return str(value)


@register.filter
def cell(value: Any, kind: str = Kind.TEXT) -> SafeString:
    """Render one cell; a Link becomes an anchor (text escaped)."""
    if isinstance(value, Link):
        return format_html('<a href="{}">{}</a>', value.url, value.text)
    return format_html("{}", format_cell(value, kind))


@register.filter
def zip_columns(row: list[Any], columns: list[Any]) -> list[tuple[Any, Any]]:
    return list(zip(columns, row, strict=True))


@register.filter
def numeric(kind: str) -> bool:
    return kind in (Kind.INT, Kind.HOURS, Kind.MONEY, Kind.PERCENT)


@register.simple_tag
def svg(markup: str) -> SafeString:
    """Insert a chart built by reports.domain.charts (all its text is already escaped)."""
    return mark_safe(markup)


@register.filter
def heat(value: Any, maximum: int) -> str:
    """Return a CSS background for a coverage cell: darker for more actions."""
    if not isinstance(value, int) or not maximum or value <= 0:
        return ""
    alpha = 0.12 + 0.78 * value / maximum
    return f"background: rgba(47, 111, 179, {alpha:.2f})"


@register.filter
def max_int(table: Any) -> int:
    """Return the largest integer cell of a table (scale of the coverage heat map)."""
    values = [c for row in table.rows for c in row[1:-1] if isinstance(c, int)]
    return max(values, default=0)


@register.simple_tag(takes_context=True)
def export_url(context: Any, file_format: str, table: str = "") -> str:
    """Return the current page's address with `format` (and `table`) set."""
    query = context["request"].GET.copy()
    query["format"] = file_format
    if table:
        query["table"] = table
    else:
        query.pop("table", None)
    return "?" + str(query.urlencode())


@register.simple_tag(takes_context=True)
def reports_for_user(context: Any) -> list[Any]:
    """Return the reports the signed-in user may open (for the navigation)."""
    from servicedesk.accounts.models import User
    from servicedesk.reports.access import available_reports

    user = context["request"].user
    return available_reports(user) if isinstance(user, User) and user.is_active else []


@register.filter
def approves_excess(user: Any) -> bool:
    """Return whether to show the approvals page (service managers and the head)."""
    from servicedesk.accounts.models import User
    from servicedesk.worklogs.selectors import may_decide_excess

    return isinstance(user, User) and user.is_active and may_decide_excess(user)
