"""Reads of the catalogue."""

from __future__ import annotations

from dataclasses import dataclass

from servicedesk.accounts.models import Client, Contract
from servicedesk.catalog.domain import (
    CatalogueProblem,
    Impact,
    LevelFacts,
    ServiceFacts,
    find_catalogue_problems,
)
from servicedesk.catalog.models import CatalogSettings, Service, SlaLevel
from servicedesk.core.queries import unique_row
from servicedesk.core.snapshots import snapshot


def level_facts() -> list[LevelFacts]:
    return [
        LevelFacts(code=level.code, priority=level.priority, rank=level.rank)
        for level in SlaLevel.objects.all()
    ]


@snapshot("catalog.CatalogSettings", "catalog.SlaLevel")
def default_sla_level() -> SlaLevel | None:
    """Return the level used for services the catalogue does not describe (kept per process)."""
    row = CatalogSettings.objects.select_related("default_sla_level").filter(pk=1).first()
    return row.default_sla_level if row else None


@snapshot("catalog.Service", "catalog.SlaLevel")
def service_with_level(code: str) -> Service | None:
    """Return the service with this code and its SLA level, active or not (kept per process)."""
    return unique_row(Service.objects.select_related("sla_level").filter(code=code))


def effective_sla_level(service: Service) -> SlaLevel | None:
    """Return the service's own level, or the configured default when it has none."""
    return service.sla_level or default_sla_level()


def catalogue_problems() -> list[CatalogueProblem]:
    """Return every contradiction and gap of the catalogue, for checks, admin and dashboard."""
    default = default_sla_level()
    facts = [
        ServiceFacts(
            code=service.code,
            name=service.name,
            impact=Impact(service.impact) if service.impact else None,
            sla_level_code=service.sla_level.code if service.sla_level else None,
            in_catalogue=service.in_catalogue,
            in_classifier=service.in_classifier,
        )
        for service in Service.objects.filter(is_active=True).select_related("sla_level")
    ]
    return find_catalogue_problems(facts, level_facts(), default.code if default else "—")


@dataclass(frozen=True)
class ServiceChoice:
    """A catalogue service as a client may pick it: covered by the contract or not."""

    code: str
    name: str
    covered: bool
    sla_level: str | None


def active_services() -> list[Service]:
    return list(Service.objects.filter(is_active=True).select_related("sla_level"))


def services_for_client(client: Client) -> list[ServiceChoice]:
    """Return every active service with whether the client's contract covers its line."""
    contract = Contract.objects.filter(client=client).first()
    default = default_sla_level()
    choices = []
    for service in active_services():
        level = service.sla_level or default
        choices.append(
            ServiceChoice(
                code=service.code,
                name=service.name,
                covered=contract is not None and contract.covers(service.default_line),
                sla_level=level.code if level else None,
            )
        )
    return choices
