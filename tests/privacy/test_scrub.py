"""Masking phone and card numbers and e-mails in free text (lists, notifications, logs)."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicedesk.privacy.domain.retention import months_before
from servicedesk.privacy.domain.scrub import (
    NAME_PLACEHOLDER,
    mask_email,
    mask_identifiers,
    scrub_json,
    scrub_text,
)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Звонил +7 (916) 123-45-67", "Звонил +• (•••) •••-45-67"),
        ("тел. 89161234567, перезвонить", "тел. •••••••4567, перезвонить"),
        ("8-916-123-45-67", "•-•••-•••-45-67"),
        ("карта 2770 0000 0100 1", "карта •••• •••• •100 1"),
        ("карта 2770000001001.", "карта •••••••••1001."),
        ("пишите ivanov@mail.ru", "пишите i•••@mail.ru"),
    ],
)
def test_phones_cards_and_emails_keep_only_their_tail(text: str, masked: str) -> None:
    assert mask_identifiers(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "Обращение SD-000123 от 12.01.2026 10:00",
        "2026-01-12 10:00:00 касса 3",
        "сервер 192.168.100.200 недоступен",
        "сумма 1 500 руб., чек 123456",
        "2026-01-12T10:00:00+03:00",
        "",
    ],
)
def test_dates_addresses_and_short_numbers_are_left_alone(text: str) -> None:
    assert mask_identifiers(text) == text


phones = st.from_regex(r"9[0-9]{9}", fullmatch=True)
formats = st.sampled_from(
    [
        "+7{0}",
        "8{0}",
        "+7 ({a}) {b}-{c}-{d}",
        "8 {a} {b} {c} {d}",
        "8-{a}-{b}{c}{d}",
    ]
)
words = st.text(alphabet="абвгд ежзий.,!", max_size=20)


@given(national=phones, fmt=formats, before=words, after=words)
def test_no_whole_phone_survives_masking(national: str, fmt: str, before: str, after: str) -> None:
    a, b, c, d = national[:3], national[3:6], national[6:8], national[8:]
    typed = fmt.format(national, a=a, b=b, c=c, d=d)
    masked = mask_identifiers(f"{before} {typed} {after}")
    digits = "".join(ch for ch in masked if ch.isdigit())
    assert national not in digits
    assert digits.endswith(national[-4:])


@given(st.text(max_size=200))
def test_masking_twice_changes_nothing_more(text: str) -> None:
    once = mask_identifiers(text)
    assert mask_identifiers(once) == once


@given(st.text(alphabet=st.characters(blacklist_categories=["Nd"], blacklist_characters="@")))
def test_text_without_digits_or_at_signs_is_untouched(text: str) -> None:
    assert mask_identifiers(text) == text


def test_names_of_guests_are_removed_whatever_the_case() -> None:
    text = "Иванова Мария просит вернуть баллы; ИВАНОВА МАРИЯ перезвонит"
    assert scrub_text(text, ["Иванова Мария", "", "Ян"]) == (
        f"{NAME_PLACEHOLDER} просит вернуть баллы; {NAME_PLACEHOLDER} перезвонит"
    )


def test_json_history_is_scrubbed_value_by_value() -> None:
    data = {
        "subject": {"old": "тел 89161234567", "new": "ок"},
        "size": 89161234567,
        "list": ["a@b.ru"],
    }
    assert scrub_json(data) == {
        "subject": {"old": "тел •••••••4567", "new": "ок"},
        "size": 89161234567,
        "list": ["a•••@b.ru"],
    }


def test_an_email_keeps_its_first_letter_and_domain() -> None:
    assert mask_email("maria.ivanova@example.ru") == "m•••@example.ru"


@pytest.mark.parametrize(
    ("instant", "months", "expected"),
    [
        ("2026-03-31T10:00:00+00:00", 1, "2026-02-28T10:00:00+00:00"),
        ("2026-03-31T10:00:00+00:00", 36, "2023-03-31T10:00:00+00:00"),
        ("2024-02-29T00:00:00+00:00", 12, "2023-02-28T00:00:00+00:00"),
        ("2026-01-15T00:00:00+00:00", 1, "2025-12-15T00:00:00+00:00"),
    ],
)
def test_retention_counts_calendar_months(instant: str, months: int, expected: str) -> None:
    assert months_before(datetime.fromisoformat(instant), months) == datetime.fromisoformat(
        expected
    )


@given(st.datetimes(min_value=datetime(2000, 1, 1)), st.integers(1, 120))
def test_retention_cutoff_is_always_earlier(instant, months: int) -> None:
    cutoff = months_before(instant, months)
    assert cutoff < instant
    assert (instant.year * 12 + instant.month) - (cutoff.year * 12 + cutoff.month) == months
