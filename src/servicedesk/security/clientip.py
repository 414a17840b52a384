"""The client's IP address, trusting X-Forwarded-For only as far as our own proxies."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "unknown"


def client_ip(request: HttpRequest) -> str:
    """Return the address of the client that sent `request`.

    With PROXY_COUNT=N (N reverse proxies in front of gunicorn, usually 1 for nginx),
    the client is the N-th address from the right of X-Forwarded-For; entries further
    left were written by the client and cannot be trusted. With 0, REMOTE_ADDR.
    """
    remote = _valid(str(request.META.get("REMOTE_ADDR") or "")) or UNKNOWN
    count = int(getattr(settings, "PROXY_COUNT", 0))
    if count <= 0:
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    forwarded = [part.strip() for part in header.split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    return _valid(forwarded[-min(count, len(forwarded))]) or remote


def axes_client_ip(request: HttpRequest) -> str | None:
    """Return the client address for django-axes, or None when there is none (a unix
    socket, a test's fake request): axes stores it in an IP-address column."""
    address = client_ip(request)
    return None if address == UNKNOWN else address


def _valid(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None
