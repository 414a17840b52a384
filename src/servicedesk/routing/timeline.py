"""Russian explanations of routing and classification events for the ticket timeline."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from servicedesk.tickets.domain.events import TicketEventType

FIELD_NAMES = {"line": "линия", "role": "очередь", "assignee": "исполнитель", "sla_level": "SLA"}


def _name(value: Any, names: Mapping[str, str] | None) -> str:
    text = str(value)
    return names.get(text, text) if names else text


def _routed(data: Mapping[str, Any], names: Any) -> tuple[str, ...]:
    lines: list[str] = []
    for rule in data.get("rules") or []:
        decided = rule.get("decided") or {}
        parts = ", ".join(
            f"{FIELD_NAMES.get(k, k)} {_decided_value(k, v, names)}" for k, v in decided.items()
        )
        stop = "; правила ниже не применялись" if rule.get("stop") else ""
        lines.append(f"Правило «{rule.get('name')}»: {parts or 'без новых действий'}{stop}")
    if not data.get("rules") and "how" in data and data.get("how") != "shift_started":
        lines.append("Ни одно правило не подошло")
    role = _name(data.get("role"), getattr(names, "roles", None)) if data.get("role") else ""
    person = _name(data.get("assignee"), getattr(names, "people", None))
    how = data.get("how")
    if how == "least_loaded":
        lines.append(
            f"Назначено: {person} — на смене и наименее загружен в очереди «{role}» "
            f"(нагрузка {_load(data.get('load'))}, на смене {data.get('on_shift')})"
        )
    elif how == "rule":
        lines.append(f"Назначено по правилу: {person}")
    elif how == "nobody_on_shift":
        lines.append(
            f"В очереди «{role}» сейчас никого нет на смене: обращение ждёт в очереди "
            "и будет назначено первым с началом смены"
        )
    elif how == "shift_started":
        lines.append(
            f"Смена началась: назначено {person}, наименее загруженному в очереди «{role}»"
        )
    elif how == "no_role":
        lines.append("Правила не выбрали очередь: обращение ждёт разбора")
    return tuple(lines)


def _decided_value(key: str, value: Any, names: Any) -> str:
    lookup = {"role": "roles", "assignee": "people", "sla_level": "levels"}.get(key)
    return _name(value, getattr(names, lookup, None) if lookup else None)


def _load(value: Any) -> str:
    return f"{float(value):g}" if isinstance(value, int | float) else "—"


def _predictions(data: Mapping[str, Any], names: Any) -> str:
    services = getattr(names, "services", None)
    return ", ".join(
        f"{_name(p.get('service'), services)} {round(100 * float(p.get('probability', 0)))}%"
        for p in data.get("predictions") or []
    )


def _suggested(data: Mapping[str, Any], names: Any) -> tuple[str, ...]:
    threshold = round(100 * float(data.get("threshold", 0)))
    return (
        f"Варианты: {_predictions(data, names)}",
        f"Уверенность ниже порога {threshold}%: услугу выбирает сотрудник 1-й линии",
    )


def _classified(data: Mapping[str, Any], names: Any) -> tuple[str, ...]:
    services = getattr(names, "services", None)
    chosen = _name(data.get("service"), services)
    probability = round(100 * float(data.get("probability", 0)))
    return (
        f"Услуга «{chosen}» установлена автоматически (уверенность {probability}%, "
        f"модель {data.get('model_version')})",
        f"Варианты: {_predictions(data, names)}",
    )


ROUTING_DESCRIBERS: dict[TicketEventType, Callable[[Mapping[str, Any], Any], tuple[str, ...]]] = {
    TicketEventType.ROUTED: _routed,
    TicketEventType.SERVICE_SUGGESTED: _suggested,
    TicketEventType.SERVICE_CLASSIFIED: _classified,
}
