"""The caller pop-up, server side: htmx partial and JSON for the user's extension."""

from __future__ import annotations

from datetime import timedelta

import pytest

from servicedesk.core import clock
from servicedesk.telephony.models import CallPopup
from servicedesk.tickets import services as tickets

pytestmark = pytest.mark.django_db


@pytest.fixture
def ringing(world, l1, send):
    tickets.ticket_create(
        actor=world["agent"],
        data=tickets.NewTicket(
            subject="Не начислились баллы за покупку",
            client=world["mega"].code,
            channel="phone",
            requester_id=world["mega_guest"].pk,
        ),
    )
    send(callId="in/7==", event="newCall", **{"from": "+79161234567"}, extension="106")


def test_the_partial_shows_the_caller_their_client_open_tickets_and_the_call_card_link(
    world, l1, ringing, client
) -> None:
    client.force_login(l1["sd"])
    response = client.get("/telephony/popup/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Входящий звонок" in html
    assert str(world["mega_guest"]) in html
    assert world["mega"].name in html
    assert "Не начислились баллы за покупку" in html
    assert "Открыть карточку звонка" in html
    assert 'href="/calls/new/?phone=%2B79161234567&amp;call=in%2F7%3D%3D"' in html
    assert CallPopup.objects.get(user=l1["sd"]).shown_at is not None


def test_other_users_get_an_empty_fragment(world, l1, ringing, client) -> None:
    client.force_login(l1["sd2"])
    assert client.get("/telephony/popup/").content.decode().strip() == ""


def test_dismissing_closes_the_card(world, l1, ringing, client) -> None:
    client.force_login(l1["sd"])
    popup = CallPopup.objects.get(user=l1["sd"])
    assert client.post(f"/telephony/popup/{popup.pk}/dismiss/").status_code == 200
    assert client.get("/telephony/popup/").content.decode().strip() == ""
    client.force_login(l1["sd2"])
    assert client.post(f"/telephony/popup/{popup.pk}/dismiss/").status_code == 404


def test_an_old_card_is_not_shown(world, l1, ringing, client) -> None:
    client.force_login(l1["sd"])
    with clock.frozen_at(clock.now() + timedelta(minutes=31)):
        assert client.get("/telephony/popup/").content.decode().strip() == ""


def test_the_json_popup(world, l1, ringing, api_as) -> None:
    api = api_as(l1["sd"])
    popup = api.get("/telephony/popup").json()["popup"]
    assert popup["phone"] == "+79161234567"
    assert popup["contacts"][0]["name"] == str(world["mega_guest"])
    assert popup["clients"] == [{"code": world["mega"].code, "name": world["mega"].name}]
    assert popup["open_tickets"][0]["subject"] == "Не начислились баллы за покупку"
    assert popup["call_card_url"] == "/calls/new/?phone=%2B79161234567&call=in%2F7%3D%3D"
    assert popup["call"]["state"] == "ringing"
    assert api.post(f"/telephony/popup/{popup['id']}/dismiss").json() == {"popup": None}
    assert api.get("/telephony/popup").json() == {"popup": None}
    assert api_as(world["mega_user"]).get("/telephony/popup").status_code == 403


def test_an_unknown_caller_gets_a_card_that_says_so(world, l1, send, client) -> None:
    send(callId="u1", event="newCall", **{"from": "+74950000000"}, extension="107")
    client.force_login(l1["sd2"])
    html = client.get("/telephony/popup/").content.decode()
    assert "не найден" in html
    assert "phone=%2B74950000000" in html
