"""Passwords must be long, uncommon, not all digits and not like the login."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from servicedesk.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "weak",
    [
        "Kq7#zp2w",  # 8 characters: too short
        "Kq7#zp2wX",  # 9 characters: too short
        "1234567890123",  # digits only
        "password123",  # common
        "ivanov.petr1",  # like the login
    ],
)
def test_weak_passwords_are_refused(weak: str) -> None:
    user = User(username="ivanov.petr", first_name="Пётр", last_name="Иванов")
    with pytest.raises(ValidationError):
        validate_password(weak, user)


def test_a_ten_character_uncommon_password_is_accepted() -> None:
    validate_password("Kq7#zp2wXm", User(username="ivanov.petr"))


def test_the_minimum_length_message_is_in_russian() -> None:
    with pytest.raises(ValidationError) as error:
        validate_password("Kq7#zp2wX", User(username="x"))
    assert "10" in " ".join(error.value.messages)
    assert "символ" in " ".join(error.value.messages)
