"""The set-up commands a new user runs through `make run`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from servicedesk.accounts.models import User
from servicedesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_load_plastek_is_idempotent() -> None:
    call_command("load_plastek", stdout=StringIO())
    call_command("load_plastek", stdout=StringIO())
    from django.contrib.auth.models import Group

    from servicedesk.catalog.models import Service, SlaLevel
    from servicedesk.tickets.models import TicketStatus

    assert Service.objects.count() == 16
    assert SlaLevel.objects.count() == 3
    assert TicketStatus.objects.count() == 7
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "head",
        "service_manager",
        "sql_engineer",
        "sysadmin",
        "sd_manager",
    }


def test_demo_has_every_role_and_tickets_in_every_status() -> None:
    out = StringIO()
    call_command("load_demo", "--tickets", "60", stdout=out)
    text = out.getvalue()
    for login in ("head", "manager", "sql", "sysadmin", "sd", "mega-client"):
        assert login in text
    assert "plastek-demo" in text
    categories = set(Ticket.objects.values_list("status_category", flat=True))
    assert categories == {
        "new",
        "open",
        "pending_requester",
        "pending_development",
        "resolved",
        "closed",
        "cancelled",
    }
    head = User.objects.get(username="head")
    assert head.check_password("plastek-demo")
    assert {r.value for r in head.roles} == {"head"}
    call_command("load_demo", "--tickets", "60", stdout=StringIO())
    assert Ticket.objects.count() == 60


def test_issue_token_prints_a_working_token(client) -> None:
    call_command("load_demo", "--tickets", "1", stdout=StringIO())
    out = StringIO()
    call_command("issue_token", "sql", stdout=out)
    token = out.getvalue().strip()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.json()["roles"] == ["sql_engineer"]
