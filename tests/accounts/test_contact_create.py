"""Creating a caller from the call card: normalised, unique, on the card's client."""

from __future__ import annotations

import pytest

from servicedesk.accounts.models import ContactKind, Emission
from servicedesk.accounts.services import contact_create
from servicedesk.core.errors import Forbidden, ValidationFailed

pytestmark = pytest.mark.django_db


def test_phone_and_card_are_normalised_and_the_card_tells_the_client(world) -> None:
    Emission.objects.create(
        client=world["mega"], name="Карты", range_start="2770000000000", range_end="2770099999999"
    )
    contact = contact_create(
        actor=world["agent"],
        full_name=" Ирина ",
        phone="8 (926) 111-22-33",
        card="2770 0000 0500 1",
    )
    assert contact.full_name == "Ирина"
    assert contact.kind == ContactKind.GUEST
    assert contact.client == world["mega"]
    assert [p.number for p in contact.phones.all()] == ["+79261112233"]
    assert [c.number for c in contact.cards.all()] == ["2770000005001"]


def test_a_known_phone_or_card_is_refused_with_its_owner(world) -> None:
    with pytest.raises(ValidationFailed, match="уже записан у контакта") as error:
        contact_create(actor=world["agent"], phone="+7 916 123-45-67")
    assert error.value.field == "phone"
    with pytest.raises(ValidationFailed, match=r"Карта •+1001 уже записана") as error:
        contact_create(actor=world["agent"], card="2770000001001")
    assert error.value.field == "card"


def test_a_card_of_another_client_is_refused(world) -> None:
    Emission.objects.create(
        client=world["mega"], name="Карты", range_start="2770000000000", range_end="2770099999999"
    )
    with pytest.raises(ValidationFailed, match="выпущена для клиента"):
        contact_create(actor=world["agent"], client=world["apteka"].code, card="2770000007777")


def test_garbage_numbers_and_empty_contacts_are_refused(world) -> None:
    with pytest.raises(ValidationFailed) as error:
        contact_create(actor=world["agent"], phone="12ab")
    assert error.value.field == "phone"
    with pytest.raises(ValidationFailed, match="Укажите имя, телефон или номер карты"):
        contact_create(actor=world["agent"])


def test_outlet_must_belong_to_the_client_and_clients_must_exist(world) -> None:
    contact = contact_create(
        actor=world["agent"],
        kind="outlet_staff",
        full_name="Кассир",
        client=world["mega"].code,
        outlet="M-01",
    )
    assert contact.outlet == world["mega_outlet"]
    with pytest.raises(ValidationFailed, match="Торговая точка"):
        contact_create(
            actor=world["agent"], full_name="X", client=world["mega"].code, outlet="A-01"
        )
    with pytest.raises(ValidationFailed, match="Клиент"):
        contact_create(actor=world["agent"], full_name="X", client="nobody")


def test_client_users_do_not_create_contacts(world) -> None:
    with pytest.raises(Forbidden):
        contact_create(actor=world["mega_user"], full_name="Кто-то")
