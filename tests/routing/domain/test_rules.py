"""Rule evaluation: order, first rule to set a field decides, stop, each condition."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicedesk.routing.domain.rules import (
    Actions,
    Conditions,
    Request,
    Rule,
    WorkingTime,
    evaluate,
    matches,
)


def request(**facts: object) -> Request:
    base: dict[str, object] = {
        "service": "report",
        "client": "mega",
        "channel": "email",
        "line": "L2",
    }
    return Request(**(base | facts))  # type: ignore[arg-type]


def rule(key: int, conditions: Conditions | None = None, **actions: object) -> Rule:
    return Rule(key, f"rule {key}", conditions or Conditions(), Actions(**actions))  # type: ignore[arg-type]


def test_rules_apply_in_order_and_the_first_to_set_a_field_decides_it() -> None:
    rules = [
        rule(1, Conditions(clients=frozenset({"mega"})), role="sysadmin"),
        rule(2, Conditions(services=frozenset({"report"})), role="sql_engineer", line="L3"),
    ]
    decision = evaluate(rules, request())
    assert decision.role == "sysadmin"
    assert decision.line == "L3"  # rule 2 still fills what rule 1 left open
    assert [(m.key, m.decided) for m in decision.matches] == [
        (1, {"role": "sysadmin"}),
        (2, {"line": "L3"}),
    ]


def test_stop_ends_the_reading() -> None:
    rules = [
        rule(1, Conditions(clients=frozenset({"mega"})), role="sysadmin", stop=True),
        rule(2, role="sql_engineer", line="L3"),
    ]
    decision = evaluate(rules, request())
    assert (decision.role, decision.line) == ("sysadmin", "")
    assert [m.key for m in decision.matches] == [1]
    assert decision.matches[0].stopped


def test_a_rule_that_does_not_match_neither_decides_nor_stops() -> None:
    rules = [
        rule(1, Conditions(clients=frozenset({"apteka"})), role="sysadmin", stop=True),
        rule(2, role="sql_engineer"),
    ]
    assert evaluate(rules, request()).role == "sql_engineer"


@pytest.mark.parametrize(
    ("conditions", "facts", "expected"),
    [
        (Conditions(services=frozenset({"report"})), {}, True),
        (Conditions(services=frozenset({"access"})), {}, False),
        (Conditions(without_service=True), {"service": None}, True),
        (Conditions(without_service=True), {}, False),
        (Conditions(channels=frozenset({"phone"})), {}, False),
        (Conditions(lines=frozenset({"L2", "L3"})), {}, True),
        (Conditions(outlets=frozenset({"M-01"})), {"outlet": "M-01"}, True),
        (Conditions(outlets=frozenset({"M-01"})), {"outlet": None}, False),
        (Conditions(words=("Выгруз",)), {"text": "Нужна ВЫГРУЗКА чеков"}, True),
        (Conditions(words=("ёлка",)), {"text": "акция елка"}, True),
        (Conditions(words=("касса", "терминал")), {"text": "не работает терминал"}, True),
        (Conditions(words=("касса",)), {"text": "отчёт"}, False),
        (Conditions(working_time=WorkingTime.WORKING), {"in_working_time": False}, False),
        (Conditions(working_time=WorkingTime.OFF_HOURS), {"in_working_time": False}, True),
        (Conditions(hours=(18, 9)), {"local_hour": 23}, True),
        (Conditions(hours=(18, 9)), {"local_hour": 3}, True),
        (Conditions(hours=(18, 9)), {"local_hour": 12}, False),
        (Conditions(hours=(9, 18)), {"local_hour": 18}, False),
    ],
)
def test_each_condition(conditions: Conditions, facts: dict[str, object], expected: bool) -> None:
    assert matches(conditions, request(**facts)) is expected


def test_contradictory_or_empty_conditions_are_refused() -> None:
    with pytest.raises(ValueError, match="no service"):
        Conditions(services=frozenset({"report"}), without_service=True)
    with pytest.raises(ValueError, match="hours"):
        Conditions(hours=(9, 9))


ROLES = st.sampled_from(["sysadmin", "sql_engineer", "sd_manager", ""])


@given(st.lists(st.tuples(st.booleans(), ROLES, st.booleans()), max_size=8))
def test_the_decided_role_is_the_first_matching_non_empty_role_before_any_stop(
    table: list[tuple[bool, str, bool]],
) -> None:
    rules = [
        rule(i, Conditions(clients=frozenset({"mega" if hit else "other"})), role=role, stop=stop)
        for i, (hit, role, stop) in enumerate(table)
    ]
    expected = ""
    for hit, role, stop in table:
        if not hit:
            continue
        if role and not expected:
            expected = role
        if stop:
            break
    assert evaluate(rules, request()).role == expected
