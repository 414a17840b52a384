"""The L1 call card: find the caller as they type, create contacts, save the call."""

from __future__ import annotations

import pytest

from servicedesk.accounts.models import Contact, Emission
from servicedesk.accounts.roles import Role
from servicedesk.tickets.models import Ticket
from tests import factories
from tests.web.helpers import HTMX, make_ticket, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def l1(client, world):
    client.force_login(factories.staff(Role.SD_MANAGER, username="l1"))
    return client


def test_typing_a_known_phone_shows_the_guest_their_open_tickets_and_picks_them(l1, world) -> None:
    guest = world["mega_guest"]
    open_ticket = make_ticket(world, requester_id=guest.pk, subject="Баллы не пришли")
    response = l1.get("/calls/lookup/?phone=8 (916) 123-45-67", **HTMX)
    page = text_of(response)
    assert str(guest) in page
    assert open_ticket.display_number in page and "Баллы не пришли" in page
    assert 'hx-swap-oob="outerHTML"' in page  # the caller part is filled at once
    assert f'name="requester" value="{guest.pk}"' in page
    assert f'<option value="{world["mega"].code}" selected>' in page
    assert response["HX-Trigger-After-Swap"] == "whoChanged"


def test_phone_numbers_show_masked_to_roles_without_personal_data(client, world) -> None:
    client.force_login(factories.staff(Role.SYSADMIN, username="admin1"))
    page = text_of(client.get("/calls/lookup/?phone=+79161234567", **HTMX))
    assert "•••••••4567" in page and "+79161234567" not in page


def test_a_card_number_tells_the_client_through_its_emission(l1, world) -> None:
    Emission.objects.create(
        client=world["apteka"], name="Карты", range_start="2880000000000", range_end="2880099999999"
    )
    page = text_of(l1.get("/calls/lookup/?card=2880 0000 0000 5", **HTMX))
    assert f"Карта из эмиссии клиента «{world['apteka'].name}»" in page
    assert f'<option value="{world["apteka"].code}" selected>' in page
    assert "Создать контакт" in page


def test_an_incomplete_number_asks_to_keep_typing(l1, world) -> None:
    assert "Продолжайте ввод" in text_of(l1.get("/calls/lookup/?phone=8916", **HTMX))


def test_a_new_contact_is_created_from_the_card_and_picked(l1, world) -> None:
    response = l1.post(
        "/calls/contact/",
        {
            "phone": "+7 903 555-66-77",
            "card": "",
            "new_name": "Пётр",
            "new_kind": "guest",
            "client": world["mega"].code,
        },
        **HTMX,
    )
    page = text_of(response)
    contact = Contact.objects.get(full_name="Пётр")
    assert "Контакт «Пётр» создан" in page
    assert f'name="requester" value="{contact.pk}"' in page
    duplicate = l1.post(
        "/calls/contact/",
        {"phone": "89035556677", "new_name": "Ещё", "client": world["mega"].code},
        **HTMX,
    )
    assert duplicate.status_code == 422
    assert "уже записан у контакта «Пётр»" in text_of(duplicate)


def test_picking_a_client_lists_its_outlets(l1, world) -> None:
    page = text_of(l1.get(f"/calls/pick/?client={world['mega'].code}", **HTMX))
    assert "M-01" in page and "A-01" not in page


def test_saving_the_call_registers_a_phone_ticket_for_the_caller(l1, world) -> None:
    guest = world["mega_guest"]
    response = l1.post(
        "/calls/new/",
        {
            "phone": "+79161234567",
            "requester": guest.pk,
            "client": world["mega"].code,
            "outlet": "M-01",
            "service": "incident",
            "subject": "",
            "description": "Не начислились баллы за покупку\nЧек 15",
        },
    )
    ticket = Ticket.objects.get()
    assert response["Location"] == f"/tickets/{ticket.display_number}/"
    assert ticket.channel == "phone" and ticket.requester == guest
    assert ticket.outlet == world["mega_outlet"] and ticket.service.code == "incident"
    assert ticket.subject == "Не начислились баллы за покупку"
    page = text_of(l1.get(response["Location"]))
    assert f"Звонок зарегистрирован: {ticket.display_number}" in page


def test_a_call_without_client_or_text_is_refused_and_the_form_kept(l1, world) -> None:
    response = l1.post(
        "/calls/new/",
        {"phone": "+79161234567", "client": "", "description": "Баллы", "service": "incident"},
    )
    assert response.status_code == 422
    page = text_of(response)
    assert "Выберите клиента: найдите звонящего по телефону или карте" in page
    assert ">Баллы</textarea>" in page
    empty = l1.post("/calls/new/", {"client": world["mega"].code})
    assert "Заполните поле «Тема»" in text_of(empty)
    assert not Ticket.objects.exists()


def test_the_telephony_pop_up_link_prefills_the_phone_and_the_caller(l1, world) -> None:
    page = text_of(l1.get("/calls/new/?phone=%2B79161234567&call=call-77"))
    assert 'value="+79161234567"' in page
    assert "звонок call-77" in page and 'name="call" value="call-77"' in page
    assert f'name="requester" value="{world["mega_guest"].pk}"' in page
