"""The shipped routing table (SPEC §8), loaded once into an empty table."""

from __future__ import annotations

from django.db import transaction

from servicedesk.accounts.roles import Role
from servicedesk.catalog.models import Service
from servicedesk.routing.models import RoutingRule

# (name, services, role): one rule per role of the role descriptions, in SPEC §8's order.
DEFAULT_RULES: tuple[tuple[str, tuple[str, ...], Role], ...] = (
    (
        "Инфраструктура — системному администратору",
        ("hardware", "channel", "performance", "access"),
        Role.SYSADMIN,
    ),
    (
        "Данные и интеграции — инженеру SQL",
        ("report", "segmentation", "promotion", "logging", "testing", "pos_integration"),
        Role.SQL_ENGINEER,
    ),
    (
        "Инциденты и студия — сервис-менеджеру (разбор)",
        ("incident", "studio"),
        Role.SERVICE_MANAGER,
    ),
    (
        "Консультации и обучение — менеджеру SD",
        ("consultation", "instruction", "training", "mailing"),
        Role.SD_MANAGER,
    ),
)
UNCLASSIFIED_RULE = "Без услуги — 1-я линия (менеджер SD) выбирает услугу"


@transaction.atomic
def routing_load_defaults() -> str:
    """Create the default rules when the table is empty; the head's edits are kept."""
    if RoutingRule.objects.exists():
        return "правила уже настроены, не изменены"
    position = 10
    for name, codes, role in DEFAULT_RULES:
        rule = RoutingRule.objects.create(position=position, name=name, set_role=role.value)
        rule.services.set(Service.objects.filter(code__in=codes))
        position += 10
    RoutingRule.objects.create(
        position=position, name=UNCLASSIFIED_RULE, without_service=True, set_role=Role.SD_MANAGER
    )
    return f"правил маршрутизации: {len(DEFAULT_RULES) + 1}"
