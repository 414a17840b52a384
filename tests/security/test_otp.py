"""The optional TOTP second factor: enrolment, the code after login, required for the head."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from servicedesk.accounts.roles import Role
from servicedesk.security.otp import require_verified_if_needed
from tests import factories
from tests.security.conftest import totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(plastek):
    return factories.staff(Role.SQL_ENGINEER, username="agent")


@pytest.fixture
def head(plastek):
    return factories.staff(Role.HEAD, username="boss")


def enrol(client, user) -> TOTPDevice:
    client.force_login(user)
    page = client.get("/account/2fa/setup/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/account/2fa/setup/", {"code": totp_code(device), "next": "/admin/"})
    assert response.status_code == 302, response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_enrolment_shows_a_qr_code_and_the_secret_and_confirms_with_a_code(client, agent) -> None:
    client.force_login(agent)
    page = client.get("/account/2fa/setup/")
    html = page.content.decode()
    assert "<svg" in html
    device = TOTPDevice.objects.get(user=agent)
    secret = re.search(r"<code>([A-Z2-7]+)</code>", html)
    assert secret is not None and len(secret.group(1)) == 32

    wrong = client.post("/account/2fa/setup/", {"code": "000000"})
    assert "Код не подошёл" in wrong.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed

    done = client.post("/account/2fa/setup/", {"code": totp_code(device), "next": "/admin/"})
    assert done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200  # this login counts as verified


def test_after_a_password_login_an_enrolled_user_must_enter_a_code(client, agent) -> None:
    device = enrol(client, agent)
    client.logout()
    client.force_login(agent)  # a new password login

    gate = client.get("/admin/tickets/ticket/")
    assert gate.status_code == 302
    assert gate["Location"] == "/account/2fa/verify/?next=%2Fadmin%2Ftickets%2Fticket%2F"

    wrong = client.post("/account/2fa/verify/", {"code": "123456", "next": "/admin/"})
    assert wrong.status_code == 200
    assert "Неверный код" in wrong.content.decode()
    # django-otp makes the next try wait a second after a wrong code; the user retypes later.
    device.refresh_from_db()
    device.throttling_failure_timestamp -= timedelta(seconds=5)
    device.save()

    right = client.post(
        "/account/2fa/verify/", {"code": totp_code(device, 1), "next": "/admin/tickets/ticket/"}
    )
    assert right["Location"] == "/admin/tickets/ticket/"
    assert client.get("/admin/tickets/ticket/").status_code == 200


def test_wrong_codes_are_throttled(client, agent) -> None:
    enrol(client, agent)
    client.logout()
    client.force_login(agent)
    statuses = [
        client.post("/account/2fa/verify/", {"code": "000000"}).status_code for _ in range(4)
    ]
    assert statuses[0] == 200
    assert 429 in statuses


def test_an_unverified_browser_session_gets_403_from_the_api_but_a_token_works(
    client, agent, api_as
) -> None:
    enrol(client, agent)
    client.logout()
    client.force_login(agent)
    refused = client.get("/api/v1/me")
    assert refused.status_code == 403
    assert refused.json()["code"] == "otp_required"
    assert api_as(agent).get("/me").status_code == 200


def test_the_api_password_login_asks_for_the_code_when_enrolled(client, agent, password) -> None:
    device = enrol(client, agent)
    body = {"username": "agent", "password": password, "name": "скрипт"}
    without = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert without.status_code == 401
    assert without.json()["code"] == "otp_required"
    with_code = client.post(
        "/api/v1/auth/token",
        body | {"otp": totp_code(device, 1)},
        content_type="application/json",
    )
    assert with_code.status_code == 201


def test_users_without_a_device_are_not_asked(client, agent, head) -> None:
    client.force_login(head)
    assert client.get("/admin/").status_code == 200


def test_when_required_the_head_must_enrol_before_working(client, head, agent, settings) -> None:
    settings.SD_REQUIRE_TOTP_FOR_HEAD = True
    client.force_login(head)
    gate = client.get("/admin/")
    assert gate.status_code == 302
    assert gate["Location"].startswith("/account/2fa/setup/")
    page = client.get(gate["Location"])
    assert "обязателен" in page.content.decode()

    client.force_login(agent)  # other roles stay optional
    assert client.get("/admin/").status_code == 200


def test_the_head_cannot_switch_a_required_factor_off(client, head, settings) -> None:
    settings.SD_REQUIRE_TOTP_FOR_HEAD = True
    device = enrol(client, head)
    client.post("/account/2fa/disable/", {"code": totp_code(device, 1)})
    assert TOTPDevice.objects.filter(user=head, confirmed=True).exists()


def test_an_optional_factor_can_be_switched_off_with_a_code(client, agent) -> None:
    device = enrol(client, agent)
    overview = client.get("/account/2fa/")
    assert "Подключён" in overview.content.decode()
    client.post("/account/2fa/disable/", {"code": totp_code(device, 1)})
    assert not TOTPDevice.objects.filter(user=agent).exists()


def test_the_decorator_guards_a_view_without_the_middleware(agent, head) -> None:
    TOTPDevice.objects.create(user=agent, name="телефон", confirmed=True)

    @require_verified_if_needed
    def board(request):
        return HttpResponse("доска")

    request = RequestFactory().get("/board/")
    request.user = agent
    agent.is_verified = lambda: False
    response = board(request)
    assert response.status_code == 302
    assert response["Location"] == "/account/2fa/verify/?next=%2Fboard%2F"

    request.user = head
    head.is_verified = lambda: False
    assert board(request).content == "доска".encode()


def test_the_next_parameter_never_leaves_the_site(client, agent) -> None:
    device = TOTPDevice.objects.create(user=agent, name="телефон", confirmed=False)
    client.force_login(agent)
    response = client.post(
        "/account/2fa/setup/", {"code": totp_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_anonymous_visitors_are_sent_to_the_login_page_first(client, db) -> None:
    response = client.get("/account/2fa/setup/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/account/2fa/setup/"


def test_after_the_workspace_login_an_enrolled_user_is_asked_for_the_code(
    client, agent, password
) -> None:
    device = enrol(client, agent)
    client.logout()
    login = client.post("/login/", {"username": "agent", "password": password})
    assert login.status_code == 302
    gate = client.get(login["Location"])
    assert gate.status_code == 302
    assert gate["Location"].startswith("/account/2fa/verify/")
    done = client.post(gate["Location"], {"code": totp_code(device, 1)})
    assert client.get(done["Location"]).status_code == 200
