"""Script-bearing input through every text field of the API and the admin is never run."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from servicedesk.accounts.models import Contact, ContactEmail
from servicedesk.security.sanitise import clean_html
from tests import factories
from tests.security.xss import PAYLOADS, assert_json_text, assert_not_executable, page_urls

pytestmark = pytest.mark.django_db


def _feed(world: dict[str, Any], api_as: Any, payload: str) -> dict[str, Any]:
    """Put `payload` into every text field the API accepts, and into names."""
    mega = world["mega"]
    mega.name = f"Сеть {payload}"
    mega.save()
    contact = factories.guest(mega, phone="+79160000001")
    Contact.objects.filter(pk=contact.pk).update(full_name=payload, notes=payload)
    ContactEmail.objects.create(contact=contact, address="guest@example.ru")
    outlet = world["mega_outlet"]
    outlet.name = payload
    outlet.save()

    api = api_as(world["agent"])
    created = api.post(
        "/tickets",
        {
            "subject": payload,
            "description": payload,
            "client": mega.code,
            "outlet": "M-01",
            "service": "mailing",
            "requester_id": contact.pk,
            "role_queue": payload[:30],
        },
    )
    assert created.status_code == 201, created.content
    number = created.json()["number"]
    ticket = f"/tickets/{number}"
    version = created.json()["version"]
    patched = api.patch(ticket, {"version": version, "description": payload + " (изменено)"})
    assert patched.status_code == 200, patched.content
    assert api.post(f"{ticket}/comments", {"body": payload}).status_code == 201
    assert api.post(f"{ticket}/comments", {"body": payload, "public": False}).status_code == 201
    assert (
        api.post(f"{ticket}/priority", {"sla_level": "SL_1", "reason": payload}).status_code == 200
    )
    assert (
        api.post(f"{ticket}/transitions", {"status": "resolved", "reason": payload}).status_code
        == 200
    )
    upload = api.client.post(
        f"/api/v1{ticket}/attachments",
        {"file": SimpleUploadedFile(f"{payload}.txt"[-100:], b"text", "text/plain")},
        headers=api.headers,
    )
    assert upload.status_code == 201, upload.content
    assert api.post("/tokens", {"name": payload[:100]}).status_code == 201
    from servicedesk.tickets.models import Ticket

    return {
        "api": api,
        "number": number,
        "ticket_number": number,
        "ticket_pk": Ticket.objects.get(subject=payload).pk,
        "contact_pk": contact.pk,
        "client_pk": mega.pk,
        "payload": payload,
    }


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_api_stores_script_as_text_and_answers_only_json(world, api_as, payload) -> None:
    context = _feed(world, api_as, payload)
    api = context["api"]
    ticket = f"/tickets/{context['number']}"
    reads = {
        "ticket": api.get(ticket),
        "list": api.get("/tickets?page_size=5"),
        "comments": api.get(f"{ticket}/comments"),
        "events": api.get(f"{ticket}/events"),
        "attachments": api.get(f"{ticket}/attachments"),
        "tokens": api.get("/tokens"),
        "contact": api.get(f"/contacts/{context['contact_pk']}"),
        "lookup": api.get("/contacts/lookup?phone=+79160000001"),
    }
    for where, response in reads.items():
        assert response.status_code == 200, where
        assert_json_text(response, payload if where != "attachments" else ".txt", where)
    assert reads["ticket"].json()["subject"] == payload
    assert reads["ticket"].json()["description"] == payload + " (изменено)"
    assert reads["comments"].json()[0]["body"] == payload


@pytest.mark.parametrize("payload", PAYLOADS)
def test_admin_and_account_pages_escape_script(world, api_as, client, payload) -> None:
    context = _feed(world, api_as, payload)
    client.force_login(world["head"])
    for url in page_urls(context):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_not_executable(html, url)
    ticket_page = client.get(f"/admin/tickets/ticket/{context['ticket_pk']}/change/")
    assert "&lt;" in ticket_page.content.decode() or "javascript:" in payload


@pytest.mark.parametrize("payload", PAYLOADS)
def test_errors_that_quote_input_are_json_too(world, api_as, payload) -> None:
    api = api_as(world["agent"])
    response = api.post(
        "/tickets", {"subject": "x", "client": payload[:40], "outlet": payload[:40]}
    )
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")


def test_html_kept_on_purpose_is_cleaned() -> None:
    dirty = (
        '<p onclick="steal()">Добрый день<script>alert(1)</script>'
        '<a href="javascript:alert(1)">ссылка</a> <a href="https://plastek.ru">сайт</a>'
        "<img src=x onerror=alert(1)><style>body{}</style></p>"
    )
    clean = clean_html(dirty)
    assert_not_executable(clean, "clean_html")
    assert "onclick" not in clean
    assert "<style" not in clean
    assert "Добрый день" in clean
    assert 'href="https://plastek.ru"' in clean
    assert 'rel="noopener noreferrer nofollow"' in clean
