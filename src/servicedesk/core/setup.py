"""Load Plas-Tek's configuration: roles, calendars, catalogue, statuses (idempotent)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from servicedesk.accounts.setup import setup_role_groups
from servicedesk.catalog.services import catalog_load_plastek
from servicedesk.channels.email.defaults import load_default_templates
from servicedesk.knowledge.seed import kb_load_plastek
from servicedesk.privacy.setup import grant_privacy_permissions
from servicedesk.routing.setup import routing_load_defaults
from servicedesk.sla.setup import sla_load_defaults
from servicedesk.tickets.defaults import load_default_statuses

Step = tuple[str, Callable[[], object]]

# Apps that add configuration (calendars, routing rules, escalation ladders, templates)
# append their loader here, in dependency order.
STEPS: list[Step] = [
    ("роли", setup_role_groups),
    ("каталог и уровни SLA", catalog_load_plastek),
    ("статусы", load_default_statuses),
    ("календари и SLA", sla_load_defaults),
    ("правила маршрутизации", routing_load_defaults),
    ("база знаний и шаблоны ответов", kb_load_plastek),
    ("права журналов безопасности и ПДн", grant_privacy_permissions),
    ("шаблоны писем", load_default_templates),
]


@transaction.atomic
def load_plastek_configuration(report: Callable[[str], None] = lambda _: None) -> None:
    """Run every configuration step; rows the head already edited are kept."""
    for label, step in STEPS:
        result = step()
        report(f"{label}: {result if result is not None else 'готово'}")
