"""Every showing of a full value is logged: who, when, which contact, which field; append-only."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from servicedesk.accounts.models import ContactEmail
from servicedesk.core import clock
from servicedesk.privacy.models import ImmutableRecordError, PersonalDataAccess

pytestmark = pytest.mark.django_db


def test_opening_a_contact_card_logs_each_field_shown(world, api_as) -> None:
    guest = world["mega_guest"]
    ContactEmail.objects.create(contact=guest, address="maria@example.ru")
    api = api_as(world["agent"])
    now = clock.now().replace(microsecond=0)
    with clock.frozen_at(now):
        response = api.client.get(
            f"/api/v1/contacts/{guest.pk}", headers=api.headers | {"X-Request-ID": "call-42"}
        )
    assert response.status_code == 200
    rows = PersonalDataAccess.objects.order_by("field")
    assert [(r.field, r.purpose) for r in rows] == [
        ("card", "contact_card"),
        ("email", "contact_card"),
        ("phone", "contact_card"),
    ]
    for row in rows:
        assert row.actor == world["agent"]
        assert row.actor_label == str(world["agent"])
        assert row.contact_id == guest.pk
        assert row.at == now
        assert row.request_id == "call-42"
        assert row.ip == "127.0.0.1"


def test_each_lookup_with_full_values_is_logged(world, api_as) -> None:
    api = api_as(world["agent"])
    api.get("/contacts/lookup?phone=+79161234567")
    api.get("/contacts/lookup?phone=+79161234567")
    assert PersonalDataAccess.objects.filter(purpose="lookup", field="phone").count() == 2


def test_a_lookup_that_finds_nobody_logs_nothing(world, api_as) -> None:
    api_as(world["agent"]).get("/contacts/lookup?phone=+79990000000")
    assert not PersonalDataAccess.objects.exists()


def test_the_log_cannot_be_changed_or_deleted(world, api_as) -> None:
    api_as(world["agent"]).get(f"/contacts/{world['mega_guest'].pk}")
    row = PersonalDataAccess.objects.first()
    row.actor_label = "кто-то другой"
    with pytest.raises(ImmutableRecordError):
        row.save()
    with pytest.raises(ImmutableRecordError):
        row.delete()
    if connection.vendor == "postgresql":
        from django.db import DatabaseError

        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            PersonalDataAccess.objects.filter(pk=row.pk).update(actor_label="x")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            PersonalDataAccess.objects.filter(pk=row.pk).delete()


def test_only_the_head_reads_the_log_in_the_admin(world, api_as, client) -> None:
    api_as(world["agent"]).get(f"/contacts/{world['mega_guest'].pk}")
    client.force_login(world["agent"])
    assert client.get("/admin/privacy/personaldataaccess/").status_code == 403
    client.force_login(world["head"])
    page = client.get("/admin/privacy/personaldataaccess/")
    assert page.status_code == 200
    assert str(world["agent"]) in page.content.decode()


def test_the_workspace_call_card_logs_full_numbers_and_masks_for_others(world, client) -> None:
    from servicedesk.accounts.roles import Role
    from tests import factories

    client.force_login(world["agent"])
    html = client.get("/calls/lookup/", {"phone": "+79161234567"}).content.decode()
    assert "+79161234567" in html
    assert PersonalDataAccess.objects.filter(actor=world["agent"], purpose="lookup").exists()

    sysadmin = factories.staff(Role.SYSADMIN, username="admin1")
    client.force_login(sysadmin)
    html = client.get("/calls/lookup/", {"phone": "+79161234567"}).content.decode()
    assert "+79161234567" not in html
    assert "4567" in html
    assert not PersonalDataAccess.objects.filter(actor=sysadmin).exists()
