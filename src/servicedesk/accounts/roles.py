"""The support group's five roles and what each may do (SPEC §3), without Django."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A staff role; one person may hold several."""

    HEAD = "head"
    SERVICE_MANAGER = "service_manager"
    SQL_ENGINEER = "sql_engineer"
    SYSADMIN = "sysadmin"
    SD_MANAGER = "sd_manager"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.HEAD: "Руководитель",
    Role.SERVICE_MANAGER: "Сервис-менеджер",
    Role.SQL_ENGINEER: "Инженер SQL",
    Role.SYSADMIN: "Системный администратор",
    Role.SD_MANAGER: "Менеджер SD",
}


class Capability(StrEnum):
    """Something a role allows beyond working tickets."""

    WORK_TICKETS = "work_tickets"
    CONFIGURE = "configure"  # catalogue, SLA, calendars, routing, roles, schedules
    VIEW_REPORTS = "view_reports"
    VIEW_BILLING = "view_billing"
    MANAGE_PROBLEMS = "manage_problems"
    ESCALATE_TO_DEVELOPMENT = "escalate_to_development"
    MANAGE_CHANNELS = "manage_channels"
    CORRECT_WORKLOGS = "correct_worklogs"
    VIEW_PERSONAL_DATA = "view_personal_data"


_EVERYONE = frozenset({Capability.WORK_TICKETS})

ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.HEAD: frozenset(Capability),
    Role.SERVICE_MANAGER: _EVERYONE
    | {
        Capability.VIEW_REPORTS,
        Capability.MANAGE_PROBLEMS,
        Capability.ESCALATE_TO_DEVELOPMENT,
        Capability.VIEW_PERSONAL_DATA,
    },
    Role.SQL_ENGINEER: _EVERYONE | {Capability.VIEW_PERSONAL_DATA},
    Role.SYSADMIN: _EVERYONE | {Capability.MANAGE_CHANNELS},
    Role.SD_MANAGER: _EVERYONE | {Capability.VIEW_PERSONAL_DATA},
}


def capabilities_of(roles: frozenset[Role] | set[Role]) -> frozenset[Capability]:
    """Return the union of what `roles` allow."""
    result: frozenset[Capability] = frozenset()
    for role in roles:
        result |= ROLE_CAPABILITIES[role]
    return result
