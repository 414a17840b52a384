"""Actions on the ticket page: each one write, with the page's version; conflicts are caught."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from servicedesk.accounts.roles import Role
from servicedesk.tickets import services
from servicedesk.tickets.models import Ticket
from tests import factories
from tests.web.helpers import HTMX, make_ticket, text_of

pytestmark = pytest.mark.django_db


def post(client, ticket: Ticket, action: str, data: dict | None = None, htmx: bool = True):
    ticket.refresh_from_db()
    body = {"version": ticket.version} | (data or {})
    extra = HTMX if htmx else {}
    return client.post(f"/tickets/{ticket.display_number}/{action}/", body, **extra)


@pytest.fixture
def agent_client(client, world):
    client.force_login(world["agent"])
    return client


def test_take_assigns_me_and_starts_work_and_returns_the_fresh_body(agent_client, world) -> None:
    ticket = make_ticket(world)
    response = post(agent_client, ticket, "take")
    assert response.status_code == 200
    page = text_of(response)
    assert page.lstrip().startswith('<section id="ticket-body"')
    assert "Обращение взято в работу" in page
    assert response["HX-Trigger"] == "queueCountsChanged"  # the sidebar recounts
    ticket.refresh_from_db()
    assert ticket.assignee == world["agent"] and ticket.status_category == "open"


def test_without_htmx_an_action_redirects_back_with_the_message(agent_client, world) -> None:
    ticket = make_ticket(world)
    response = post(agent_client, ticket, "take", htmx=False)
    assert response["Location"] == f"/tickets/{ticket.display_number}/"
    assert "Обращение взято в работу" in text_of(agent_client.get(response["Location"]))


def test_assign_to_a_colleague_and_a_role_queue(agent_client, world) -> None:
    ticket = make_ticket(world)
    post(
        agent_client,
        ticket,
        "assign",
        {"assignee": world["head"].username, "role_queue": "service_manager"},
    )
    ticket.refresh_from_db()
    assert ticket.assignee == world["head"] and ticket.role_queue == "service_manager"
    response = post(agent_client, ticket, "assign", {"assignee": "ghost", "role_queue": ""})
    assert response.status_code == 422
    assert "не найден среди сотрудников" in text_of(response)


def test_service_change_previews_the_new_sla_then_saves(agent_client, world) -> None:
    ticket = make_ticket(world)
    preview = agent_client.get(f"/tickets/{ticket.display_number}/service/preview/?service=report")
    assert "SL_1 · Критический" in text_of(preview)
    post(agent_client, ticket, "service", {"service": "report"})
    ticket.refresh_from_db()
    assert ticket.service.code == "report" and ticket.sla_level.code == "SL_1"


def test_priority_is_raised_only_where_allowed_and_with_a_reason(agent_client, world) -> None:
    ticket = make_ticket(world, service="testing")  # SL_2, raise allowed
    refused = post(agent_client, ticket, "priority", {"sla_level": "SL_1", "reason": ""})
    assert refused.status_code == 422 and "Заполните поле «Причина»" in text_of(refused)
    post(agent_client, ticket, "priority", {"sla_level": "SL_1", "reason": "Стоит касса"})
    ticket.refresh_from_db()
    assert ticket.sla_level.code == "SL_1" and ticket.priority_raised
    incident = make_ticket(world)  # incident: raise not allowed
    refused = post(agent_client, incident, "priority", {"sla_level": "SL_1", "reason": "x"})
    assert "не предусмотрено каталогом" in text_of(refused)


def test_status_moves_follow_the_rules(agent_client, world) -> None:
    ticket = make_ticket(world)
    post(agent_client, ticket, "status", {"status": "resolved", "reason": "Помогли"})
    ticket.refresh_from_db()
    assert ticket.status_category == "resolved"
    refused = post(agent_client, ticket, "status", {"status": "pending_requester"})
    assert refused.status_code == 422 and "Нельзя перевести" in text_of(refused)


def test_escalation_to_l3_and_to_the_service_manager(agent_client, world) -> None:
    ticket = make_ticket(world)
    post(agent_client, ticket, "escalate", {"to": "l3", "reason": "Коррекция баланса"})
    ticket.refresh_from_db()
    assert ticket.line == "L3"
    post(agent_client, ticket, "escalate", {"to": "service_manager", "reason": "Сложно"})
    ticket.refresh_from_db()
    assert ticket.role_queue == "service_manager"


def test_only_service_managers_hand_over_to_development_with_a_key(client, world) -> None:
    ticket = make_ticket(world)
    client.force_login(world["agent"])
    refused = post(client, ticket, "escalate/development", {"tracker_key": "DEV-12"})
    assert refused.status_code == 422 and "сервис-менеджер" in text_of(refused)
    client.force_login(factories.staff(Role.SERVICE_MANAGER, username="sm"))
    refused = post(client, ticket, "escalate/development", {"tracker_key": ""})
    assert "Заполните поле «Ключ в трекере»" in text_of(refused)
    done = post(
        client,
        ticket,
        "escalate/development",
        {
            "tracker_key": "DEV-12",
            "tracker_url": "https://tracker.example/DEV-12",
            "reason": "Баг в расчёте",
        },
    )
    assert "Передано в разработку: DEV-12" in text_of(done)
    ticket.refresh_from_db()
    assert ticket.status_category == "pending_development"
    assert ticket.events.filter(type="handed_to_development").exists()
    from servicedesk.problems.models import DevelopmentHandoff

    handoff = DevelopmentHandoff.objects.get(ticket=ticket)
    assert (handoff.tracker_key, handoff.tracker_url) == (
        "DEV-12",
        "https://tracker.example/DEV-12",
    )


def test_merge_closes_this_ticket_as_a_duplicate(agent_client, world) -> None:
    kept, duplicate = make_ticket(world), make_ticket(world)
    response = post(agent_client, duplicate, "merge", {"target": kept.display_number})
    assert f"Обращение закрыто как дубликат {kept.display_number}" in text_of(response)
    duplicate.refresh_from_db()
    assert duplicate.status_category == "cancelled"
    refused = post(agent_client, kept, "merge", {"target": kept.display_number})
    assert "с самим собой" in text_of(refused)


def test_reply_with_a_file_and_an_internal_note(agent_client, world) -> None:
    ticket = make_ticket(world)
    ticket.refresh_from_db()
    response = agent_client.post(
        f"/tickets/{ticket.display_number}/reply/",
        {
            "version": ticket.version,
            "kind": "public",
            "body": "Смотрите чек",
            "files": [SimpleUploadedFile("чек.pdf", b"%PDF-1.4", "application/pdf")],
        },
        **HTMX,
    )
    assert "Ответ отправлен" in text_of(response) and "чек.pdf" in text_of(response)
    post(agent_client, ticket, "reply", {"kind": "note", "body": "Проверить логи"})
    kinds = [(c.body, c.is_public) for c in ticket.comments.all()]
    assert kinds == [("Смотрите чек", True), ("Проверить логи", False)]
    attachment = ticket.attachments.get()
    download = agent_client.get(f"/api/v1/attachments/{attachment.pk}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4"


def test_a_concurrent_edit_is_refused_with_a_clear_message_and_the_fresh_state(
    agent_client, world
) -> None:
    ticket = make_ticket(world)
    stale = ticket.version
    services.ticket_transition(
        actor=world["head"], number=ticket.number, status="pending_requester"
    )
    response = agent_client.post(
        f"/tickets/{ticket.display_number}/status/",
        {"version": stale, "status": "resolved"},
        **HTMX,
    )
    assert response.status_code == 409
    page = text_of(response)
    assert "Пока вы смотрели обращение, его изменил кто-то другой" in page
    assert "Ожидает ответа заявителя" in page  # the fresh state is shown
    ticket.refresh_from_db()
    assert ticket.status_category == "pending_requester"  # nothing overwritten


def test_a_reply_refused_for_a_stale_page_keeps_the_typed_text(agent_client, world) -> None:
    ticket = make_ticket(world)
    stale = ticket.version
    services.ticket_take(actor=world["head"], number=ticket.number)
    response = agent_client.post(
        f"/tickets/{ticket.display_number}/reply/",
        {"version": stale, "kind": "public", "body": "Длинный ответ гостю"},
        **HTMX,
    )
    assert response.status_code == 409
    assert ">Длинный ответ гостю</textarea>" in text_of(response)
    assert not ticket.comments.exists()
    # Without htmx the draft survives the redirect too.
    response = agent_client.post(
        f"/tickets/{ticket.display_number}/reply/",
        {"version": stale, "kind": "public", "body": "Черновик"},
    )
    assert ">Черновик</textarea>" in text_of(agent_client.get(response["Location"]))


def test_a_form_without_version_is_refused(agent_client, world) -> None:
    ticket = make_ticket(world)
    response = agent_client.post(f"/tickets/{ticket.display_number}/take/", {}, **HTMX)
    assert response.status_code == 422 and "Страница устарела" in text_of(response)


def test_the_header_refresh_says_when_someone_else_changed_the_ticket(agent_client, world) -> None:
    ticket = make_ticket(world)
    url = f"/tickets/{ticket.display_number}/header/?v={ticket.version}"
    assert "Обращение изменил другой сотрудник" not in text_of(agent_client.get(url))
    services.ticket_take(actor=world["head"], number=ticket.number)
    assert "Обращение изменил другой сотрудник" in text_of(agent_client.get(url))


def test_actions_need_post(agent_client, world) -> None:
    ticket = make_ticket(world)
    assert agent_client.get(f"/tickets/{ticket.display_number}/take/").status_code == 405
