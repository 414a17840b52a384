"""API rate limits: per token (or browser session) and per IP for failed authentication.

Counters are fixed windows in Django's cache, so with REDIS_URL every web machine
shares them; `cache.add` + `cache.incr` are atomic in Redis and in the local memory
cache. Over the limit the API answers 429 with `Retry-After` and the usual error JSON.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse

from servicedesk.core import clock
from servicedesk.security.clientip import client_ip
from servicedesk.security.domain.rates import Decision, Rate, decide, parse_rate, window_of

API_PREFIX = "/api/"
# The schema and the docs page are static and public.
_EXEMPT_SUFFIXES = ("/openapi.json", "/docs", "/docs/")


def _key(scope: str, ident: str, rate: Rate, timestamp: float) -> str:
    return f"rl:{scope}:{rate.seconds}:{window_of(rate, timestamp)}:{ident}"


def hit(scope: str, ident: str, rate: Rate) -> Decision:
    """Count one request of `ident` in the current window and decide whether it fits."""
    timestamp = clock.now().timestamp()
    key = _key(scope, ident, rate, timestamp)
    if cache.add(key, 1, timeout=rate.seconds + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=rate.seconds + 5)
            count = 1
    return decide(rate, count, timestamp)


def peek(scope: str, ident: str, rate: Rate) -> Decision:
    """Decide whether one more request would fit, without counting it."""
    timestamp = clock.now().timestamp()
    count = int(cache.get(_key(scope, ident, rate, timestamp)) or 0)
    return decide(rate, count + 1, timestamp)


def too_many_requests(retry_after: int, message: str) -> JsonResponse:
    """Return the API's 429 answer."""
    response = JsonResponse(
        {
            "code": "too_many_requests",
            "message": message,
            "detail": [{"loc": [], "msg": message, "type": "too_many_requests"}],
        },
        status=429,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Retry-After"] = str(retry_after)
    return response


def _credential(request: HttpRequest) -> str | None:
    """Return a stable id of the credential the request carries (never the secret itself)."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer ") and header[7:].strip():
        return "token:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


class ApiClientLimitMiddleware:
    """Apply API_RATE_LIMIT per credential and API_ANON_RATE_LIMIT per IP to /api/.

    Requests without credentials and requests whose credentials were refused (401)
    count against the IP; once over, every API request from that IP waits, so a stolen
    token cannot be found by guessing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if not path.startswith(API_PREFIX) or path.endswith(_EXEMPT_SUFFIXES):
            return self.get_response(request)
        anon_rate = parse_rate(settings.API_ANON_RATE_LIMIT)
        ip = client_ip(request)
        credential = _credential(request)
        if credential is None:
            anonymous = hit("anon", ip, anon_rate)
            if not anonymous.allowed:
                return too_many_requests(
                    anonymous.retry_after, "Слишком много запросов без авторизации"
                )
        else:
            failures = peek("anon", ip, anon_rate)
            if not failures.allowed:
                return too_many_requests(
                    failures.retry_after, "Слишком много неудачных попыток авторизации"
                )
            decision = hit("api", credential, parse_rate(settings.API_RATE_LIMIT))
            if not decision.allowed:
                return too_many_requests(
                    decision.retry_after, "Превышен лимит запросов для этого токена"
                )
        response = self.get_response(request)
        if credential is not None and response.status_code == 401:
            hit("anon", ip, anon_rate)
        return response
