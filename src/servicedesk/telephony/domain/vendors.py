"""Helpers shared by the vendor mappings: refusals, timestamps, numbers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any


class MappingError(ValueError):
    """A vendor payload we cannot read; the endpoint answers 422 and stores nothing."""


def require_text(payload: Mapping[str, Any], name: str) -> str:
    value = payload.get(name)
    if value is None or str(value).strip() == "":
        raise MappingError(f"Нет обязательного поля «{name}»")
    return str(value).strip()


def unix_time(value: Any, name: str) -> datetime | None:
    """Return the UTC instant of a unix timestamp given as int or string; None if absent."""
    if value is None or value == "":
        return None
    try:
        seconds = int(str(value).strip())
    except ValueError as error:
        raise MappingError(f"Поле «{name}»: ожидается время unix, получено {value!r}") from error
    if seconds <= 0:
        return None
    return datetime.fromtimestamp(seconds, tz=UTC)


def whole_seconds(value: Any, name: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        seconds = int(str(value).strip())
    except ValueError as error:
        raise MappingError(f"Поле «{name}»: ожидается число секунд, получено {value!r}") from error
    if seconds < 0:
        raise MappingError(f"Поле «{name}»: отрицательная длительность")
    return seconds
