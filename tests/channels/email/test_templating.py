"""Notification templates are data: plain placeholders, nothing else is evaluated."""

from __future__ import annotations

from servicedesk.channels.email.templating import (
    placeholders_in,
    render,
    render_subject,
    unknown_placeholders,
    unsupported_constructs,
)


def test_placeholders_are_filled_with_or_without_spaces() -> None:
    assert render("№ {{number}}, {{ subject }}", {"number": "SD-000001", "subject": "Касса"}) == (
        "№ SD-000001, Касса"
    )


def test_an_unknown_placeholder_renders_empty_and_is_reported() -> None:
    assert render("a{{ secret }}b", {}) == "ab"
    assert unknown_placeholders("{{ number }} {{ secret }}", "received") == ["secret"]


def test_attribute_access_and_template_tags_are_not_evaluated() -> None:
    template = "{{ ticket.requester.password }} {% load static %} {{ number|upper }}"
    assert render(template, {"number": "x"}) == template
    assert placeholders_in(template) == []
    assert unsupported_constructs(template) == [
        "{{ ticket.requester.password }}",
        "{% load static %}",
        "{{ number|upper }}",
    ]
    assert unsupported_constructs("{{ number }} {{subject}}") == []


def test_each_kind_has_its_own_placeholders() -> None:
    assert unknown_placeholders("{{ reply }} {{ agent }}", "reply") == []
    assert unknown_placeholders("{{ agent }}", "received") == ["agent"]
    assert unknown_placeholders("{{ files }} {{ limit }}", "attachment_refused") == []


def test_a_subject_is_one_line_whatever_the_values_hold() -> None:
    subject = render_subject(
        "{{ tag }}  Ответ: {{ subject }} ", {"tag": "[SD-1]", "subject": "a\r\nBcc: x@y"}
    )
    assert subject == "[SD-1] Ответ: a Bcc: x@y"
    assert "\n" not in subject
