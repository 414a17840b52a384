"""Fixtures of the problem tests: a service manager and a quick ticket factory."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def manager(world: dict[str, Any]) -> Any:
    """A service manager with an e-mail (the default owner of problems)."""
    from servicedesk.accounts.models import User
    from servicedesk.accounts.roles import Role
    from tests import factories

    user = factories.staff(Role.SERVICE_MANAGER, username="manager")
    User.objects.filter(pk=user.pk).update(email="manager@plastek.test")
    user.refresh_from_db()
    return user


@pytest.fixture
def new_ticket(world: dict[str, Any]) -> Any:
    """Return a function registering a ticket (mega, incident, by the agent) with overrides."""
    from servicedesk.tickets import services

    def make(actor: Any = None, **fields: Any) -> Any:
        data = {
            "subject": "Не начислились баллы",
            "client": world["mega"].code,
            "channel": "phone",
            "service": "incident",
        } | fields
        return services.ticket_create(
            actor=actor or world["agent"], data=services.NewTicket(**data)
        )

    return make
