"""Encrypt secrets kept in the database (mailbox passwords) with a key from SECRET_KEY.

Fernet (AES-128-CBC + HMAC-SHA256) with a key derived by HKDF-SHA256 from the
site's SECRET_KEY: a database dump alone does not reveal the passwords. Changing
SECRET_KEY makes the stored passwords unreadable; the admin then asks for them again.
"""

from __future__ import annotations

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_PREFIX = "fernet1:"
_SALT = b"servicedesk.channels.email.secret"


class SecretUnreadable(ValueError):
    """A stored secret that this SECRET_KEY cannot decrypt."""


@cache
def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=b"mailbox-password").derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_secret(plain: str) -> str:
    """Return `plain` encrypted for storage."""
    return _PREFIX + _fernet(settings.SECRET_KEY).encrypt(plain.encode()).decode("ascii")


def decrypt_secret(stored: str) -> str:
    """Return the plain secret; raise SecretUnreadable if it was encrypted with another key."""
    if not stored.startswith(_PREFIX):
        raise SecretUnreadable("Пароль сохранён в неизвестном формате: введите его заново")
    try:
        return _fernet(settings.SECRET_KEY).decrypt(stored[len(_PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise SecretUnreadable(
            "Пароль ящика зашифрован другим SECRET_KEY: введите пароль заново"
        ) from error
