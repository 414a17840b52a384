"""Pieces every report selector shares: the ticket conditions of filters and scope."""

from __future__ import annotations

from django.db.models import Q

from servicedesk.reports.access import Scope
from servicedesk.reports.domain.periods import Period
from servicedesk.reports.domain.tables import Link
from servicedesk.reports.filters import ReportFilters
from servicedesk.reports.links import ticket_url
from servicedesk.tickets.models import format_ticket_number

NO_SERVICE = "Без услуги"
UNASSIGNED = "Не назначено"


def ticket_q(filters: ReportFilters, scope: Scope, prefix: str = "") -> Q:
    """Return the ticket conditions of the filters and the scope (fields under `prefix`)."""
    condition = Q()
    if scope.client_id is not None:
        condition &= Q(**{f"{prefix}client_id": scope.client_id})
    elif filters.clients:
        condition &= Q(**{f"{prefix}client__code__in": filters.clients})
    if filters.services:
        condition &= Q(**{f"{prefix}service__code__in": filters.services})
    if filters.levels:
        condition &= Q(**{f"{prefix}sla_level__code__in": filters.levels})
    if filters.lines:
        condition &= Q(**{f"{prefix}line__in": filters.lines})
    if filters.assignee == "none":
        condition &= Q(**{f"{prefix}assignee__isnull": True})
    elif filters.assignee:
        condition &= Q(**{f"{prefix}assignee__username": filters.assignee})
    return condition


def in_period(period: Period, field: str) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


def ticket_link(number: int, scope: Scope) -> Link:
    """Link a ticket to the page this viewer uses (workspace, or portal for a client)."""
    return Link(format_ticket_number(number), ticket_url(number, for_client=scope.is_client))


def person_name(first: str | None, last: str | None, username: str | None) -> str:
    name = f"{first or ''} {last or ''}".strip()
    return name or (username or UNASSIGNED)
