"""JSON documents of calendars: the round trip, and one test per validation error."""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicedesk.calendars.domain.business_time import BusinessCalendar, CalendarError, Window
from servicedesk.calendars.domain.production import five_two_moscow, round_the_clock
from servicedesk.calendars.domain.serialization import (
    calendar_from_document,
    calendar_to_document,
)


def valid_document() -> dict[str, Any]:
    return {
        "code": "five-two",
        "name": "5/2 МСК",
        "timezone": "Europe/Moscow",
        "week": {
            "mon": [["09:00", "18:00"]],
            "tue": [["09:00", "18:00"]],
            "wed": [["09:00", "18:00"]],
            "thu": [["09:00", "18:00"]],
            "fri": [["09:00", "18:00"]],
            "sat": [],
            "sun": [],
        },
        "overrides": {"2025-11-01": [["09:00", "17:00"]], "2025-11-03": []},
    }


def rejection(document: object) -> str:
    with pytest.raises(CalendarError) as raised:
        calendar_from_document(document)
    return str(raised.value)


@st.composite
def day_plans(draw: st.DrawFn) -> tuple[Window, ...]:
    """Draw a valid day: sorted, non-overlapping windows to the second, 24:00 ends too."""
    edges = sorted(draw(st.lists(st.integers(0, 86_400), max_size=6, unique=True)))
    return tuple(Window(start, end) for start, end in zip(edges[::2], edges[1::2]))


calendars = st.builds(
    BusinessCalendar,
    timezone=st.sampled_from(["Europe/Moscow", "Asia/Vladivostok", "UTC", "Europe/Berlin"]),
    week=st.tuples(*[day_plans()] * 7),
    overrides=st.dictionaries(st.dates(date(2000, 1, 1), date(2099, 12, 31)), day_plans()),
)


@given(st.text(min_size=1).filter(str.strip), st.text(min_size=1).filter(str.strip), calendars)
def test_a_calendar_survives_a_round_trip_through_json(
    code: str, name: str, calendar: BusinessCalendar
) -> None:
    text = json.dumps(calendar_to_document(code, name, calendar), ensure_ascii=False)
    assert calendar_from_document(json.loads(text)) == (code, name, calendar)


def test_the_documented_example_reads_as_the_five_two_calendar_with_two_overrides() -> None:
    code, name, calendar = calendar_from_document(valid_document())
    assert (code, name) == ("five-two", "5/2 МСК")
    assert calendar.week[0] == (Window.parse("09:00", "18:00"),)
    assert calendar.week[6] == ()
    assert dict(calendar.overrides) == {
        date(2025, 11, 1): (Window.parse("09:00", "17:00"),),
        date(2025, 11, 3): (),
    }


def test_export_writes_wall_times_and_overrides_in_date_order() -> None:
    document = calendar_to_document("24x7", "Круглосуточно", round_the_clock())
    assert document["week"]["sun"] == [["00:00", "24:00"]]
    exported = calendar_to_document("5/2", "5/2", five_two_moscow([2025]))
    assert list(exported["overrides"]) == sorted(exported["overrides"])
    assert exported["overrides"]["2025-11-01"] == [["09:00", "17:00"]]


def test_a_document_that_is_not_an_object_is_rejected() -> None:
    assert rejection([]) == "ожидается объект, получено список из 0"


def test_a_missing_key_is_named() -> None:
    document = valid_document()
    del document["timezone"]
    assert rejection(document) == "timezone: обязательное поле отсутствует"


def test_an_unknown_key_is_named() -> None:
    document = valid_document() | {"colour": "red"}
    assert rejection(document).startswith("colour: неизвестное поле, допустимы: code")


def test_a_code_of_the_wrong_type_is_named() -> None:
    assert rejection(valid_document() | {"code": 5}) == "code: ожидается строка, получено число"


def test_a_blank_name_is_rejected() -> None:
    assert rejection(valid_document() | {"name": "  "}) == "name: не может быть пустым"


def test_an_unknown_time_zone_is_named() -> None:
    message = rejection(valid_document() | {"timezone": "Europe/Atlantis"})
    assert message == "timezone: неизвестный часовой пояс 'Europe/Atlantis'"


def test_a_week_that_is_not_an_object_is_named() -> None:
    message = rejection(valid_document() | {"week": [[]] * 7})
    assert message == "week: ожидается объект, получено список из 7"


def test_an_unknown_weekday_is_named() -> None:
    document = valid_document()
    document["week"]["mon2"] = []
    assert rejection(document).startswith("week.mon2: неизвестный день недели, допустимы: mon")


def test_a_missing_weekday_is_named() -> None:
    document = valid_document()
    del document["week"]["sun"]
    assert rejection(document) == "week.sun: обязательное поле отсутствует"


def test_a_day_that_is_not_a_list_is_named() -> None:
    document = valid_document()
    document["week"]["sat"] = None
    assert rejection(document) == "week.sat: ожидается список интервалов, получено null"


def test_a_window_that_is_not_a_pair_is_named() -> None:
    document = valid_document()
    document["week"]["mon"] = [["09:00", "13:00", "18:00"]]
    assert (
        rejection(document) == "week.mon[0]: ожидается пара [начало, конец], получено список из 3"
    )


def test_a_time_that_is_not_a_string_is_named() -> None:
    document = valid_document()
    document["week"]["mon"] = [[9, "18:00"]]
    assert rejection(document) == "week.mon[0][0]: ожидается строка времени, получено число"


def test_a_malformed_time_is_named() -> None:
    document = valid_document()
    document["week"]["tue"] = [["09:00", "18.00"]]
    assert rejection(document) == (
        "week.tue[0][1]: неверное время '18.00', ожидается ЧЧ:ММ или ЧЧ:ММ:СС"
    )


def test_24_00_as_a_start_is_named() -> None:
    document = valid_document()
    document["week"]["sun"] = [["24:00", "24:00"]]
    assert rejection(document) == "week.sun[0][0]: 24:00 допустимо только как конец интервала"


def test_an_end_not_after_the_start_is_named() -> None:
    document = valid_document()
    document["overrides"]["2025-11-01"] = [["17:00", "09:00"]]
    assert rejection(document) == (
        "overrides.2025-11-01[0]: конец 09:00 должен быть позже начала 17:00"
    )


def test_overlapping_windows_are_named() -> None:
    document = valid_document()
    document["week"]["wed"] = [["09:00", "13:00"], ["12:30", "18:00"]]
    assert rejection(document) == ("week.wed[1]: интервал 12:30–18:00 пересекается с 09:00–13:00")


def test_unsorted_windows_are_named() -> None:
    document = valid_document()
    document["week"]["thu"] = [["14:00", "18:00"], ["09:00", "13:00"]]
    assert rejection(document).startswith("week.thu[1]: интервалы должны идти по возрастанию")


def test_overrides_that_are_not_an_object_are_named() -> None:
    message = rejection(valid_document() | {"overrides": []})
    assert message == "overrides: ожидается объект, получено список из 0"


@pytest.mark.parametrize("key", ["2025-13-01", "2025-02-30", "20251101", "01.11.2025", "2025-1-1"])
def test_a_bad_override_date_is_named(key: str) -> None:
    document = valid_document()
    document["overrides"][key] = []
    assert rejection(document) == f"overrides.{key}: неверная дата, ожидается ГГГГ-ММ-ДД"


def test_validation_does_not_modify_the_document() -> None:
    document = valid_document()
    before = copy.deepcopy(document)
    calendar_from_document(document)
    assert document == before
