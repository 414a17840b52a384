"""Data-subject requests: everything held about one guest, by phone or card, for the head."""

from __future__ import annotations

import json

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from servicedesk.privacy.models import PersonalDataAccess
from servicedesk.tickets import services
from tests import factories
from tests.privacy.conftest import months_ago, ticket_closed_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(world, old_ticket):
    """The guest's old ticket with a file, and someone else's ticket that mentions the phone."""
    services.ticket_attach(
        actor=world["agent"],
        number=old_ticket.number,
        content=ContentFile(b"receipt", name="чек.txt"),
        filename="чек.txt",
        content_type="text/plain",
        size=7,
    )
    other = factories.guest(world["mega"], phone="+79160000009")
    mention = ticket_closed_at(
        world=world,
        requester=other,
        at=months_ago(3),
        subject="Жалоба соседа",
        description="Просит связаться с 9161234567",
    )
    unrelated = ticket_closed_at(
        world=world, requester=other, at=months_ago(3), subject="Ничего общего"
    )
    return {"own": old_ticket, "mention": mention, "unrelated": unrelated}


def test_the_head_exports_everything_about_a_guest_by_phone(world, history, api_as) -> None:
    response = api_as(world["head"]).get("/privacy/export", data={"phone": "8 (916) 123-45-67"})
    assert response.status_code == 200, response.content
    data = response.json()
    [contact] = data["contacts"]
    assert contact["name"] == "Иванова Мария"
    assert contact["phones"] == ["+79161234567"]
    assert contact["cards"] == ["2770000001001"]
    assert contact["emails"] == ["maria@example.ru"]
    [ticket] = data["tickets"]
    assert ticket["number"] == history["own"].display_number
    assert ticket["comments"][0]["body"].startswith("Иванова Мария")
    assert ticket["attachments"][0]["filename"] == "чек.txt"
    assert "content" not in ticket["attachments"][0]  # metadata only
    assert ticket["events"][0]["type"] == "created"
    mentioned = [t["number"] for t in data["mentioned_in_tickets"]]
    assert mentioned == [history["mention"].display_number]
    assert data["access_log"][-1]["purpose"] == "export"
    assert PersonalDataAccess.objects.filter(actor=world["head"], purpose="export").exists()


def test_the_export_by_card_finds_the_same_guest(world, history, api_as) -> None:
    data = api_as(world["head"]).get("/privacy/export?card=2770 0000 0100 1").json()
    assert [c["name"] for c in data["contacts"]] == ["Иванова Мария"]


def test_an_unknown_number_exports_an_empty_answer(world, api_as) -> None:
    data = api_as(world["head"]).get("/privacy/export?phone=+79990000000").json()
    assert data["contacts"] == [] and data["tickets"] == []


@pytest.mark.parametrize("role_user", ["agent", "mega_user"])
def test_only_the_head_may_export(world, history, api_as, role_user) -> None:
    response = api_as(world[role_user]).get("/privacy/export?phone=+79161234567")
    assert response.status_code == 403
    assert not PersonalDataAccess.objects.filter(purpose="export").exists()


@pytest.mark.parametrize("query", ["", "?phone=1&card=2770000001001", "?phone=abc", "?card=12"])
def test_the_export_needs_exactly_one_valid_number(world, api_as, query) -> None:
    response = api_as(world["head"]).get(f"/privacy/export{query}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] in {"phone", "card"}


def test_the_command_writes_the_export_to_a_file(world, history, tmp_path, capsys) -> None:
    target = tmp_path / "export.json"
    call_command("personal_data_export", "--card", "2770000001001", "--output", str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["contacts"][0]["cards"] == ["2770000001001"]
    row = PersonalDataAccess.objects.get(purpose="export", field="card")
    assert row.actor is None
    assert row.actor_label.startswith("manage.py personal_data_export")
