"""htmx views of telephony: the caller pop-up (polled) and the call-back queue page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from servicedesk.accounts.models import User
from servicedesk.accounts.requests import request_user
from servicedesk.core.errors import DomainError
from servicedesk.telephony import selectors, services
from servicedesk.telephony.services.calls import popup_mark_shown

View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request_user(request).is_support_staff:
            raise PermissionDenied("Доступно только сотрудникам поддержки")
        return view(request, *args, **kwargs)

    return wrapper


def _user(request: HttpRequest) -> User:
    return request_user(request)


@require_GET
@staff_required
def popup(request: HttpRequest) -> HttpResponse:
    """Return the caller card for the user's current call, or an empty fragment."""
    pending = selectors.pending_popup(_user(request))
    if pending is None:
        return render(request, "telephony/popup.html#popup", {"popup": None})
    card = selectors.caller_card(pending.call)
    popup_mark_shown(pending)
    return render(request, "telephony/popup.html#popup", {"popup": pending, "card": card})


@require_POST
@staff_required
def popup_dismiss(request: HttpRequest, popup_id: int) -> HttpResponse:
    try:
        services.popup_dismiss(actor=_user(request), popup_id=popup_id)
    except DomainError as error:
        return HttpResponse(error.message, status=error.status_code)
    return render(request, "telephony/popup.html#popup", {"popup": None})


@require_GET
@staff_required
def callbacks(request: HttpRequest) -> HttpResponse:
    return render(request, "telephony/callbacks.html", {"items": selectors.callback_queue()})


@require_POST
@staff_required
def callback_mark(request: HttpRequest, call_id: str) -> HttpResponse:
    """Record a call-back attempt; htmx gets the refreshed queue body, a form a redirect."""
    error = ""
    try:
        services.callback_mark(
            actor=_user(request),
            call_id=call_id,
            reached=request.POST.get("reached") == "1",
            note=request.POST.get("note", ""),
        )
    except DomainError as failure:
        error = failure.message
    if not getattr(request, "htmx", False):
        return redirect("telephony:callbacks")
    return render(
        request,
        "telephony/callbacks.html#queue",
        {"items": selectors.callback_queue(), "error": error},
    )
