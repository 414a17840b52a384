"""What a locked-out login sees (django-axes' AXES_LOCKOUT_CALLABLE)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from servicedesk.security.ratelimit import API_PREFIX, too_many_requests

LOCKED_MESSAGE = "Слишком много неудачных попыток входа. Попробуйте через {minutes} мин."


def cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def locked_message() -> str:
    return LOCKED_MESSAGE.format(minutes=max(1, cooloff_seconds() // 60))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """Answer 429 with Retry-After: JSON for the API, a Russian page for the browser."""
    if request.path.startswith(API_PREFIX):
        return too_many_requests(cooloff_seconds(), locked_message())
    response = render(request, "security/lockout.html", {"message": locked_message()}, status=429)
    response["Retry-After"] = str(cooloff_seconds())
    return response
