"""The client portal and the guest's secret link: own tickets only, public things only."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from servicedesk.catalog.selectors import services_for_client
from servicedesk.core.errors import ValidationFailed
from servicedesk.portal.services import portal_ticket_create
from servicedesk.tickets import services
from servicedesk.tickets.models import Ticket
from tests.web.helpers import make_ticket, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def mega(client, world):
    client.force_login(world["mega_user"])
    return client


def test_the_contract_decides_which_services_a_client_may_pick(world) -> None:
    # Mega's contract (test world) has L1, L2 and L3; Apteka's lacks L1.
    choices = {c.code: c.covered for c in services_for_client(world["apteka"])}
    assert choices["incident"] is True  # L2
    assert choices["consultation"] is False  # L1, not bought
    with pytest.raises(ValidationFailed, match="не входит в договор: обратитесь к менеджеру"):
        portal_ticket_create(actor=world["apteka_user"], subject="Вопрос", service="consultation")


def test_the_list_shows_only_the_organisations_tickets(mega, world) -> None:
    ours = make_ticket(world, subject="Наша касса")
    theirs = make_ticket(world, client=world["apteka"].code, subject="Чужая аптека")
    page = text_of(mega.get("/portal/"))
    assert ours.display_number in page and "Наша касса" in page
    assert theirs.display_number not in page and "Чужая аптека" not in page


def test_another_clients_ticket_is_not_found(mega, world) -> None:
    theirs = make_ticket(world, client=world["apteka"].code)
    assert mega.get(f"/portal/{theirs.display_number}/").status_code == 404
    assert mega.post(f"/portal/{theirs.display_number}/reply/", {"body": "x"}).status_code == 404


def test_create_with_a_covered_service_and_a_file(mega, world) -> None:
    form = text_of(mega.get("/portal/new/"))
    assert "Не знаю — пусть определит поддержка" in form
    response = mega.post(
        "/portal/new/",
        {
            "subject": "Не работает касса",
            "description": "С утра",
            "service": "incident",
            "outlet": "M-01",
            "files": [SimpleUploadedFile("фото.png", b"\x89PNG", "image/png")],
        },
    )
    ticket = Ticket.objects.get()
    assert response["Location"] == f"/portal/{ticket.display_number}/"
    assert ticket.channel == "portal" and ticket.requester_user == world["mega_user"]
    assert ticket.attachments.get().filename == "фото.png"
    assert "зарегистрировано" in text_of(mega.get(response["Location"]))


def test_an_uncovered_service_is_shown_disabled_with_an_explanation(client, world) -> None:
    client.force_login(world["apteka_user"])
    form = text_of(client.get("/portal/new/"))
    assert 'value="consultation" disabled' in form
    assert "не входит в договор: обратитесь к менеджеру" in form
    refused = client.post("/portal/new/", {"subject": "Вопрос", "service": "consultation"})
    assert refused.status_code == 422
    assert not Ticket.objects.exists()


def test_i_dont_know_leaves_the_service_empty(mega, world) -> None:
    mega.post("/portal/new/", {"subject": "Что-то странное", "service": ""})
    assert Ticket.objects.get().service is None


def test_the_client_sees_public_replies_never_internal_notes_or_files(mega, world) -> None:
    ticket = make_ticket(world)
    services.ticket_comment(actor=world["agent"], number=ticket.number, body="Публичный ответ")
    services.ticket_comment(
        actor=world["agent"], number=ticket.number, body="Секретная заметка", is_public=False
    )
    services.ticket_attach(
        actor=world["agent"],
        number=ticket.number,
        content=io.BytesIO(b"internal"),
        filename="внутренний.txt",
        content_type="text/plain",
        size=8,
        is_public=False,
    )
    page = text_of(mega.get(f"/portal/{ticket.display_number}/"))
    assert "Публичный ответ" in page
    assert "Секретная заметка" not in page and "внутренний.txt" not in page


def test_the_client_replies_and_confirms_the_resolution(mega, world) -> None:
    ticket = make_ticket(world)
    services.ticket_transition(
        actor=world["agent"], number=ticket.number, status="pending_requester"
    )
    ticket.refresh_from_db()
    mega.post(
        f"/portal/{ticket.display_number}/reply/",
        {"body": "Вот номер карты", "version": ticket.version},
    )
    ticket.refresh_from_db()
    assert ticket.status_category == "open"  # the answer puts it back into work
    services.ticket_transition(actor=world["agent"], number=ticket.number, status="resolved")
    ticket.refresh_from_db()
    page = text_of(mega.get(f"/portal/{ticket.display_number}/"))
    assert "Подтвердить решение" in page and "Вернуть в работу" in page
    mega.post(
        f"/portal/{ticket.display_number}/status/", {"status": "closed", "version": ticket.version}
    )
    ticket.refresh_from_db()
    assert ticket.status_category == "closed"


def test_a_stale_portal_reply_keeps_the_text_and_says_why(mega, world) -> None:
    ticket = make_ticket(world)
    stale = ticket.version
    services.ticket_take(actor=world["agent"], number=ticket.number)
    response = mega.post(
        f"/portal/{ticket.display_number}/reply/",
        {"body": "Мой текст", "version": stale},
        follow=True,
    )
    page = text_of(response)
    assert "Обращение успели изменить" in page and ">Мой текст</textarea>" in page


def test_guest_follows_and_answers_through_the_secret_link(client, world) -> None:
    guest = world["mega_guest"]
    ticket = make_ticket(world, requester_id=guest.pk)
    services.ticket_comment(actor=world["agent"], number=ticket.number, body="Проверяем начисление")
    services.ticket_comment(
        actor=world["agent"], number=ticket.number, body="Звонили в ТТ", is_public=False
    )
    url = f"/t/{ticket.public_token}/"
    response = client.get(url)
    page = text_of(response)
    assert response["Cache-Control"] == "no-store, private"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "Проверяем начисление" in page and "Звонили в ТТ" not in page
    answered = client.post(url, {"body": "Спасибо, жду"})
    assert answered["Location"] == url
    comment = ticket.comments.filter(is_public=True).last()
    assert comment.body == "Спасибо, жду" and comment.author_contact == guest
    assert comment.channel == "portal"


def test_guest_files_only_public_and_only_of_their_ticket(client, world) -> None:
    ticket, other = make_ticket(world), make_ticket(world)
    public = services.ticket_attach(
        actor=world["agent"],
        number=ticket.number,
        content=io.BytesIO(b"pub"),
        filename="ответ.txt",
        content_type="text/plain",
        size=3,
    )
    hidden = services.ticket_attach(
        actor=world["agent"],
        number=ticket.number,
        content=io.BytesIO(b"int"),
        filename="внутр.txt",
        content_type="text/plain",
        size=3,
        is_public=False,
    )
    foreign = services.ticket_attach(
        actor=world["agent"],
        number=other.number,
        content=io.BytesIO(b"oth"),
        filename="чужой.txt",
        content_type="text/plain",
        size=3,
    )
    base = f"/t/{ticket.public_token}/files"
    ok = client.get(f"{base}/{public.pk}/")
    assert ok.status_code == 200 and b"".join(ok.streaming_content) == b"pub"
    assert client.get(f"{base}/{hidden.pk}/").status_code == 404
    assert client.get(f"{base}/{foreign.pk}/").status_code == 404


def test_a_wrong_secret_is_not_found_and_closed_tickets_take_no_replies(client, world) -> None:
    assert client.get("/t/not-a-token/").status_code == 404
    ticket = make_ticket(world)
    services.ticket_transition(actor=world["agent"], number=ticket.number, status="cancelled")
    page = text_of(client.get(f"/t/{ticket.public_token}/"))
    assert "Обращение закрыто" in page and "<textarea" not in page
    refused = client.post(f"/t/{ticket.public_token}/", {"body": "Ещё вопрос"})
    assert refused.status_code == 422 and "создайте новое обращение" in text_of(refused)


def test_staff_opening_the_portal_go_to_their_workspace(client, world) -> None:
    client.force_login(world["agent"])
    assert client.get("/portal/")["Location"] == "/"
