"""Telephony in the admin: one settings page, a read-only call log."""

from __future__ import annotations

import pytest

from servicedesk.telephony.selectors import telephony_settings

pytestmark = pytest.mark.django_db


def test_a_sysadmin_edits_the_pbx_settings_on_one_page(world, client) -> None:
    from servicedesk.accounts.roles import Role
    from servicedesk.accounts.setup import setup_role_groups
    from tests import factories

    setup_role_groups()
    sysadmin = factories.staff(Role.SYSADMIN, username="admin2")
    client.force_login(sysadmin)
    listing = client.get("/admin/telephony/telephonysettings/")
    assert listing.status_code == 302
    page = client.get(listing["Location"])
    assert page.status_code == 200
    assert "Asterisk AMI" in page.content.decode()
    response = client.post(
        listing["Location"],
        {
            "webhook_user": "",
            "mango_api_key": "key",
            "mango_api_salt": "salt",
            "mango_api_url": "https://app.mango-office.ru/vpbx",
            "zadarma_api_key": "",
            "zadarma_api_secret": "",
            "zadarma_api_url": "https://api.zadarma.com",
            "ami_host": "10.0.0.5",
            "ami_port": "5038",
            "ami_username": "desk",
            "ami_secret": "s3cret",
            "recording_max_mb": "25",
        },
    )
    assert response.status_code == 302
    config = telephony_settings()
    assert (config.mango_api_key, config.ami_host, config.ami_secret) == (
        "key",
        "10.0.0.5",
        "s3cret",
    )


def test_the_call_log_is_readable_but_not_editable(world, l1, send, client) -> None:
    send(callId="adm-1", event="newCall", **{"from": "+79161234567"})
    client.force_login(world["head"])
    from servicedesk.telephony.models import Call

    call = Call.objects.get()
    assert client.get("/admin/telephony/call/").status_code == 200
    assert client.get(f"/admin/telephony/call/{call.pk}/change/").status_code == 200
    assert client.post(f"/admin/telephony/call/{call.pk}/change/", {}).status_code == 403
