"""Routing endpoints: the rule table and who is on shift with what load."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from servicedesk.accounts.roles import Role
from servicedesk.api.auth import current_user
from servicedesk.api.schemas import ERRORS
from servicedesk.core import clock
from servicedesk.core.errors import Forbidden, ValidationFailed
from servicedesk.routing import selectors

router = Router(tags=["Маршрутизация"])


class RuleOut(Schema):
    id: int
    position: int
    name: str
    services: list[str]
    without_service: bool
    clients: list[str]
    channels: list[str]
    lines: list[str]
    words: list[str]
    working_time: str
    set_line: str
    set_role: str
    set_assignee: str | None
    set_sla_level: str | None
    stop: bool


class DutyOut(Schema):
    username: str
    on_shift: bool
    load: float
    open_tickets: int


def _staff(request: HttpRequest) -> None:
    if not current_user(request).is_support_staff:
        raise Forbidden("Маршрутизация доступна только сотрудникам поддержки")


@router.get("/routing/rules", response={200: list[RuleOut], **ERRORS}, summary="Правила")
def list_rules(request: HttpRequest) -> Any:
    _staff(request)
    rule_rows = selectors.rule_rows()
    return [
        {
            "id": r.pk,
            "position": r.position,
            "name": r.name,
            "services": sorted(s.code for s in r.services.all()),
            "without_service": r.without_service,
            "clients": sorted(c.code for c in r.clients.all()),
            "channels": list(r.channels or []),
            "lines": list(r.lines or []),
            "words": [w.strip() for w in (r.words or "").splitlines() if w.strip()],
            "working_time": r.working_time,
            "set_line": r.set_line,
            "set_role": r.set_role,
            "set_assignee": r.set_assignee.username if r.set_assignee else None,
            "set_sla_level": r.set_sla_level.code if r.set_sla_level else None,
            "stop": r.stop,
        }
        for r in rule_rows
    ]


@router.get(
    "/routing/duty/{role}", response={200: list[DutyOut], **ERRORS}, summary="Смена и нагрузка"
)
def duty(request: HttpRequest, role: str) -> Any:
    _staff(request)
    if role not in {r.value for r in Role}:
        raise ValidationFailed(f"Неизвестная роль «{role}»", field="role")
    return [c.__dict__ for c in selectors.role_candidates(role, clock.now())]
