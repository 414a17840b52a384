"""Signing in, the role-appropriate home page, the dashboard."""

from __future__ import annotations

import pytest

from servicedesk.accounts.roles import Role
from servicedesk.tickets import services
from tests import factories
from tests.web.helpers import HTMX, make_ticket, text_of

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_a_russian_login_page(client, plastek) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/")
    page = client.get("/login/")
    assert "Вход в службу поддержки" in text_of(page)


def test_an_expired_session_inside_htmx_reloads_the_whole_page(client, plastek) -> None:
    response = client.get("/tickets/?queue=mine", **HTMX)
    assert response["HX-Redirect"].startswith("/login/?next=")


def test_staff_sign_in_and_land_on_the_dashboard(client, world) -> None:
    response = client.post(
        "/login/", {"username": "agent", "password": factories.PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "Обзор" in text_of(response)


def test_a_wrong_password_is_told_in_russian(client, world) -> None:
    response = client.post("/login/", {"username": "agent", "password": "nope"})
    assert response.status_code == 200
    assert "Пожалуйста, введите правильные имя пользователя и пароль" in text_of(response)


def test_client_users_land_in_the_portal_and_never_in_the_workspace(client, world) -> None:
    client.force_login(world["mega_user"])
    assert client.get("/")["Location"] == "/portal/"
    assert client.get("/tickets/?queue=all")["Location"] == "/portal/"
    assert client.get("/calls/new/")["Location"] == "/portal/"


def test_a_user_without_roles_is_refused_politely(client, world) -> None:
    nobody = factories.UserFactory.create(username="nobody")
    client.force_login(nobody)
    assert client.get("/").status_code == 403


def test_logout_and_password_change(client, world) -> None:
    client.force_login(world["agent"])
    form = client.get("/password/")
    assert "Смена пароля" in text_of(form)
    changed = client.post(
        "/password/",
        {
            "old_password": factories.PASSWORD,
            "new_password1": "another-long-secret-77",
            "new_password2": "another-long-secret-77",
        },
        follow=True,
    )
    assert "Пароль изменён" in text_of(changed)
    assert client.post("/logout/")["Location"] == "/login/"
    assert client.get("/")["Location"].startswith("/login/")


def test_dashboard_shows_counts_my_work_and_catalogue_warnings(client, world) -> None:
    make_ticket(world, assignee="agent", subject="Моя касса")
    make_ticket(world, service="report")
    resolved = make_ticket(world)
    services.ticket_transition(actor=world["agent"], number=resolved.number, status="resolved")
    client.force_login(world["agent"])
    page = text_of(client.get("/"))
    assert "Открытых обращений: 2" in page
    assert "Моя касса" in page
    assert "Открытые по услугам" in page and "Отчет" in page
    assert "Каталог:" in page and "catalog.W001" in page  # the source contradicts itself
    assert "Новых уведомлений нет" in page


def test_sidebar_lists_every_role_queue_of_a_person_with_several_roles(client, world) -> None:
    person = factories.staff(Role.SQL_ENGINEER, Role.SD_MANAGER, username="two-hats")
    client.force_login(person)
    page = text_of(client.get("/"))
    assert "queue=unassigned&amp;role_queue=sql_engineer" in page
    assert "queue=unassigned&amp;role_queue=sd_manager" in page


def test_staff_pages_poll_for_incoming_calls_and_client_pages_do_not(client, world) -> None:
    client.force_login(world["agent"])
    assert 'id="call-popup" hx-get="/telephony/popup/"' in text_of(client.get("/"))
    client.force_login(world["mega_user"])
    assert 'id="call-popup"' not in text_of(client.get("/portal/"))


def test_queue_counts_arrive_after_the_page(client, world) -> None:
    make_ticket(world, assignee="agent")
    client.force_login(world["agent"])
    page = text_of(client.get("/tickets/?queue=mine"))
    assert 'hx-trigger="load, every 60s, queueCountsChanged from:body"' in page
    assert 'class="count' not in page.split('id="queue-menu"')[1].split("</ul>")[0]
    counts = text_of(client.get("/queues/counts/?queue=mine"))
    assert 'Мои<span class="count">1</span>' in counts
    assert 'class="side-link active" href="/tickets/?queue=mine"' in counts


def test_ticket_page_and_call_card_offer_knowledge_base_suggestions(client, world) -> None:
    ticket = make_ticket(world)
    client.force_login(world["agent"])
    page = text_of(client.get(f"/tickets/{ticket.display_number}/"))
    assert "data-kb-widget" in page
    assert f'data-kb-ticket="{ticket.display_number}"' in page
    assert 'data-kb-target="#reply textarea[name=body]"' in page
    card = text_of(client.get("/calls/new/"))
    assert 'data-kb-service="#f-service"' in card
