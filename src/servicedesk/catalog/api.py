"""Catalogue endpoints."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from servicedesk.api.schemas import ERRORS
from servicedesk.catalog.domain import Impact
from servicedesk.catalog.models import Service, SlaLevel
from servicedesk.catalog.selectors import default_sla_level

router = Router(tags=["Каталог"])


class LevelOut(Schema):
    code: str
    priority: str
    rank: int
    reaction_minutes: int
    resolution_minutes: int


class ServiceOut(Schema):
    code: str
    name: str
    impact: str | None
    escalation: bool
    raise_priority: bool
    sla_level: str | None
    sla_level_is_default: bool
    default_line: str
    in_catalogue: bool
    in_classifier: bool


@router.get("/catalog/services", response={200: list[ServiceOut], **ERRORS}, summary="Услуги")
def list_services(request: HttpRequest) -> Any:
    default = default_sla_level()
    return [
        {
            "code": s.code,
            "name": s.name,
            "impact": Impact(s.impact).label if s.impact else None,
            "escalation": s.escalation,
            "raise_priority": s.raise_priority,
            "sla_level": s.sla_level.code if s.sla_level else (default.code if default else None),
            "sla_level_is_default": s.sla_level is None,
            "default_line": s.default_line,
            "in_catalogue": s.in_catalogue,
            "in_classifier": s.in_classifier,
        }
        for s in Service.objects.filter(is_active=True).select_related("sla_level")
    ]


@router.get("/sla/levels", response={200: list[LevelOut], **ERRORS}, summary="Уровни SLA")
def list_levels(request: HttpRequest) -> Any:
    return list(SlaLevel.objects.all())
