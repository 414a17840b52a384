"""Actions on the ticket page; each calls one ticket service with the page's version."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from servicedesk.accounts.roles import Capability
from servicedesk.catalog.models import Service
from servicedesk.catalog.selectors import effective_sla_level
from servicedesk.core.errors import Forbidden, StaleVersion
from servicedesk.problems.services.handoff import ticket_handoff_to_development
from servicedesk.tickets import selectors, services
from servicedesk.tickets.models import Channel
from servicedesk.tickets.views.detail import act, load_ticket
from servicedesk.web import sla_view
from servicedesk.web.http import WebRequest, staff_required


def _text(request: WebRequest, name: str) -> str:
    return request.POST.get(name, "").strip()


@require_POST
@staff_required
def take(request: WebRequest, number: str) -> HttpResponseBase:
    return act(
        request,
        number,
        lambda v: services.ticket_take(actor=request.user, number=number, expected_version=v),
        _("Обращение взято в работу"),
    )


@require_POST
@staff_required
def assign(request: WebRequest, number: str) -> HttpResponseBase:
    assignee = _text(request, "assignee") or None
    queue = request.POST.get("role_queue")
    return act(
        request,
        number,
        lambda v: services.ticket_assign(
            actor=request.user,
            number=number,
            assignee=assignee,
            role_queue=queue.strip() if queue is not None else None,
            expected_version=v,
        ),
        _("Назначение сохранено"),
    )


@require_POST
@staff_required
def set_service(request: WebRequest, number: str) -> HttpResponseBase:
    service = _text(request, "service")
    return act(
        request,
        number,
        lambda v: services.ticket_set_service(
            actor=request.user, number=number, service=service, expected_version=v
        ),
        _("Услуга изменена, сроки SLA пересчитаны"),
    )


@require_GET
@staff_required
def service_preview(request: WebRequest, number: str) -> HttpResponseBase:
    """Show the SLA a ticket would get with another service, before saving it."""
    ticket = load_ticket(request, number)
    service = Service.objects.filter(code=request.GET.get("service", ""), is_active=True).first()
    context = {
        "service": service,
        "level": effective_sla_level(service) if service else None,
        "preview": sla_view.sla_preview(
            service=service.code, client=ticket.client.code, at=ticket.created_at
        )
        if service
        else None,
        "same": service is not None and service.pk == ticket.service_id,
    }
    return render(request, "tickets/_sla_preview.html", context)


@require_POST
@staff_required
def raise_priority(request: WebRequest, number: str) -> HttpResponseBase:
    level, reason = _text(request, "sla_level"), _text(request, "reason")
    return act(
        request,
        number,
        lambda v: services.ticket_raise_priority(
            actor=request.user, number=number, sla_level=level, reason=reason, expected_version=v
        ),
        _("Приоритет повышен"),
    )


@require_POST
@staff_required
def transition(request: WebRequest, number: str) -> HttpResponseBase:
    status, reason = _text(request, "status"), _text(request, "reason")
    return act(
        request,
        number,
        lambda v: services.ticket_transition(
            actor=request.user, number=number, status=status, reason=reason, expected_version=v
        ),
        _("Статус изменён"),
    )


@require_POST
@staff_required
def escalate(request: WebRequest, number: str) -> HttpResponseBase:
    target, reason = _text(request, "to"), _text(request, "reason")
    return act(
        request,
        number,
        lambda v: services.ticket_escalate(
            actor=request.user, number=number, to=target, reason=reason, expected_version=v
        ),
        _("Обращение эскалировано"),
    )


@require_POST
@staff_required
def escalate_to_development(request: WebRequest, number: str) -> HttpResponseBase:
    """Hand the ticket to development: tracker key and link, the state it was left in."""
    key, url, reason = (
        _text(request, "tracker_key"),
        _text(request, "tracker_url"),
        _text(request, "reason"),
    )

    @transaction.atomic
    def hand_over(version: int) -> object:
        if not request.user.can(Capability.ESCALATE_TO_DEVELOPMENT):
            raise Forbidden(_("Передавать в разработку могут сервис-менеджер и руководитель"))
        ticket = selectors.access_ticket(request.user, number, for_update=True)
        if ticket.version != version:
            raise StaleVersion(
                _("Обращение уже изменил кто-то другой: обновите страницу и повторите."),
                field="version",
                current_version=ticket.version,
            )
        return ticket_handoff_to_development(
            actor=request.user, number=number, tracker_key=key, tracker_url=url, state_note=reason
        )

    return act(request, number, hand_over, _("Передано в разработку: %(key)s") % {"key": key})


@require_POST
@staff_required
def merge(request: WebRequest, number: str) -> HttpResponseBase:
    target = _text(request, "target")
    return act(
        request,
        number,
        lambda v: services.ticket_merge(
            actor=request.user, source=number, target=target, expected_version=v
        ),
        _("Обращение закрыто как дубликат %(target)s") % {"target": target},
    )


@require_POST
@staff_required
def reply(request: WebRequest, number: str) -> HttpResponseBase:
    """Add a public reply or an internal note, with files, in one write."""
    body = request.POST.get("body", "")
    is_public = request.POST.get("kind", "public") != "note"
    uploads = [
        services.Upload(
            content=f.open("rb"),
            filename=f.name or "",
            content_type=f.content_type or "",
            size=f.size or 0,
        )
        for f in request.FILES.getlist("files")
    ]
    return act(
        request,
        number,
        lambda v: services.ticket_reply(
            actor=request.user,
            number=number,
            body=body,
            files=uploads,
            is_public=is_public,
            channel=Channel.PORTAL,
            expected_version=v,
        ),
        _("Ответ отправлен") if is_public else _("Заметка добавлена"),
        draft=body,
    )
