"""Work-time test helpers: a desk with the 2026 production calendar and a service manager."""

from __future__ import annotations

from typing import Any

import pytest

from tests.worklogs.builders import msk, seed_calendars


@pytest.fixture
def desk(world: dict[str, Any]) -> dict[str, Any]:
    """The `world` desk (mega: L1+L2+L3, cap 10 h, 3000 ₽/h) plus a service manager."""
    from servicedesk.accounts.roles import Role
    from tests import factories

    seed_calendars()
    world["manager"] = factories.staff(Role.SERVICE_MANAGER, username="manager")
    return world


__all__ = ["msk"]
