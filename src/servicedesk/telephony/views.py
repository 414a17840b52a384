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
from servicedesk.core.identifiers import mask_tail
from servicedesk.privacy.models import AccessPurpose
from servicedesk.privacy.selectors import may_see_full
from servicedesk.privacy.services import personal_data_viewed
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
    user = _user(request)
    full = may_see_full(user)
    if full and pending.shown_at is None:
        # Logged once per pop-up, not on every poll of the same card.
        personal_data_viewed(
            actor=user, contacts=card.contacts, purpose=AccessPurpose.CALL, request=request
        )
    popup_mark_shown(pending)
    context = {
        "popup": pending,
        "card": card,
        "phone": card.phone if full else mask_tail(card.phone or ""),
    }
    return render(request, "telephony/popup.html#popup", context)


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
    return render(request, "telephony/callbacks.html", _callback_context(request))


def _callback_context(request: HttpRequest, error: str = "") -> dict[str, object]:
    """Return the queue with numbers in full (logged) for roles that may see them, else masked."""
    user = _user(request)
    items = selectors.callback_queue()
    full = may_see_full(user)
    if full:
        contacts = {c.caller_contact for item in items for c in item.calls if c.caller_contact}
        personal_data_viewed(
            actor=user, contacts=list(contacts), purpose=AccessPurpose.CALL, request=request
        )
    shown = [(item, item.number if full else mask_tail(item.number)) for item in items]
    return {"items": items, "shown": shown, "full_numbers": full, "error": error}


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
    return render(request, "telephony/callbacks.html#queue", _callback_context(request, error))
