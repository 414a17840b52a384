"""Report selectors: one per report, each returning a `Report` built by database aggregates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from servicedesk.reports.access import ReportKind, Scope
from servicedesk.reports.domain.tables import Report
from servicedesk.reports.filters import ReportFilters
from servicedesk.reports.selectors.backlog import backlog_report
from servicedesk.reports.selectors.billing import billing_report
from servicedesk.reports.selectors.load import load_report
from servicedesk.reports.selectors.mix import mix_report
from servicedesk.reports.selectors.sla import sla_report

Builder = Callable[[ReportFilters, Scope, datetime], Report]

BUILDERS: dict[ReportKind, Builder] = {
    ReportKind.SLA: sla_report,
    ReportKind.BACKLOG: backlog_report,
    ReportKind.LOAD: load_report,
    ReportKind.BILLING: billing_report,
    ReportKind.MIX: mix_report,
}


def build_report(
    kind: ReportKind, filters: ReportFilters, scope: Scope, now: datetime, *, full: bool = False
) -> Report:
    """Return one report; `full` asks for everything an export holds (all bill lines)."""
    if kind == ReportKind.BILLING:
        return billing_report(filters, scope, now, all_lines=full)
    if kind == ReportKind.SLA and full:
        return sla_report(filters, scope, now, breach_limit=100_000)
    return BUILDERS[kind](filters, scope, now)
