"""The choices a report's filter form offers to this user."""

from __future__ import annotations

from dataclasses import dataclass

from servicedesk.accounts.models import Client, SupportLine, User
from servicedesk.catalog.models import Service, SlaLevel
from servicedesk.reports.access import Scope
from servicedesk.reports.filters import SLA_GROUPS, STEPS


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class FilterOptions:
    clients: list[Choice]
    services: list[Choice]
    levels: list[Choice]
    lines: list[Choice]
    assignees: list[Choice]
    groups: list[Choice]
    steps: list[Choice]


def filter_options(scope: Scope) -> FilterOptions:
    clients: list[Choice] = []
    assignees: list[Choice] = []
    if not scope.is_client:
        clients = [Choice(c.code, c.name) for c in Client.objects.order_by("name")]
        staff = (
            User.objects.filter(client__isnull=True, is_active=True, groups__isnull=False)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        assignees = [Choice("none", "Не назначено"), *[Choice(u.username, str(u)) for u in staff]]
    groups = [Choice(k, v) for k, v in SLA_GROUPS.items()]
    if scope.is_client:
        groups = [g for g in groups if g.value not in ("client", "assignee")]
    return FilterOptions(
        clients=clients,
        services=[Choice(s.code, s.name) for s in Service.objects.filter(is_active=True)],
        levels=[Choice(level.code, str(level)) for level in SlaLevel.objects.all()],
        lines=[Choice(value, label) for value, label in SupportLine.choices],
        assignees=assignees,
        groups=groups,
        steps=[Choice(k, v) for k, v in STEPS.items()],
    )
