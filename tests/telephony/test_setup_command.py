"""`manage.py telephony_setup`: the technical user and a token the webhook accepts."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from servicedesk.telephony.selectors import telephony_settings

pytestmark = pytest.mark.django_db


def test_setup_prints_a_token_the_webhook_accepts(world, client) -> None:
    out = StringIO()
    call_command("telephony_setup", stdout=out, stderr=StringIO())
    token = out.getvalue().strip()
    assert token.startswith("sdt_")
    config = telephony_settings()
    assert config.webhook_user is not None and config.webhook_user.username == "pbx"
    assert not config.webhook_user.has_usable_password()
    response = client.post(
        "/api/v1/telephony/events",
        {"callId": "setup-1", "event": "newCall"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.content
    call_command("telephony_setup", stdout=StringIO(), stderr=StringIO())  # again: same user
    assert telephony_settings().webhook_user == config.webhook_user
