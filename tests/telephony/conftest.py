"""Fixtures of the telephony tests: the PBX's token, L1 agents with extensions."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def l1(world: dict[str, Any]) -> dict[str, Any]:
    """Two SD managers (L1) at extensions 106 and 107."""
    from servicedesk.accounts.models import User
    from servicedesk.accounts.roles import Role
    from tests import factories

    people = {}
    for username, extension in (("sd", "106"), ("sd2", "107")):
        user = factories.staff(Role.SD_MANAGER, username=username)
        User.objects.filter(pk=user.pk).update(extension=extension)
        user.refresh_from_db()
        people[username] = user
    return people


@pytest.fixture
def pbx(world: dict[str, Any], api_as: Any) -> Any:
    """An API caller holding the token of the telephony technical user."""
    from servicedesk.accounts.models import User
    from servicedesk.telephony.selectors import telephony_settings

    user = User.objects.create(username="pbx")
    config = telephony_settings()
    config.webhook_user = user
    config.save()
    return api_as(user)


@pytest.fixture
def send(pbx: Any) -> Any:
    """Post one event in our schema; return the response."""

    def post(**fields: Any) -> Any:
        body = {"callId": "call-1", "direction": "in"} | fields
        return pbx.post("/telephony/events", body)

    return post
