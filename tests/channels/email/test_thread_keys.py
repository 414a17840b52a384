"""Incoming mail finds its ticket by Message-IDs and the subject tag."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicedesk.channels.email.thread_keys import (
    MAX_MESSAGE_ID_LENGTH,
    candidate_message_ids,
    find_ticket_numbers,
    format_ticket_tag,
    message_ids_in,
    normalise_message_id,
    normalise_subject,
)


@pytest.mark.parametrize(
    ("subject", "numbers"),
    [
        ("[SD-000123] Касса", (123,)),
        ("Re: [SD-000123] Касса", (123,)),
        ("RE: RE: Fwd: [SD-000123] Касса", (123,)),
        ("Отв: Пересл: [SD-000123] Касса", (123,)),
        ("Re: SD-123 касса", (123,)),
        ("Re: [#SD-000123] касса", (123,)),
        ("re: [sd-000123] касса", (123,)),
        ("[SD-000123] и [SD-000007], а ещё снова [SD-123]", (123, 7)),
        ("Карта SD-128GB не читается", ()),
        ("MSD-123 модель весов", ()),
        ("[SD-0000000] нулевой", ()),
        ("SD-1234567890 слишком длинный", ()),
        ("Без номера", ()),
    ],
)
def test_ticket_numbers_are_found_in_subjects(subject: str, numbers: tuple[int, ...]) -> None:
    assert find_ticket_numbers(subject) == numbers


def test_ticket_prefix_is_configurable() -> None:
    assert find_ticket_numbers("Re: [HD-000005] [SD-000006]", prefix="HD") == (5,)


@given(st.integers(min_value=1, max_value=999_999_999))
def test_formatted_tag_is_always_found_again(number: int) -> None:
    assert find_ticket_numbers(f"Re: {format_ticket_tag(number)} Тема") == (number,)


def test_tag_is_zero_padded_to_six_digits() -> None:
    assert format_ticket_tag(42) == "[SD-000042]"


@pytest.mark.parametrize(
    ("subject", "normalised"),
    [
        ("Re: Касса", "Касса"),
        ("RE: FW: Касса", "Касса"),
        ("Re[2]: Re(3): Re^4: Касса", "Касса"),
        ("Отв: Пересл: Касса", "Касса"),
        ("Ответ: Касса", "Касса"),
        ("AW: WG: Kasse", "Kasse"),
        ("Fwd:   Касса   не   работает ", "Касса не работает"),
        ("Re: [SD-000123] Касса", "[SD-000123] Касса"),
        ("[SD-000123] Re: Касса", "[SD-000123] Касса"),
        ("Remont kassy", "Remont kassy"),
        ("Ответственный за кассу", "Ответственный за кассу"),
        ("Автоматический ответ: Касса", "Автоматический ответ: Касса"),
    ],
)
def test_reply_and_forward_prefixes_are_stripped(subject: str, normalised: str) -> None:
    assert normalise_subject(subject) == normalised


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("<abc@x.ru>", "abc@x.ru"),
        ("  <abc@x.ru>  ", "abc@x.ru"),
        ("<abc@x.ru> (Ivan's message of Mon)", "abc@x.ru"),
        ("abc@x.ru", "abc@x.ru"),
        ("<abc\r\n @x.ru>", "abc@x.ru"),
        ("<>", None),
        ("", None),
        (None, None),
    ],
)
def test_message_ids_are_normalised(raw: str | None, normalised: str | None) -> None:
    assert normalise_message_id(raw) == normalised


def test_overlong_message_id_becomes_a_stable_digest_that_fits_a_column() -> None:
    long_id = f"<{'a' * 600}@x.ru>"
    first, second = normalise_message_id(long_id), normalise_message_id(long_id)
    assert first == second
    assert first is not None
    assert len(first) <= MAX_MESSAGE_ID_LENGTH
    assert first.endswith("@long-message-id.invalid")


def test_references_keep_order_drop_duplicates_and_accept_missing_brackets() -> None:
    assert message_ids_in("<a@x> <b@x>\r\n <a@x> <c@x>") == ("a@x", "b@x", "c@x")
    assert message_ids_in("a@x, b@x junk") == ("a@x", "b@x")
    assert message_ids_in(None) == ()


def test_references_keep_only_the_newest_hundred() -> None:
    ids = message_ids_in(" ".join(f"<{n}@x>" for n in range(150)))
    assert len(ids) == 100
    assert ids[-1] == "149@x"


@dataclass(frozen=True)
class Headers:
    message_id: str
    in_reply_to: str | None
    references: tuple[str, ...]


def test_candidates_are_in_reply_to_then_references_newest_first_without_self() -> None:
    parsed = Headers("self@x", "parent@x", ("root@x", "middle@x", "parent@x", "self@x"))
    assert candidate_message_ids(parsed) == ("parent@x", "middle@x", "root@x")


def test_candidates_without_in_reply_to_come_from_references() -> None:
    assert candidate_message_ids(Headers("m@x", None, ("a@x", "b@x"))) == ("b@x", "a@x")
