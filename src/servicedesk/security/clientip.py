"""The client's IP address, trusting X-Forwarded-For only as far as our own proxies."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """Return the address of the client that sent `request`.

    With PROXY_COUNT=N (N reverse proxies in front of gunicorn, usually 1 for nginx),
    the client is the N-th address from the right of X-Forwarded-For; entries further
    left were written by the client and cannot be trusted. With 0, REMOTE_ADDR.
    """
    remote = str(request.META.get("REMOTE_ADDR") or "unknown")
    count = int(getattr(settings, "PROXY_COUNT", 0))
    if count <= 0:
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    forwarded = [part.strip() for part in header.split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    return forwarded[-min(count, len(forwarded))]
