"""A client user sees and changes only their own client's tickets, over every endpoint."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from servicedesk.tickets import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign(world: dict[str, Any]) -> dict[str, Any]:
    """A ticket of Аптека with a public reply, an internal note and an attachment."""
    ticket = services.ticket_create(
        actor=world["agent"],
        data=services.NewTicket(
            subject="Чужое обращение",
            client=world["apteka"].code,
            channel="phone",
            service="incident",
        ),
    )
    services.ticket_comment(actor=world["agent"], number=ticket.number, body="публично")
    services.ticket_comment(
        actor=world["agent"], number=ticket.number, body="секрет", is_public=False
    )
    from io import BytesIO

    attachment = services.ticket_attach(
        actor=world["agent"],
        number=ticket.number,
        content=BytesIO(b"data"),
        filename="a.txt",
        content_type="text/plain",
        size=4,
    )
    return {"number": ticket.display_number, "attachment": attachment.pk}


ENDPOINTS = [
    ("get", "/tickets/{n}", None),
    ("patch", "/tickets/{n}", {"version": 1, "subject": "взлом"}),
    ("get", "/tickets/{n}/transitions", None),
    ("post", "/tickets/{n}/transitions", {"status": "cancelled"}),
    ("post", "/tickets/{n}/take", None),
    ("post", "/tickets/{n}/priority", {"sla_level": "SL_1", "reason": "x"}),
    ("get", "/tickets/{n}/comments", None),
    ("post", "/tickets/{n}/comments", {"body": "x"}),
    ("get", "/tickets/{n}/events", None),
    ("get", "/tickets/{n}/attachments", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_another_clients_ticket_answers_404_on_every_endpoint(
    world, foreign, api_as, method, path, body
):
    api = api_as(world["mega_user"])
    call = getattr(api, method)
    response = (
        call(path.format(n=foreign["number"]), body)
        if body is not None or method == "post"
        else call(path.format(n=foreign["number"]))
    )
    assert response.status_code == 404, response.content
    assert response.json()["code"] == "not_found"


def test_another_clients_attachment_and_upload_answer_404(world, foreign, api_as, client):
    api = api_as(world["mega_user"])
    assert (
        client.get(f"/api/v1/attachments/{foreign['attachment']}", headers=api.headers).status_code
        == 404
    )
    upload = client.post(
        f"/api/v1/tickets/{foreign['number']}/attachments",
        {"file": SimpleUploadedFile("x.txt", b"x", "text/plain")},
        headers=api.headers,
    )
    assert upload.status_code == 404


def test_list_shows_only_own_tickets_even_when_filtering_for_others(world, foreign, api_as):
    api = api_as(world["mega_user"])
    own = api.post("/tickets", {"subject": "Своё", "client": world["mega"].code}).json()
    assert own["channel"] == "portal"
    listing = api.get("/tickets").json()
    assert [r["number"] for r in listing["results"]] == [own["number"]]
    assert api.get(f"/tickets?client={world['apteka'].code}").json()["count"] == 0
    assert api.get(f"/tickets?q={foreign['number']}").json()["count"] == 0


def test_client_user_never_sees_internal_notes_or_files(world, api_as):
    staff_api = api_as(world["agent"])
    number = staff_api.post("/tickets", {"subject": "Общее", "client": world["mega"].code}).json()[
        "number"
    ]
    staff_api.post(f"/tickets/{number}/comments", {"body": "Ответ клиенту"})
    staff_api.post(f"/tickets/{number}/comments", {"body": "Внутреннее", "public": False})
    api = api_as(world["mega_user"])
    bodies = [c["body"] for c in api.get(f"/tickets/{number}/comments").json()]
    assert bodies == ["Ответ клиенту"]
    events = api.get(f"/tickets/{number}/events").json()
    assert all(e["data"].get("public", True) for e in events if e["type"] == "commented")
    refused = api.post(f"/tickets/{number}/comments", {"body": "x", "public": False})
    assert refused.status_code == 403


def test_client_user_cannot_create_for_another_client_or_look_up_contacts(world, api_as):
    api = api_as(world["mega_user"])
    other = api.post("/tickets", {"subject": "x", "client": world["apteka"].code})
    assert other.status_code == 404
    assert api.get("/contacts/lookup?phone=+79167654321").status_code == 403
    assert api.get("/me").json()["client"]["code"] == world["mega"].code
