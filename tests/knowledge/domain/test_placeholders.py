"""Reply template placeholders: filled once, never evaluated."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from servicedesk.knowledge.domain.placeholders import (
    PLACEHOLDERS,
    placeholders_in,
    render_placeholders,
    unknown_placeholders,
)

VALUES = {name: f"<{name}>" for name in PLACEHOLDERS}


def test_known_placeholders_are_filled_with_or_without_spaces() -> None:
    text = "Здравствуйте, {{requester_name}}! Обращение {{ ticket_number }}."
    assert render_placeholders(text, {"requester_name": "Анна", "ticket_number": "SD-000007"}) == (
        "Здравствуйте, Анна! Обращение SD-000007."
    )


def test_unknown_placeholders_and_template_code_stay_literally() -> None:
    text = "{{ user.password }} {% load x %} {{ secret }} {{ client }}"
    assert (
        render_placeholders(text, VALUES)
        == "{{ user.password }} {% load x %} {{ secret }} <client>"
    )
    assert unknown_placeholders(text) == ["user.password", "secret"]


def test_values_are_not_expanded_again() -> None:
    rendered = render_placeholders(
        "{{ requester_name }} / {{ ticket_number }}",
        {"requester_name": "{{ ticket_number }}", "ticket_number": "SD-1"},
    )
    assert rendered == "{{ ticket_number }} / SD-1"


def test_placeholders_are_listed_once_in_order() -> None:
    assert placeholders_in("{{ b }} {{a}} {{ b }}") == ["b", "a"]


@given(st.text(max_size=200), st.text(max_size=50))
def test_a_value_appears_verbatim_whatever_it_contains(prefix: str, value: str) -> None:
    template = prefix.replace("{", "").replace("}", "") + "{{ requester_name }}"
    rendered = render_placeholders(template, {"requester_name": value})
    assert rendered.endswith(value)
