"""Report tests share one hand-computed data set (see tests/reports/dataset.py)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def data(world: dict[str, Any]) -> dict[str, Any]:
    from tests.reports.dataset import build

    return build(world)
