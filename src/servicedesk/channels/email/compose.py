"""Our own Message-IDs for outgoing notifications, readable back into a ticket number.

Every notification carries a Message-ID like
``<sd.000123.received.3f9c1a7e5b2d4c60@desk.example.ru>``: the ticket number
in a fixed place, the kind of notification, and 64 random bits so that nobody
can guess an id we actually sent. Intake first looks the id up among the ids
stored with the tickets; reading the number out of it is the fallback when the
stored copy is missing. With a `secret` the id also carries an HMAC, and
reading it back checks the HMAC, so a forged id yields no ticket number.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Final

_KIND: Final = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
_DOMAIN: Final = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")
_OUR_ID: Final = re.compile(
    r"^sd\.(?P<number>\d{6,12})\.(?P<kind>[a-z][a-z0-9-]{0,31})\.(?P<nonce>[0-9a-f]{16})"
    r"(?:\.(?P<mac>[0-9a-f]{16}))?@(?P<domain>[^@\s<>]+)$"
)
_NUMBER_WIDTH: Final = 6
_NONCE_BYTES: Final = 8
_MAC_HEX_LENGTH: Final = 16


def make_message_id(
    domain: str, ticket_number: int, kind: str, *, secret: bytes | None = None
) -> str:
    """Return a new Message-ID, with angle brackets, for a notification about a ticket.

    `kind` names the notification (``received``, ``answered``, ``resolved``):
    lower-case letters, digits and hyphens. Pass the same `secret` (the site's
    secret key) here and to `ticket_number_from_message_id` to make ids
    unforgeable. Raise ValueError for a bad domain, number or kind.
    """
    if not _DOMAIN.match(domain) or ("." not in domain and domain != "localhost"):
        raise ValueError(f"not a domain name: {domain!r}")
    if ticket_number <= 0:
        raise ValueError(f"ticket number must be positive: {ticket_number}")
    if not _KIND.match(kind):
        raise ValueError(f"notification kind must be a short lower-case word: {kind!r}")
    local_part = f"sd.{ticket_number:0{_NUMBER_WIDTH}d}.{kind}.{secrets.token_hex(_NONCE_BYTES)}"
    if secret is not None:
        local_part = f"{local_part}.{_mac(secret, local_part, domain)}"
    return f"<{local_part}@{domain.lower()}>"


def ticket_number_from_message_id(
    message_id: str, domain: str, *, secret: bytes | None = None
) -> int | None:
    """Return the ticket number in one of our Message-IDs, or None if it is not ours.

    Accept the id with or without angle brackets; the domain is compared
    without regard to case. With a `secret`, an id whose HMAC is missing or
    wrong is not ours.
    """
    match = _OUR_ID.match(message_id.strip().removeprefix("<").removesuffix(">"))
    if match is None or match.group("domain").lower() != domain.lower():
        return None
    if secret is not None:
        if match.group("mac") is None:
            return None
        local_part = f"sd.{match.group('number')}.{match.group('kind')}.{match.group('nonce')}"
        if not hmac.compare_digest(match.group("mac"), _mac(secret, local_part, domain)):
            return None
    return int(match.group("number"))


def _mac(secret: bytes, local_part: str, domain: str) -> str:
    message = f"{local_part}@{domain.lower()}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:_MAC_HEX_LENGTH]
