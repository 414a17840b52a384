"""The second-factor pages under /account/2fa/: overview, enrolment, verification, removal."""

from __future__ import annotations

from collections.abc import Callable

import segno
from django.contrib import messages
from django.contrib.auth.decorators import user_passes_test
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import user_has_device

from servicedesk.accounts.requests import request_user
from servicedesk.core.errors import DomainError
from servicedesk.security import services
from servicedesk.security.otp import otp_required


def _login_url() -> str:
    """Return the workspace's login page, or the admin's until the workspace has one."""
    try:
        return reverse("login")
    except NoReverseMatch:
        return reverse("admin:login")


def login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send anonymous visitors to the login page, then back here."""
    login_url = lazy(_login_url, str)()
    return user_passes_test(lambda user: user.is_authenticated, login_url=login_url)(view)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@never_cache
@login_required
def otp_overview(request: HttpRequest) -> HttpResponse:
    """Show whether the second factor is on, and offer to enrol or remove it."""
    user = request_user(request)
    return render(
        request,
        "security/otp_overview.html",
        {"enrolled": user_has_device(user, confirmed=True), "required": otp_required(user)},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Show the QR code of a new TOTP device and confirm it with the first code."""
    user = request_user(request)
    if user_has_device(user, confirmed=True):
        return redirect("security:otp_overview")
    error = None
    if request.method == "POST":
        try:
            services.otp_enrolment_confirm(
                request=request, user=user, code=request.POST.get("code", "")
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, "Второй фактор подключён")
            return redirect(_next_url(request))
    enrolment = services.otp_enrolment_start(user=user)
    qr_svg = segno.make(enrolment.config_url, error="m").svg_inline(scale=5)
    return render(
        request,
        "security/otp_setup.html",
        {
            "qr_svg": qr_svg,
            "secret": enrolment.secret,
            "error": error,
            "next": _next_url(request),
            "required": otp_required(user),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Ask for the code after a password login."""
    user = request_user(request)
    if not user_has_device(user, confirmed=True):
        return redirect("security:otp_setup")
    error = None
    status = 200
    if request.method == "POST":
        try:
            services.otp_verify(request=request, user=user, code=request.POST.get("code", ""))
        except services.TooManyRequests as exc:
            error, status = exc.message, 429
        except DomainError as exc:
            error, status = exc.message, 200
        else:
            return redirect(_next_url(request))
    return render(
        request,
        "security/otp_verify.html",
        {"error": error, "next": _next_url(request)},
        status=status,
    )


@never_cache
@login_required
@require_POST
def otp_disable(request: HttpRequest) -> HttpResponse:
    """Remove the second factor after checking a current code."""
    try:
        services.otp_disable(user=request_user(request), code=request.POST.get("code", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Второй фактор отключён")
    return redirect("security:otp_overview")
