"""Full phone, card and e-mail values only for roles that need them; masked elsewhere."""

from __future__ import annotations

import pytest

from servicedesk.accounts.models import ContactEmail
from servicedesk.accounts.roles import Role
from servicedesk.privacy.models import PersonalDataAccess
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def guest(world):
    contact = world["mega_guest"]
    ContactEmail.objects.create(contact=contact, address="maria@example.ru")
    return contact


@pytest.fixture
def sysadmin(plastek):
    return factories.staff(Role.SYSADMIN, username="admin1")


FULL = {"phones": ["+79161234567"], "cards": ["2770000001001"], "emails": ["maria@example.ru"]}
MASKED = {"phones": ["••••••••4567"], "cards": ["•••••••••1001"], "emails": ["m•••@example.ru"]}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.SQL_ENGINEER, FULL),
        (Role.SD_MANAGER, FULL),
        (Role.SERVICE_MANAGER, FULL),
        (Role.HEAD, FULL),
        (Role.SYSADMIN, MASKED),
    ],
)
def test_the_contact_card_shows_full_values_only_to_roles_that_need_them(
    guest, api_as, role, expected
) -> None:
    user = factories.staff(role)
    card = api_as(user).get(f"/contacts/{guest.pk}")
    assert card.status_code == 200
    body = card.json()
    assert {key: body[key] for key in expected} == expected
    assert body["full_values"] is (expected is FULL)
    assert PersonalDataAccess.objects.filter(actor=user).exists() is (expected is FULL)


def test_the_caller_lookup_masks_for_roles_without_the_right(guest, api_as, sysadmin, world):
    masked = api_as(sysadmin).get("/contacts/lookup?phone=89161234567").json()["contacts"][0]
    assert {key: masked[key] for key in MASKED} == MASKED
    full = api_as(world["agent"]).get("/contacts/lookup?card=2770000001001").json()["contacts"][0]
    assert {key: full[key] for key in FULL} == FULL


def test_client_users_get_no_contact_card(guest, api_as, world) -> None:
    response = api_as(world["mega_user"]).get(f"/contacts/{guest.pk}")
    assert response.status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_an_unknown_contact_is_404(api_as, world) -> None:
    assert api_as(world["agent"]).get("/contacts/999999").status_code == 404


def test_ticket_lists_mask_numbers_typed_into_subjects(api_as, world) -> None:
    api = api_as(world["agent"])
    body = {"subject": "Перезвонить гостю 8 916 123-45-67", "client": world["mega"].code}
    number = api.post("/tickets", body).json()["number"]
    row = api.get("/tickets").json()["results"][0]
    assert row["subject"] == "Перезвонить гостю • ••• •••-45-67"
    assert api.get(f"/tickets/{number}").json()["subject"] == body["subject"]  # the ticket itself
    assert api.get("/tickets?q=123-45-67").json()["count"] == 1  # search still finds it


def test_the_admin_contact_page_masks_for_roles_without_the_right(
    guest, client, sysadmin, world
) -> None:
    client.force_login(sysadmin)
    html = client.get(f"/admin/accounts/contact/{guest.pk}/change/").content.decode()
    assert "+79161234567" not in html
    assert "••••••••4567" in html
    assert "2770000001001" not in html
    assert not PersonalDataAccess.objects.exists()

    client.force_login(world["agent"])
    html = client.get(f"/admin/accounts/contact/{guest.pk}/change/").content.decode()
    assert "+79161234567" in html
    row = PersonalDataAccess.objects.get(field="phone")
    assert (row.actor, row.contact_id, row.purpose) == (world["agent"], guest.pk, "admin")


def test_notifications_never_carry_whole_numbers(world) -> None:
    from servicedesk.sla.models import Notification
    from servicedesk.sla.notifications import notify_many, notify_users

    notify_users(
        [world["agent"]],
        ticket=None,
        kind="test",
        title="Гость +7 916 123-45-67 ждёт звонка",
        body="Карта 2770000001001",
        send_email=False,
    )
    notify_many(
        [
            Notification(
                user=world["head"],
                kind="test",
                title="Перезвонить 89161234567",
                body="",
                created_at=world["head"].date_joined,
            )
        ]
    )
    texts = [f"{n.title} {n.body}" for n in Notification.objects.all()]
    assert texts == [
        "Гость +• ••• •••-45-67 ждёт звонка Карта •••••••••1001",
        "Перезвонить •••••••4567 ",
    ]
