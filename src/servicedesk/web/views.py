"""The staff landing page (dashboard), the role-appropriate home, and saved filters."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from servicedesk.accounts.models import User
from servicedesk.accounts.roles import Capability
from servicedesk.catalog.selectors import catalogue_problems
from servicedesk.core.errors import DomainError
from servicedesk.sla.notifications import notification_mark_read
from servicedesk.tickets.selectors import (
    Queue,
    TicketFilters,
    open_counts_by_service,
    open_counts_by_status,
    queue_counts,
    queue_tickets,
)
from servicedesk.web import sla_view
from servicedesk.web.http import WebRequest, staff_required
from servicedesk.web.services import saved_filter_delete, saved_filter_save
from servicedesk.web.templatetags.desk import queue_menu

DASHBOARD_LIST = 8


def home(request: HttpRequest) -> HttpResponseBase:
    """Send each person where they work: staff to the dashboard, client users to the portal."""
    user = request.user
    if isinstance(user, User) and user.is_active and user.client_id is not None:
        return redirect("portal:list")
    if isinstance(user, User) and user.is_authenticated and not user.is_support_staff:
        raise PermissionDenied(_("У вашей учётной записи нет ролей: обратитесь к руководителю"))
    return dashboard(request)


@staff_required
def dashboard(request: WebRequest) -> HttpResponseBase:
    user = request.user
    none = TicketFilters()
    mine = list(queue_tickets(user, Queue.MINE, none)[:DASHBOARD_LIST])
    at_risk = list(queue_tickets(user, Queue.AT_RISK, none)[:DASHBOARD_LIST])
    breached = list(queue_tickets(user, Queue.BREACHED, none)[:DASHBOARD_LIST])
    by_status = open_counts_by_status(user)
    context = {
        "mine": mine,
        "at_risk": at_risk,
        "breached": breached,
        "clocks": sla_view.clocks_for_tickets([*mine, *at_risk, *breached]),
        "by_status": by_status,
        "by_service": open_counts_by_service(user),
        "open_total": sum(row.count for row in by_status),
        "notifications": sla_view.notifications_for(user, 10),
        "unread": sla_view.unread_notification_count(user),
        "problems": catalogue_problems(),
        "can_configure": user.can(Capability.CONFIGURE),
    }
    return render(request, "web/dashboard.html", context)


def _back(request: WebRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@require_GET
@staff_required
def queue_menu_counts(request: WebRequest) -> HttpResponseBase:
    """Return the sidebar's queue list with counts (loaded after the page, then every minute)."""
    menu = queue_menu(
        request.user,
        counts=queue_counts(request.user),
        current_queue=request.GET.get("queue", ""),
        current_role=request.GET.get("role_queue", ""),
    )
    return render(request, "web/_queue_menu.html", menu)


@require_POST
@staff_required
def notifications_read(request: WebRequest) -> HttpResponseBase:
    """Mark all of the person's notifications read (the bell goes quiet)."""
    notification_mark_read(user=request.user)
    return redirect("home")


@require_POST
@staff_required
def saved_filter_create(request: WebRequest) -> HttpResponseBase:
    querystring = request.POST.get("querystring", "")
    try:
        saved = saved_filter_save(
            user=request.user, name=request.POST.get("name", ""), querystring=querystring
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(f"/tickets/?{querystring}")
    messages.success(request, _("Фильтр «%(name)s» сохранён") % {"name": saved.name})
    return redirect(f"/tickets/?{saved.querystring}")


@require_POST
@staff_required
def saved_filter_remove(request: WebRequest, pk: int) -> HttpResponseBase:
    try:
        saved_filter_delete(user=request.user, pk=pk)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Фильтр удалён"))
    return redirect(_back(request, "/tickets/"))
