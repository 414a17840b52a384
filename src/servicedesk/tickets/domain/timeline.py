"""Turn history events into Russian sentences for the ticket's timeline (no Django)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from servicedesk.routing.timeline import ROUTING_DESCRIBERS
from servicedesk.tickets.domain.events import EVENT_LABELS, TicketEventType
from servicedesk.tickets.domain.statuses import StatusCategory
from servicedesk.worklogs.timeline import WORK_DESCRIBERS

EMPTY = "—"

FIELD_LABELS = {
    "subject": "Тема",
    "description": "Описание",
    "outlet": "Торговая точка",
    "requester": "Заявитель",
    "line": "Линия",
    "service": "Услуга",
    "sla_level": "Уровень SLA",
    "assignee": "Исполнитель",
    "role_queue": "Очередь",
    "status": "Статус",
}

CHANNEL_LABELS = {"phone": "телефон", "email": "e-mail", "portal": "портал", "api": "API"}

CATEGORY_NAMES = {category.value: category.label for category in StatusCategory}

ESCALATION_LABELS = {
    "l3": "на 3-ю линию",
    "service_manager": "сервис-менеджеру",
    "development": "в разработку",
}


@dataclass(frozen=True)
class Names:
    """Display names for the codes stored in event data; unknown codes show as they are."""

    statuses: Mapping[str, str] = field(default_factory=dict)
    services: Mapping[str, str] = field(default_factory=dict)
    people: Mapping[str, str] = field(default_factory=dict)
    roles: Mapping[str, str] = field(default_factory=dict)
    levels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EventLine:
    """One timeline entry: a title and the details under it."""

    title: str
    details: tuple[str, ...] = ()


def usernames_in(events_data: Iterable[Mapping[str, Any]]) -> set[str]:
    """Return every login mentioned in event data, so names can be fetched in one query."""
    found: set[str] = set()
    for data in events_data:
        assignee = data.get("assignee")
        if isinstance(assignee, dict):
            found |= {v for v in (assignee.get("old"), assignee.get("new")) if isinstance(v, str)}
        elif isinstance(assignee, str):
            found.add(assignee)
    return found


def _show(value: Any, names: Mapping[str, str] | None = None) -> str:
    if value is None or value == "":
        return EMPTY
    if names is not None and isinstance(value, str):
        return names.get(value, value)
    return str(value)


def _old_new(
    data: Mapping[str, Any], key: str, names: Mapping[str, str] | None = None
) -> str | None:
    pair = data.get(key)
    if not isinstance(pair, dict):
        return None
    old, new = _show(pair.get("old"), names), _show(pair.get("new"), names)
    return f"{FIELD_LABELS.get(key, key)}: {old} → {new}"


def _reason(data: Mapping[str, Any]) -> tuple[str, ...]:
    reason = data.get("reason")
    return (f"Причина: {reason}",) if reason else ()


def _size(size: Any) -> str:
    if not isinstance(size, int):
        return ""
    if size < 1024:
        return f"{size} Б"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} КБ"
    return f"{size / (1024 * 1024):.1f} МБ"


def _lines(*parts: str | None) -> tuple[str, ...]:
    return tuple(part for part in parts if part)


def describe_event(event_type: str, data: Mapping[str, Any], names: Names) -> EventLine:
    """Return the Russian title and details of one history event."""
    try:
        kind: TicketEventType | None = TicketEventType(event_type)
    except ValueError:
        kind = None
    title = EVENT_LABELS.get(kind, event_type) if kind else event_type
    if kind is None:
        return EventLine(title, tuple(f"{k}: {_show(v)}" for k, v in sorted(data.items())))
    describe = _DESCRIBERS.get(kind)
    return EventLine(title, describe(data, names) if describe else ())


def _created(data: Mapping[str, Any], names: Names) -> tuple[str, ...]:
    return _lines(
        f"Канал: {CHANNEL_LABELS.get(str(data.get('channel')), _show(data.get('channel')))}",
        f"Услуга: {_show(data.get('service'), names.services)}",
        f"Уровень SLA: {_show(data.get('sla_level'), names.levels)}",
        f"Линия: {_show(data.get('line'))}",
        f"Исполнитель: {_show(data.get('assignee'), names.people)}"
        if data.get("assignee")
        else None,
    )


def _fields(data: Mapping[str, Any], names: Names) -> tuple[str, ...]:
    result: list[str | None] = []
    for key in sorted(data):
        if key in ("description", "requester"):
            result.append(f"{FIELD_LABELS[key]}: изменено")
        else:
            result.append(_old_new(data, key))
    return _lines(*result)


def _status(data: Mapping[str, Any], names: Names) -> tuple[str, ...]:
    line = _old_new(data, "status", names.statuses)
    if line is None and isinstance(data.get("category"), dict):
        line = _old_new(data, "category", CATEGORY_NAMES)
    return _lines(line, *_reason(data))


def _assigned(data: Mapping[str, Any], names: Names) -> tuple[str, ...]:
    queue = data.get("role_queue")
    queue_line = None
    if isinstance(queue, dict) and queue.get("old") != queue.get("new"):
        queue_line = _old_new(data, "role_queue", names.roles)
    assignee = data.get("assignee")
    assignee_line = None
    if isinstance(assignee, dict) and assignee.get("old") != assignee.get("new"):
        assignee_line = _old_new(data, "assignee", names.people)
    return _lines(assignee_line, queue_line)


def _service(data: Mapping[str, Any], names: Names) -> tuple[str, ...]:
    return _lines(
        _old_new(data, "service", names.services), _old_new(data, "sla_level", names.levels)
    )


def _priority(data: Mapping[str, Any], names: Names) -> tuple[str, ...]:
    return _lines(_old_new(data, "sla_level", names.levels), *_reason(data))


def _commented(data: Mapping[str, Any], names: Names) -> tuple[str, ...]:
    kind = "Публичный ответ" if data.get("public") else "Внутренняя заметка"
    channel = CHANNEL_LABELS.get(str(data.get("channel")), "")
    return (f"{kind}{f' ({channel})' if channel else ''}",)


def _attachment(data: Mapping[str, Any], names: Names) -> tuple[str, ...]:
    visibility = "" if data.get("public", True) else ", внутренний"
    return (f"{_show(data.get('filename'))} ({_size(data.get('size'))}{visibility})",)


def _line_flag(data: Mapping[str, Any], names: Names) -> tuple[str, ...]:
    return _lines(str(data["message"]) if data.get("message") else None)


def _escalated(data: Mapping[str, Any], names: Names) -> tuple[str, ...]:
    target = ESCALATION_LABELS.get(str(data.get("to")), _show(data.get("to")))
    return _lines(f"Эскалация {target}", *_reason(data))


def _merged(data: Mapping[str, Any], names: Names) -> tuple[str, ...]:
    if data.get("into"):
        return (f"Объединено с {data['into']} как дубликат",)
    if data.get("from"):
        return (f"Присоединён дубликат {data['from']}",)
    return ()


_DESCRIBERS = {
    TicketEventType.CREATED: _created,
    TicketEventType.FIELDS_CHANGED: _fields,
    TicketEventType.STATUS_CHANGED: _status,
    TicketEventType.REOPENED: _status,
    TicketEventType.ASSIGNED: _assigned,
    TicketEventType.SERVICE_CHANGED: _service,
    TicketEventType.PRIORITY_RAISED: _priority,
    TicketEventType.COMMENTED: _commented,
    TicketEventType.ATTACHMENT_ADDED: _attachment,
    TicketEventType.LINE_NOT_IN_CONTRACT: _line_flag,
    TicketEventType.ESCALATED: _escalated,
    TicketEventType.MERGED: _merged,
    **WORK_DESCRIBERS,  # work time and estimates (servicedesk.worklogs)
    **ROUTING_DESCRIBERS,  # why a ticket went where it went (servicedesk.routing)
}
