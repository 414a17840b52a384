"""Repeated wrong passwords lock a login out (django-axes), on every way in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command

from servicedesk.accounts.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-1"


@pytest.fixture
def agent(plastek):
    return factories.staff(Role.SQL_ENGINEER, username="agent")


def admin_login(client, username: str, password: str):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def test_admin_login_locks_out_after_five_wrong_passwords(client, agent, password) -> None:
    for _ in range(4):
        assert admin_login(client, "agent", WRONG).status_code == 200  # the form again
    locked = admin_login(client, "agent", WRONG)
    assert locked.status_code == 429
    assert "Слишком много неудачных попыток входа" in locked.content.decode()
    assert int(locked["Retry-After"]) == 15 * 60

    # Even the right password is refused while locked out, and nobody is logged in.
    again = admin_login(client, "agent", password)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_right_password_resets_the_count(client, agent, password) -> None:
    for _ in range(4):
        admin_login(client, "agent", WRONG)
    assert admin_login(client, "agent", password).status_code == 302
    client.logout()
    for _ in range(4):
        assert admin_login(client, "agent", WRONG).status_code == 200


def test_the_lock_out_ends_after_the_cool_off(client, agent, password) -> None:
    for _ in range(5):
        admin_login(client, "agent", WRONG)
    assert admin_login(client, "agent", password).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    assert admin_login(client, "agent", password).status_code == 302


def test_a_locked_login_does_not_lock_colleagues_or_other_addresses(
    client, agent, password
) -> None:
    factories.staff(Role.SD_MANAGER, username="colleague")
    for _ in range(5):
        admin_login(client, "agent", WRONG)
    assert admin_login(client, "colleague", password).status_code == 302
    client.logout()
    other_machine = client.post(
        "/admin/login/",
        {"username": "agent", "password": password},
        REMOTE_ADDR="10.0.0.7",
    )
    assert other_machine.status_code == 302


def test_the_head_can_unlock_a_login(client, agent, password) -> None:
    for _ in range(5):
        admin_login(client, "agent", WRONG)
    call_command("axes_reset_username", "agent")
    assert admin_login(client, "agent", password).status_code == 302


def test_the_workspace_login_page_is_protected_too(client, agent, password) -> None:
    for _ in range(4):
        assert client.post("/login/", {"username": "agent", "password": WRONG}).status_code == 200
    assert client.post("/login/", {"username": "agent", "password": WRONG}).status_code == 429
    assert client.post("/login/", {"username": "agent", "password": password}).status_code == 429


def test_the_api_password_login_locks_out_the_same_way(client, agent, password) -> None:
    def token_login(secret: str):
        return client.post(
            "/api/v1/auth/token",
            {"username": "agent", "password": secret, "name": "скрипт"},
            content_type="application/json",
        )

    for _ in range(4):
        response = token_login(WRONG)
        assert response.status_code == 401
        assert response.json()["message"] == "Неверный логин или пароль"
    locked = token_login(WRONG)
    assert locked.status_code == 429
    assert locked.json()["code"] == "too_many_requests"
    assert int(locked["Retry-After"]) > 0
    assert token_login(password).status_code == 429


def test_the_api_password_login_issues_a_token(client, agent, password) -> None:
    response = client.post(
        "/api/v1/auth/token",
        {"username": "agent", "password": password, "name": "скрипт", "days": 7},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    token = response.json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["username"] == "agent"
