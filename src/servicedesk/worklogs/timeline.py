"""How work-time events read in the ticket's history (no Django).

`tickets.domain.timeline` adds these describers to its own; each returns the detail
lines under the event's title.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from servicedesk.tickets.domain.events import TicketEventType

_DECISIONS = {
    "approved": "согласовано",
    "rejected": "отклонено",
    "declined": "отклонена",
}
_CHANGE_LABELS = {"minutes": "Минуты", "billable": "Оплачивается", "work_date": "Дата работы"}


def _day(value: Any) -> str:
    try:
        return f"{date.fromisoformat(str(value)):%d.%m.%Y}"
    except ValueError:
        return str(value)


def _shown(key: str, value: Any) -> str:
    if key == "billable":
        return "да" if value else "нет"
    if key == "work_date":
        return _day(value)
    return str(value)


def _note(data: Mapping[str, Any], label: str = "Комментарий") -> tuple[str, ...]:
    return (f"{label}: {data['note']}",) if data.get("note") else ()


def _worklog_added(data: Mapping[str, Any], names: Any) -> tuple[str, ...]:
    kind = data.get("kind")
    paid = (
        "консультация"
        if kind == "consultation"
        else ("оплачивается" if data.get("billable") else "не оплачивается")
    )
    lines = [f"{data.get('minutes')} мин за {_day(data.get('work_date'))}, {paid}"]
    if data.get("excess_minutes"):
        lines.append(
            f"Сверх согласованной оценки: {data['excess_minutes']} мин — ждёт согласования"
        )
    if data.get("over_cap_minutes"):
        lines.append(f"Сверх лимита консультаций: {data['over_cap_minutes']} мин")
    return tuple(lines)


def _worklog_corrected(data: Mapping[str, Any], names: Any) -> tuple[str, ...]:
    changes = data.get("changes") or {}
    lines = [
        f"{_CHANGE_LABELS.get(key, key)}: "
        f"{_shown(key, pair.get('old'))} → {_shown(key, pair.get('new'))}"
        for key, pair in sorted(changes.items())
        if isinstance(pair, dict)
    ]
    if data.get("note_changed"):
        lines.append("Описание работы изменено")
    if data.get("reason"):
        lines.append(f"Причина: {data['reason']}")
    return tuple(lines)


def _excess_decided(data: Mapping[str, Any], names: Any) -> tuple[str, ...]:
    decision = _DECISIONS.get(str(data.get("decision")), str(data.get("decision")))
    return (f"{data.get('excess_minutes')} мин сверх оценки: {decision}", *_note(data))


def _estimate_proposed(data: Mapping[str, Any], names: Any) -> tuple[str, ...]:
    return (f"Оценка: {data.get('hours')} ч", *_note(data, "Пояснение"))


def _estimate_decided(data: Mapping[str, Any], names: Any) -> tuple[str, ...]:
    decision = "согласована" if data.get("decision") == "approved" else "отклонена"
    return (f"Оценка {data.get('hours')} ч {decision}", *_note(data))


WORK_DESCRIBERS: dict[TicketEventType, Callable[[Mapping[str, Any], Any], tuple[str, ...]]] = {
    TicketEventType.WORKLOG_ADDED: _worklog_added,
    TicketEventType.WORKLOG_CORRECTED: _worklog_corrected,
    TicketEventType.WORKLOG_EXCESS_DECIDED: _excess_decided,
    TicketEventType.ESTIMATE_PROPOSED: _estimate_proposed,
    TicketEventType.ESTIMATE_DECIDED: _estimate_decided,
}
