"""Writes to the catalogue: loading Plas-Tek's data and applying the impact mapping."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from servicedesk.accounts.models import User
from servicedesk.catalog import plastek
from servicedesk.catalog.domain import Impact, impact_consistent_level
from servicedesk.catalog.models import CatalogChange, CatalogSettings, Service, SlaLevel
from servicedesk.catalog.selectors import level_facts


@dataclass(frozen=True)
class LoadResult:
    created: int
    kept: int


@transaction.atomic
def catalog_load_plastek() -> LoadResult:
    """Create the SLA levels and 16 services of SPEC §5 that do not exist yet.

    Idempotent: rows that exist are left as the head edited them.
    """
    created = kept = 0
    levels: dict[str, SlaLevel] = {}
    for row in plastek.SLA_LEVELS:
        level, was_created = SlaLevel.objects.get_or_create(
            code=row.code,
            defaults={
                "priority": row.priority,
                "rank": row.rank,
                "reaction_minutes": row.reaction_hours * 60,
                "resolution_minutes": row.resolution_hours * 60,
            },
        )
        levels[row.code] = level
        created, kept = (created + 1, kept) if was_created else (created, kept + 1)
    CatalogSettings.objects.get_or_create(
        pk=1, defaults={"default_sla_level": levels[plastek.DEFAULT_LEVEL_FOR_UNDESCRIBED]}
    )
    for order, service_row in enumerate(plastek.SERVICES, start=1):
        _, was_created = Service.objects.get_or_create(
            code=service_row.code,
            defaults={
                "name": service_row.name,
                "impact": service_row.impact.value if service_row.impact else None,
                "escalation": service_row.escalation,
                "raise_priority": service_row.raise_priority,
                "sla_level": levels[service_row.sla_level] if service_row.sla_level else None,
                "default_line": service_row.default_line,
                "in_catalogue": service_row.in_catalogue,
                "in_classifier": service_row.in_classifier,
                "order": order,
            },
        )
        created, kept = (created + 1, kept) if was_created else (created, kept + 1)
    return LoadResult(created=created, kept=kept)


@transaction.atomic
def catalog_apply_impact_mapping(*, actor: User | None, actor_label: str) -> list[dict[str, str]]:
    """Move every described service to the SLA level its impact calls for; record who did it."""
    levels = {level.code: level for level in SlaLevel.objects.all()}
    facts = level_facts()
    changes: list[dict[str, str]] = []
    services = Service.objects.select_for_update().select_related("sla_level")
    for service in services.filter(impact__isnull=False, sla_level__isnull=False):
        if service.impact is None or service.sla_level is None:
            continue
        wanted = impact_consistent_level(Impact(service.impact), facts)
        if wanted is None or wanted.code == service.sla_level.code:
            continue
        changes.append({"service": service.code, "from": service.sla_level.code, "to": wanted.code})
        service.sla_level = levels[wanted.code]
        service.save(update_fields=["sla_level"])
    if changes:
        CatalogChange.objects.create(
            actor=actor, actor_label=actor_label, action="apply_impact_mapping", changes=changes
        )
    return changes
