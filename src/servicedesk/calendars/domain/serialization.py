"""JSON import and export of business calendars.

The document format (an empty list is a day off)::

    {
      "code": "five-two", "name": "5/2 МСК", "timezone": "Europe/Moscow",
      "week": {"mon": [["09:00", "18:00"]], ..., "sat": [], "sun": []},
      "overrides": {"2025-11-01": [["09:00", "17:00"]], "2025-11-03": []}
    }

Times are "HH:MM" or "HH:MM:SS"; "24:00" may end a window. Every key is required
and no other key is accepted, so a typo cannot silently drop a setting. Errors are
`CalendarError`s with a Russian message naming the field, e.g.
``overrides.2025-13-01: неверная дата``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from servicedesk.calendars.domain.business_time import (
    WEEKDAY_CODES,
    BusinessCalendar,
    CalendarError,
    DayPlan,
    Window,
    parse_time_of_day,
)

DOCUMENT_KEYS = ("code", "name", "timezone", "week", "overrides")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def calendar_to_document(code: str, name: str, calendar: BusinessCalendar) -> dict[str, Any]:
    """Return the calendar as a JSON-ready document, overrides in date order."""
    return {
        "code": code,
        "name": name,
        "timezone": calendar.timezone,
        "week": {
            weekday: _plan_to_lists(plan)
            for weekday, plan in zip(WEEKDAY_CODES, calendar.week, strict=True)
        },
        "overrides": {
            day.isoformat(): _plan_to_lists(plan)
            for day, plan in sorted(calendar.overrides.items())
        },
    }


def calendar_from_document(document: object) -> tuple[str, str, BusinessCalendar]:
    """Return (code, name, calendar) read from a parsed JSON document.

    Raise CalendarError naming the first offending field.
    """
    fields = _object(document, path="", expected=DOCUMENT_KEYS)
    code = _text(fields["code"], path="code")
    name = _text(fields["name"], path="name")
    timezone = _text(fields["timezone"], path="timezone")
    week_fields = _object(fields["week"], path="week", expected=WEEKDAY_CODES)
    week = tuple(_plan(week_fields[weekday], path=f"week.{weekday}") for weekday in WEEKDAY_CODES)
    overrides: dict[date, DayPlan] = {}
    for key, value in _object(fields["overrides"], path="overrides").items():
        path = f"overrides.{key}"
        overrides[_date(key, path=path)] = _plan(value, path=path)
    # Sorting, overlaps and the time zone are checked by the calendar itself, with
    # the same field paths, so the rules live in one place.
    return code, name, BusinessCalendar(timezone=timezone, week=week, overrides=overrides)


def _plan_to_lists(plan: DayPlan) -> list[list[str]]:
    """Return a day's windows as [["HH:MM", "HH:MM"], ...]."""
    return [list(window.format()) for window in plan]


def _object(
    value: object, *, path: str, expected: tuple[str, ...] | None = None
) -> Mapping[str, object]:
    """Return a JSON object, checking its keys against `expected` when given."""
    if not isinstance(value, dict):
        raise CalendarError(f"ожидается объект, получено {_json_type(value)}", path=path)
    prefix = f"{path}." if path else ""
    for key in value:
        if not isinstance(key, str):
            raise CalendarError(f"ключ {key!r} должен быть строкой", path=path)
    if expected is not None:
        for key in value:
            if key not in expected:
                what = "неизвестный день недели" if path == "week" else "неизвестное поле"
                raise CalendarError(
                    f"{what}, допустимы: {', '.join(expected)}",
                    path=f"{prefix}{key}",
                )
        for key in expected:
            if key not in value:
                raise CalendarError("обязательное поле отсутствует", path=f"{prefix}{key}")
    return value


def _text(value: object, *, path: str) -> str:
    """Return a non-blank string."""
    if not isinstance(value, str):
        raise CalendarError(f"ожидается строка, получено {_json_type(value)}", path=path)
    if not value.strip():
        raise CalendarError("не может быть пустым", path=path)
    return value


def _date(key: str, *, path: str) -> date:
    """Return the date of an ISO "YYYY-MM-DD" key."""
    if _ISO_DATE.fullmatch(key) is None:
        raise CalendarError("неверная дата, ожидается ГГГГ-ММ-ДД", path=path)
    try:
        return date.fromisoformat(key)
    except ValueError:
        raise CalendarError("неверная дата, ожидается ГГГГ-ММ-ДД", path=path) from None


def _plan(value: object, *, path: str) -> DayPlan:
    """Return a day's windows from [["HH:MM", "HH:MM"], ...]."""
    if not isinstance(value, list):
        raise CalendarError(f"ожидается список интервалов, получено {_json_type(value)}", path=path)
    return tuple(_window(item, path=f"{path}[{position}]") for position, item in enumerate(value))


def _window(value: object, *, path: str) -> Window:
    """Return a window from ["HH:MM", "HH:MM"]."""
    if not isinstance(value, list) or len(value) != 2:
        raise CalendarError(
            f"ожидается пара [начало, конец], получено {_json_type(value)}", path=path
        )
    start, end = (
        _time(value[position], path=f"{path}[{position}]", end_of_day_allowed=position == 1)
        for position in (0, 1)
    )
    try:
        return Window(start, end)
    except CalendarError as error:
        raise CalendarError(error.reason, path=path) from None


def _time(value: object, *, path: str, end_of_day_allowed: bool) -> int:
    """Return seconds since midnight of a "HH:MM" string."""
    if not isinstance(value, str):
        raise CalendarError(f"ожидается строка времени, получено {_json_type(value)}", path=path)
    try:
        return parse_time_of_day(value, end_of_day_allowed=end_of_day_allowed)
    except CalendarError as error:
        raise CalendarError(error.reason, path=path) from None


def _json_type(value: object) -> str:
    """Return the JSON name of a value's type, for messages."""
    if isinstance(value, list):
        return f"список из {len(value)}"
    # bool before int: True is an int to Python but not a number to JSON.
    for json_type, name in _JSON_TYPE_NAMES:
        if isinstance(value, json_type):
            return name
    return type(value).__name__


_JSON_TYPE_NAMES: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (type(None), "null"),
    (bool, "логическое значение"),
    ((int, float), "число"),
    (str, "строка"),
    (dict, "объект"),
)
