"""Normalisation of a request's text before classification."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicedesk.routing.classifier.text import normalise_for_classification

# Context around a number in the property tests: any text without decimal digits, so
# that the number stays exactly 16 digits long.
text_without_digits = st.text(
    alphabet=st.characters(blacklist_categories=("Nd", "Cs")), max_size=40
)


def normalised_body(text: str) -> str:
    return normalise_for_classification("", text)


@pytest.mark.parametrize(
    "card",
    [
        "7788001234569012",
        "7788 0012 3456 9012",
        "7788-0012-3456-9012",
        "2700012345678",
        "4276 3800 1234 5678 901",
    ],
)
def test_card_numbers_are_masked_whether_grouped_or_not(card: str) -> None:
    assert normalised_body(f"карта {card}, баллы не начислены") == (
        "карта <card> , баллы не начислены"
    )


def test_cards_hidden_by_the_writer_are_masked_too() -> None:
    assert normalised_body("карта ****9034 и 7788 **** **** 9012") == "карта <card> и <card>"


@given(
    number=st.from_regex(r"[0-9]{16}", fullmatch=True),
    before=text_without_digits,
    after=text_without_digits,
)
def test_any_sixteen_digit_number_is_masked_as_a_card(number: str, before: str, after: str) -> None:
    normalised = normalised_body(before + number + after)
    assert "<card>" in normalised
    assert not re.search("[0-9]", normalised)


@given(
    groups=st.lists(st.from_regex(r"[0-9]{4}", fullmatch=True), min_size=4, max_size=4),
    before=text_without_digits,
    after=text_without_digits,
)
def test_any_sixteen_digit_number_written_in_groups_of_four_is_masked(
    groups: list[str], before: str, after: str
) -> None:
    normalised = normalised_body(before + " " + " ".join(groups) + " " + after)
    assert "<card>" in normalised
    assert not re.search("[0-9]", normalised)


def test_a_list_of_outlet_numbers_is_not_mistaken_for_a_card() -> None:
    assert normalised_body("ТТ 1123 1124 1130 1131 1140") == "тт <num> <num> <num> <num> <num>"


@pytest.mark.parametrize(
    "phone",
    [
        "+7 916 555-12-34",
        "8 (495) 710-22-31",
        "+7 (495) 710-22-31",
        "89161234567",
        "+79267775533",
        "8-800-333-32-36",
        "8 999 123 45 67",
        "+44 7700 900123",
    ],
)
def test_phone_numbers_are_masked_in_the_usual_russian_and_international_forms(
    phone: str,
) -> None:
    assert normalised_body(f"тел. {phone}, перезвоните") == "тел. <phone> , перезвоните"


@pytest.mark.parametrize(
    "address", ["marina.s@coffeetime.ru", "Olga.K+promo@mail.ru", "it@fresh-market.ru"]
)
def test_email_addresses_are_masked(address: str) -> None:
    assert normalised_body(f"ответ на {address} пожалуйста") == "ответ на <email> пожалуйста"


@pytest.mark.parametrize(
    "link", ["https://test.lk.bookquarter.ru/login?next=/", "www.zoomir.ru", "coff.ee/stop"]
)
def test_links_are_masked(link: str) -> None:
    assert normalised_body(f"ссылка {link} не открывается") == "ссылка <url> не открывается"


def test_other_numbers_dates_and_times_become_one_placeholder_each() -> None:
    assert normalised_body("чек на 2340 р. от 12.11 в 14:00, версия 3.2.4") == (
        "чек на <num> р. от <num> в <num> , версия <num>"
    )


def test_numbers_that_are_part_of_a_name_are_kept() -> None:
    assert normalised_body("акция x2 баллы, 1С:Розница, API v3") == (
        "акция x2 баллы, 1с:розница, api v3"
    )


def test_text_is_lowercased_with_yo_folded_into_ye_and_spaces_collapsed() -> None:
    assert normalised_body("  Отчёт\n\nЗА   ЁЛКИ\t") == "отчет за елки"


def test_subject_is_repeated_ahead_of_the_body_without_reply_prefixes() -> None:
    assert normalise_for_classification("Re: FW: Отчёт", "по продажам") == (
        "отчет отчет по продажам"
    )


def test_empty_subject_or_body_leaves_no_stray_spaces() -> None:
    assert normalise_for_classification("", "текст") == "текст"
    assert normalise_for_classification("Тема", "") == "тема тема"
