"""Request typing and access decorators shared by the workspace and the portal."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from servicedesk.accounts.models import User

P = ParamSpec("P")


class WebRequest(HttpRequest):
    """A request that passed one of the decorators below: the user is a signed-in `User`."""

    user: User
    htmx: HtmxDetails


View = Callable[Concatenate[WebRequest, P], HttpResponseBase]


def _to_login(request: HttpRequest) -> HttpResponseBase:
    if getattr(request, "htmx", False):
        # An expired session inside an htmx swap: send the whole page to the login form.
        return HttpResponseClientRedirect(f"/login/?next={request.get_full_path()}")
    return redirect_to_login(request.get_full_path())


def staff_required(view: View[P]) -> Callable[..., HttpResponseBase]:
    """Let support staff in; send client users to the portal and others to the login page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated or not isinstance(user, User) or not user.is_active:
            return _to_login(request)
        if user.client_id is not None:
            return redirect("portal:list")
        if not user.is_support_staff:
            raise PermissionDenied(_("Нет доступа к рабочему месту поддержки"))
        return view(request, *args, **kwargs)  # type: ignore[arg-type]

    return wrapped


def client_required(view: View[P]) -> Callable[..., HttpResponseBase]:
    """Let client users in; send support staff to their workspace."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated or not isinstance(user, User) or not user.is_active:
            return _to_login(request)
        if user.client_id is None:
            if user.is_support_staff:
                return redirect("home")
            raise PermissionDenied(_("Нет доступа к порталу"))
        return view(request, *args, **kwargs)  # type: ignore[arg-type]

    return wrapped


def int_param(request: HttpRequest, name: str, default: int | None = None) -> int | None:
    """Return an integer from POST or GET, or `default` when absent or not a number."""
    raw = request.POST.get(name) or request.GET.get(name) or ""
    try:
        return int(raw) if raw else default
    except ValueError:
        return default


def no_store(response: HttpResponse, **_: Any) -> HttpResponse:
    """Keep a page out of shared and browser caches (secret links, personal data)."""
    response["Cache-Control"] = "no-store, private"
    return response
