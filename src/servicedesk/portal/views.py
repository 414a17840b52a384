"""The client portal (`/portal/`) and the guest's secret link (`/t/<token>/`)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_POST

from servicedesk.catalog.models import Service
from servicedesk.catalog.selectors import effective_sla_level, services_for_client
from servicedesk.core.errors import DomainError, NotFound, StaleVersion
from servicedesk.portal import selectors
from servicedesk.portal.services import guest_reply, portal_ticket_create
from servicedesk.tickets.models import Channel, Ticket
from servicedesk.tickets.selectors import access_ticket
from servicedesk.tickets.services import (
    Upload,
    allowed_statuses,
    ticket_reply,
    ticket_transition,
)
from servicedesk.web import sla_view
from servicedesk.web.http import WebRequest, client_required, int_param, no_store

PAGE_SIZE = 25
CONFLICT = gettext_noop("Обращение успели изменить: посмотрите свежие сообщения и повторите.")


def _uploads(request: HttpRequest) -> list[Upload]:
    return [
        Upload(
            content=f.open("rb"),
            filename=f.name or "",
            content_type=f.content_type or "",
            size=f.size or 0,
        )
        for f in request.FILES.getlist("files")
    ]


def _client_ticket(request: WebRequest, number: str) -> Ticket:
    try:
        return access_ticket(request.user, number)
    except NotFound as error:
        raise Http404(error.message) from error


@client_required
def ticket_list(request: WebRequest) -> HttpResponseBase:
    only_open = request.GET.get("show") != "all"
    text = request.GET.get("q", "").strip()[:200]
    tickets = selectors.portal_tickets(request.user, only_open=only_open, text=text)
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    return render(
        request,
        "portal/ticket_list.html",
        {
            "page": page,
            "rows": rows,
            "clocks": sla_view.clocks_for_tickets(rows),
            "only_open": only_open,
            "q": text,
        },
    )


@client_required
def ticket_new(request: WebRequest) -> HttpResponseBase:
    client = request.user.client
    if client is None:  # client_required lets only client users in
        raise Http404
    values = {name: request.POST.get(name, "").strip() for name in ("subject", "description")}
    values["service"] = request.POST.get("service", "")
    values["outlet"] = request.POST.get("outlet", "")
    error = None
    if request.method == "POST":
        try:
            ticket = portal_ticket_create(
                actor=request.user,
                subject=values["subject"],
                description=values["description"],
                service=values["service"] or None,
                outlet=values["outlet"] or None,
                files=_uploads(request),
            )
        except DomainError as failure:
            error = failure.message
        else:
            messages.success(
                request,
                _("Обращение %(number)s зарегистрировано. Мы ответим здесь и по почте.")
                % {"number": ticket.display_number},
            )
            return redirect("portal:detail", ticket.display_number)
    context = {
        "services": services_for_client(client),
        "outlets": selectors.client_outlets(request.user),
        "values": values,
        "error": error,
    }
    return render(request, "portal/ticket_new.html", context, status=422 if error else 200)


@require_GET
@client_required
def service_preview(request: WebRequest) -> HttpResponseBase:
    client = request.user.client
    service = Service.objects.filter(code=request.GET.get("service", ""), is_active=True).first()
    context = {
        "service": service,
        "level": effective_sla_level(service) if service else None,
        "preview": sla_view.sla_preview(service=service.code, client=client.code)
        if service and client
        else None,
        "for_new": True,
    }
    return render(request, "tickets/_sla_preview.html", context)


@client_required
def ticket_detail(request: WebRequest, number: str) -> HttpResponseBase:
    ticket = _client_ticket(request, number)
    context = {
        "ticket": ticket,
        "clocks": sla_view.clocks_for_tickets([ticket]).get(ticket.pk, []),
        "comments": list(selectors.public_comments(ticket)),
        "attachments": list(selectors.public_attachments(ticket)),
        "statuses": allowed_statuses(ticket, request.user),
        "draft": request.session.pop(f"portal-draft:{ticket.number}", ""),
    }
    return render(request, "portal/ticket_detail.html", context)


def _act(
    request: WebRequest, number: str, call: Callable[[int | None], object], done: str
) -> HttpResponseBase:
    ticket = _client_ticket(request, number)
    try:
        call(int_param(request, "version"))
    except StaleVersion:
        messages.warning(request, _(CONFLICT))
        request.session[f"portal-draft:{ticket.number}"] = request.POST.get("body", "")
    except NotFound as error:
        raise Http404(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
        request.session[f"portal-draft:{ticket.number}"] = request.POST.get("body", "")
    else:
        messages.success(request, done)
    return redirect("portal:detail", ticket.display_number)


@require_POST
@client_required
def ticket_reply_view(request: WebRequest, number: str) -> HttpResponseBase:
    body, files = request.POST.get("body", ""), _uploads(request)
    return _act(
        request,
        number,
        lambda version: ticket_reply(
            actor=request.user,
            number=number,
            body=body,
            files=files,
            is_public=True,
            channel=Channel.PORTAL,
            expected_version=version,
        ),
        _("Сообщение отправлено"),
    )


@require_POST
@client_required
def ticket_status(request: WebRequest, number: str) -> HttpResponseBase:
    status = request.POST.get("status", "")
    return _act(
        request,
        number,
        lambda version: ticket_transition(
            actor=request.user, number=number, status=status, expected_version=version
        ),
        _("Статус обращения изменён"),
    )


def _guest_context(token: str) -> dict[str, object]:
    try:
        ticket = selectors.guest_ticket(token)
    except NotFound as error:
        raise Http404(error.message) from error
    return {
        "ticket": ticket,
        "token": token,
        "clocks": sla_view.clocks_for_tickets([ticket]).get(ticket.pk, []),
        "comments": list(selectors.public_comments(ticket)),
        "attachments": list(selectors.public_attachments(ticket)),
        "can_reply": ticket.status_category not in ("closed", "cancelled"),
    }


def guest_ticket(request: HttpRequest, token: str) -> HttpResponseBase:
    """Let a guest follow their ticket and reply, with no account, through the secret link."""
    context = _guest_context(token)
    status = 200
    if request.method == "POST":
        try:
            guest_reply(token=token, body=request.POST.get("body", ""), files=_uploads(request))
        except DomainError as error:
            context |= {"error": error.message, "draft": request.POST.get("body", "")}
            status = 422
        else:
            messages.success(request, _("Сообщение отправлено. Мы ответим здесь и по почте."))
            return redirect("portal:guest", token)
    response = render(request, "portal/guest_ticket.html", context, status=status)
    response["Referrer-Policy"] = "no-referrer"
    return no_store(response)


@require_GET
def guest_file(request: HttpRequest, token: str, attachment_id: int) -> HttpResponseBase:
    try:
        attachment = selectors.guest_attachment(token, attachment_id)
    except NotFound as error:
        raise Http404(error.message) from error
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store, private"
    return response
