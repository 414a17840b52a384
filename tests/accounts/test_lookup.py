"""Caller lookup by phone or card, however the number was typed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicedesk.accounts.models import Emission, OutletPhone
from servicedesk.core.identifiers import (
    InvalidIdentifier,
    mask_tail,
    normalise_card,
    normalise_phone,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed",
    ["8 (916) 123-45-67", "+7 916 123 45 67", "79161234567", "8-916-1234567", "+7(916)1234567"],
)
def test_russian_phone_spellings_normalise_to_e164(typed: str) -> None:
    assert normalise_phone(typed) == "+79161234567"


def test_short_extensions_stay_extensions() -> None:
    assert normalise_phone("105") == "105"


@pytest.mark.parametrize("bad", ["", "abc", "+7 1"])
def test_garbage_phone_is_refused(bad: str) -> None:
    with pytest.raises(InvalidIdentifier):
        normalise_phone(bad)


@given(st.text(alphabet="0123456789", min_size=13, max_size=19))
def test_any_card_survives_spaces_and_dashes(digits: str) -> None:
    spaced = " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))
    assert normalise_card(spaced) == digits
    assert normalise_card(digits.replace("", "-")[1:-1]) == digits


def test_masking_keeps_the_last_four() -> None:
    assert mask_tail("2770000001001") == "•••••••••1001"


def test_lookup_by_phone_finds_the_guest_and_their_open_tickets(world, api_as) -> None:
    api = api_as(world["agent"])
    number = api.post(
        "/tickets",
        {"subject": "Баллы", "client": world["mega"].code, "requester_id": world["mega_guest"].pk},
    ).json()["number"]
    found = api.get("/contacts/lookup", data={"phone": "8 (916) 123-45-67"}).json()
    assert [c["id"] for c in found["contacts"]] == [world["mega_guest"].pk]
    assert found["contacts"][0]["open_tickets"][0]["number"] == number
    assert found["contacts"][0]["phones"] == ["+79161234567"]


def test_lookup_by_outlet_phone_finds_the_outlet(world, api_as) -> None:
    OutletPhone.objects.create(outlet=world["mega_outlet"], number="+74951112233")
    found = api_as(world["agent"]).get("/contacts/lookup", data={"phone": "84951112233"}).json()
    assert [o["code"] for o in found["outlets"]] == ["M-01"]


def test_lookup_by_card_finds_holder_and_emission_client(world, api_as) -> None:
    Emission.objects.create(
        client=world["mega"], name="Карты", range_start="2770000000000", range_end="2770099999999"
    )
    found = api_as(world["agent"]).get("/contacts/lookup", data={"card": "2770 0000 0100 1"}).json()
    assert found["contacts"][0]["id"] == world["mega_guest"].pk
    assert found["card_client"]["code"] == world["mega"].code
    unknown = api_as(world["agent"]).get("/contacts/lookup", data={"card": "2770000055555"}).json()
    assert unknown["contacts"] == []
    assert unknown["card_client"]["code"] == world["mega"].code


def test_lookup_needs_exactly_one_valid_key(world, api_as) -> None:
    api = api_as(world["agent"])
    assert api.get("/contacts/lookup").status_code == 422
    both = api.get("/contacts/lookup", data={"phone": "1", "card": "2"})
    assert both.status_code == 422
    bad = api.get("/contacts/lookup", data={"card": "12"})
    assert bad.status_code == 422
    assert "от 6 до 20 цифр" in bad.json()["message"]
