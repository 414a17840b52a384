"""Report selectors: one per report, each returning a `Report` built by database aggregates."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from django.db import connection, transaction

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


@contextmanager
def report_queries() -> Iterator[None]:
    """Run a report's queries in one read transaction, without PostgreSQL's JIT.

    Report queries are index-driven lookups whose estimated cost (a subquery per ticket)
    crosses `jit_above_cost`; compiling them took longer than running them (≈ 0.3 s of a
    0.5 s query over a month of a million tickets), so JIT is off for these transactions.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


def build_report(
    kind: ReportKind, filters: ReportFilters, scope: Scope, now: datetime, *, full: bool = False
) -> Report:
    """Return one report; `full` asks for everything an export holds (all bill lines)."""
    with report_queries():
        if kind == ReportKind.BILLING:
            return billing_report(filters, scope, now, all_lines=full)
        if kind == ReportKind.SLA and full:
            return sla_report(filters, scope, now, breach_limit=100_000)
        return BUILDERS[kind](filters, scope, now)
