"""Who sees which report: staff by capability, client users only their own client.

| report                     | head | service manager | client user            |
|----------------------------|------|-----------------|------------------------|
| SLA compliance             | all  | all             | own client             |
| backlog and ageing         | all  | all             | own client             |
| load and coverage          | all  | all             | —                      |
| channel and category mix   | all  | all             | —                      |
| billing (and month close)  | all  | —               | own client (read only) |

Other staff roles see no reports. A client user never chooses the client: the scope
forces it, whatever the filters say.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from servicedesk.accounts.models import User
from servicedesk.accounts.roles import Capability
from servicedesk.core.errors import Forbidden


class ReportKind(StrEnum):
    SLA = "sla"
    BACKLOG = "backlog"
    LOAD = "load"
    BILLING = "billing"
    MIX = "mix"

    @property
    def label(self) -> str:
        return REPORT_LABELS[self]


REPORT_LABELS = {
    ReportKind.SLA: "Соблюдение SLA",
    ReportKind.BACKLOG: "Очередь и возраст обращений",
    ReportKind.LOAD: "Нагрузка и покрытие",
    ReportKind.BILLING: "Биллинг по клиентам",
    ReportKind.MIX: "Каналы и категории",
}

CLIENT_VISIBLE = frozenset({ReportKind.SLA, ReportKind.BACKLOG, ReportKind.BILLING})


@dataclass(frozen=True)
class Scope:
    """The part of the data a report may show to this user."""

    client_id: int | None  # None: every client
    client_code: str | None = None

    @property
    def is_client(self) -> bool:
        return self.client_id is not None


def report_scope(user: User, kind: ReportKind) -> Scope:
    """Return the user's scope for a report, or refuse (403) with a Russian message."""
    if not user.is_active:
        raise Forbidden("Учётная запись отключена")
    if user.client_id is not None:
        if kind not in CLIENT_VISIBLE or user.client is None:
            raise Forbidden("Этот отчёт доступен только сотрудникам поддержки")
        return Scope(client_id=user.client_id, client_code=user.client.code)
    needed = Capability.VIEW_BILLING if kind == ReportKind.BILLING else Capability.VIEW_REPORTS
    if not user.is_support_staff or not user.can(needed):
        raise Forbidden(f"Отчёт «{kind.label}» вам недоступен")
    return Scope(client_id=None)


def available_reports(user: User) -> list[ReportKind]:
    result = []
    for kind in ReportKind:
        try:
            report_scope(user, kind)
        except Forbidden:
            continue
        result.append(kind)
    return result


def may_close_months(user: User) -> bool:
    return user.is_support_staff and user.can(Capability.VIEW_BILLING)
