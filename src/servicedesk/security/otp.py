"""The TOTP second factor: who needs it, and the gate that asks for the code after login.

A staff member who enrolled a TOTP device (/account/2fa/setup/) must enter a code after
every password login; with SD_REQUIRE_TOTP_FOR_HEAD=1 the head (and superusers) must
enrol before doing anything else. Any login view works (Django's LoginView, the admin):
the gate runs after it, on the next request.

For the workspace UI: `OtpVerificationMiddleware` is installed in settings (after
django-otp's OTPMiddleware) and covers every page. A view that must also work without
the middleware can use the decorator:

    @login_required
    @require_verified_if_needed
    def ticket_board(request): ...

Pages under /account/2fa/, logout, static files and the health/metrics endpoints are
never gated. API calls with a bearer token are not gated (the token is the credential);
API calls on an unverified browser session get 403 `otp_required`.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from servicedesk.accounts.roles import Role

EXEMPT_PREFIXES = (
    "/account/2fa/",
    "/static/",
    "/logout/",
    "/admin/logout/",
    "/healthz",
    "/readyz",
    "/metrics",
    "/api/v1/openapi.json",
    "/api/v1/docs",
)


class OtpStep(StrEnum):
    """What an authenticated user still has to do before working."""

    VERIFY = "verify"  # enrolled: enter a code
    SETUP = "setup"  # required but not enrolled yet: enrol first


def otp_required(user: Any) -> bool:
    """Return whether `user` must use a second factor (head/superuser, when switched on)."""
    if not settings.SD_REQUIRE_TOTP_FOR_HEAD or not user.is_authenticated:
        return False
    return bool(user.is_superuser or Role.HEAD in getattr(user, "roles", ()))


def pending_step(user: Any) -> OtpStep | None:
    """Return the second-factor step `user` still owes in this session, if any."""
    if not user.is_authenticated:
        return None
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return None
    if user_has_device(user, confirmed=True):
        return OtpStep.VERIFY
    if otp_required(user):
        return OtpStep.SETUP
    return None


def _gate(request: HttpRequest) -> HttpResponse | None:
    path = request.path
    if path.startswith(EXEMPT_PREFIXES):
        return None
    if path.startswith("/api/") and request.headers.get("Authorization"):
        return None
    step = pending_step(request.user)
    if step is None:
        return None
    if path.startswith("/api/"):
        message = "Подтвердите вход кодом из приложения: /account/2fa/verify/"
        return JsonResponse(
            {
                "code": "otp_required",
                "message": message,
                "detail": [{"loc": [], "msg": message, "type": "otp_required"}],
            },
            status=403,
            json_dumps_params={"ensure_ascii": False},
        )
    target = reverse("security:otp_verify" if step is OtpStep.VERIFY else "security:otp_setup")
    return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


class OtpVerificationMiddleware:
    """Send a logged-in user who owes a TOTP code (or enrolment) to /account/2fa/."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return _gate(request) or self.get_response(request)


def require_verified_if_needed(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Decorate a view so a user who owes a TOTP code is sent to enter it first."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _gate(request) or view(request, *args, **kwargs)

    return wrapper
