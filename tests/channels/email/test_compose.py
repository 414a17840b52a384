"""Our Message-IDs carry the ticket number and cannot be forged with a secret."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicedesk.channels.email.compose import make_message_id, ticket_number_from_message_id
from servicedesk.channels.email.thread_keys import normalise_message_id

SECRET = b"site secret key"


def test_message_id_embeds_number_and_kind_and_is_bracketed() -> None:
    message_id = make_message_id("Desk.Plastek.RU", 123, "received")
    assert re.fullmatch(r"<sd\.000123\.received\.[0-9a-f]{16}@desk\.plastek\.ru>", message_id)


def test_every_message_id_is_new() -> None:
    assert len({make_message_id("plastek.ru", 1, "answered") for _ in range(1000)}) == 1000


@given(
    st.integers(min_value=1, max_value=10**12 - 1),
    st.sampled_from(["received", "answered", "resolved", "bounce-notice"]),
    st.sampled_from([None, SECRET]),
)
def test_ticket_number_is_read_back(number: int, kind: str, secret: bytes | None) -> None:
    message_id = make_message_id("plastek.ru", number, kind, secret=secret)
    assert ticket_number_from_message_id(message_id, "plastek.ru", secret=secret) == number
    normalised = normalise_message_id(message_id)
    assert normalised is not None
    assert ticket_number_from_message_id(normalised, "PLASTEK.ru", secret=secret) == number


def test_someone_elses_domain_is_not_ours() -> None:
    message_id = make_message_id("plastek.ru", 5, "received")
    assert ticket_number_from_message_id(message_id, "evil.example") is None


@pytest.mark.parametrize(
    "message_id",
    [
        "CAF+abc@mail.gmail.com",
        "sd.000005.received@plastek.ru",
        "sd.5.received.0123456789abcdef@plastek.ru",
        "sd.000005.RECEIVED.0123456789abcdef@plastek.ru",
        "",
    ],
)
def test_foreign_or_malformed_ids_give_no_number(message_id: str) -> None:
    assert ticket_number_from_message_id(message_id, "plastek.ru") is None


def test_with_a_secret_a_forged_or_unsigned_id_gives_no_number() -> None:
    signed = make_message_id("plastek.ru", 5, "received", secret=SECRET)
    forged = re.sub(r"sd\.000005", "sd.000006", signed)
    unsigned = make_message_id("plastek.ru", 6, "received")
    assert ticket_number_from_message_id(forged, "plastek.ru", secret=SECRET) is None
    assert ticket_number_from_message_id(unsigned, "plastek.ru", secret=SECRET) is None
    assert ticket_number_from_message_id(signed, "plastek.ru", secret=b"other") is None


@pytest.mark.parametrize(
    ("domain", "number", "kind"),
    [
        ("", 1, "received"),
        ("bad domain", 1, "received"),
        ("<x>", 1, "received"),
        ("nodot", 1, "received"),
        ("plastek.ru", 0, "received"),
        ("plastek.ru", -3, "received"),
        ("plastek.ru", 1, "Received"),
        ("plastek.ru", 1, "re.ceived"),
        ("plastek.ru", 1, ""),
    ],
)
def test_bad_arguments_are_refused(domain: str, number: int, kind: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        make_message_id(domain, number, kind)


def test_localhost_is_allowed_for_development() -> None:
    assert make_message_id("localhost", 1, "received").endswith("@localhost>")
