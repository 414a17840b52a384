"""Linking the ticket created or updated during a call."""

from __future__ import annotations

import pytest

from servicedesk.telephony.models import CallTicket
from servicedesk.tickets import services as tickets

pytestmark = pytest.mark.django_db


def test_linking_writes_the_call_into_the_ticket_history_once(world, l1, send, api_as) -> None:
    send(callId="c/1", event="newCall", **{"from": "+79161234567"}, extension="106")
    ticket = tickets.ticket_create(
        actor=l1["sd"],
        data=tickets.NewTicket(subject="Звонок гостя", client=world["mega"].code, channel="phone"),
    )
    api = api_as(l1["sd"])
    response = api.post("/telephony/calls/c/1/link", {"ticket": ticket.display_number})
    assert response.status_code == 200, response.content
    assert response.json()["ticket"] == ticket.display_number
    assert response.json()["recording_attached"] is False
    api.post("/telephony/calls/c/1/link", {"ticket": str(ticket.number)})
    event = ticket.events.get(type="call_linked")
    assert event.data["call"] == "c/1" and event.data["number"] == "+79161234567"
    assert CallTicket.objects.count() == 1
    assert api.get("/telephony/calls/c/1").json()["tickets"] == [ticket.display_number]


def test_linking_refuses_unknown_calls_and_tickets(world, l1, send, api_as) -> None:
    send(callId="c2", event="newCall", **{"from": "+79161234567"})
    api = api_as(l1["sd"])
    assert api.post("/telephony/calls/nope/link", {"ticket": "1"}).status_code == 404
    assert api.post("/telephony/calls/c2/link", {"ticket": "SD-999999"}).status_code == 404
    assert api.post("/telephony/calls/c2/link", {}).status_code == 422
    assert (
        api_as(world["mega_user"]).post("/telephony/calls/c2/link", {"ticket": "1"}).status_code
        == 403
    )
