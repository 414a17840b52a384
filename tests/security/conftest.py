"""Fixtures of the security tests: people with passwords, TOTP codes."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.factories import PASSWORD


@pytest.fixture
def password() -> str:
    return PASSWORD


def totp_code(device: Any, offset_steps: int = 0) -> str:
    """Return the code an authenticator app shows now (or `offset_steps` steps later)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"
