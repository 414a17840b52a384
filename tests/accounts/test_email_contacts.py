"""Contacts found by e-mail address: one contact per address, however it is written."""

from __future__ import annotations

from typing import Any

import pytest

from servicedesk.accounts.email_contacts import contact_by_email, contact_for_email, normalise_email
from servicedesk.accounts.models import ContactKind
from servicedesk.core.errors import ValidationFailed


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ivan.Petrov@Shop.RU", "ivan.petrov@shop.ru"),
        (" <ivan@shop.ru> ", "ivan@shop.ru"),
        ("not an address", None),
        ("", None),
        (None, None),
        ("a@b", None),
    ],
)
def test_addresses_are_normalised(raw: str | None, expected: str | None) -> None:
    assert normalise_email(raw) == expected


@pytest.mark.django_db
def test_a_new_address_becomes_a_guest_of_the_client_and_is_found_again(
    world: dict[str, Any],
) -> None:
    contact, created = contact_for_email(address="Olga@Shop.ru", name="Ольга", client=world["mega"])
    again, created_again = contact_for_email(
        address="olga@shop.ru", name="", client=world["apteka"]
    )

    assert created and not created_again
    assert again == contact
    assert contact.kind == ContactKind.GUEST
    assert contact.client == world["mega"]
    assert contact_by_email("OLGA@shop.ru") == contact


@pytest.mark.django_db
def test_something_that_is_not_an_address_is_refused(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed):
        contact_for_email(address="undisclosed-recipients:;", client=world["mega"])
