"""Work-time pages and the htmx partials the ticket page and the client card include.

Partials (GET returns the fragment; the forms inside post back and get it re-rendered):
* `worklogs:ticket_panel` — work log, totals, estimate and (for consultation tickets)
  the client's consultation hours this month; staff add time, the head corrects,
  client users approve or decline a proposed estimate;
* `worklogs:consultation` — a client's consultation hours used / cap for a month.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from servicedesk.accounts.models import User
from servicedesk.accounts.requests import request_user
from servicedesk.accounts.roles import Capability
from servicedesk.core import clock
from servicedesk.core.errors import DomainError, ValidationFailed
from servicedesk.reports.domain.periods import Month, PeriodError, local_date
from servicedesk.reports.web import page_errors
from servicedesk.tickets.models import Ticket
from servicedesk.tickets.selectors import access_ticket
from servicedesk.worklogs import selectors, services
from servicedesk.worklogs.domain import parse_minutes


def _panel_context(user: User, ticket: Ticket, **extra: Any) -> dict[str, Any]:
    logs = list(selectors.ticket_worklogs(ticket))
    today = local_date(clock.now())
    context: dict[str, Any] = {
        "ticket": ticket,
        "logs": logs,
        "summary": selectors.work_summary(ticket, logs),
        "staff": user.is_support_staff,
        "may_correct": user.is_support_staff and user.can(Capability.CORRECT_WORKLOGS),
        "may_decide_estimate": user.client_id is not None,
        "may_propose": user.is_support_staff and ticket.line == "L3",
        "today": today,
        "usage": (
            selectors.consultation_usage(ticket.client, Month.of(today))
            if selectors.is_consultation(ticket)
            else None
        ),
    }
    return context | extra


def _panel(request: HttpRequest, number: str, status: int = 200, **extra: Any) -> HttpResponse:
    user = request_user(request)
    ticket = access_ticket(user, number)
    return render(
        request,
        "worklogs/partials/ticket_panel.html",
        _panel_context(user, ticket, **extra),
        status=status,
    )


def _after_write(request: HttpRequest, number: str, error: DomainError | None) -> HttpResponse:
    if getattr(request, "htmx", False):
        if error is not None:
            return _panel(request, number, status=error.status_code, error=error.message)
        return _panel(request, number, saved=True)
    if error is not None and error.status_code == 403:
        raise PermissionDenied(error.message)
    return redirect(reverse("worklogs:ticket", args=[number]) + ("?error=1" if error else ""))


@login_required
@page_errors
@require_GET
def ticket_work(request: HttpRequest, number: str) -> HttpResponse:
    """A page with the ticket's work panel (until the ticket page includes the partial)."""
    user = request_user(request)
    ticket = access_ticket(user, number)
    return render(request, "worklogs/ticket_work.html", _panel_context(user, ticket))


@login_required
@page_errors
@require_GET
def ticket_panel(request: HttpRequest, number: str) -> HttpResponse:
    return _panel(request, number)


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed("Дата указывается как ГГГГ-ММ-ДД", field="work_date") from None


@login_required
@page_errors
@require_POST
def worklog_create(request: HttpRequest, number: str) -> HttpResponse:
    error = None
    try:
        try:
            minutes = parse_minutes(request.POST.get("minutes", ""))
        except ValueError as bad:
            raise ValidationFailed(str(bad), field="minutes") from None
        billable = {"yes": True, "no": False}.get(request.POST.get("billable", ""))
        services.worklog_add(
            actor=request_user(request),
            number=number,
            data=services.NewWorkLog(
                minutes=minutes,
                work_date=_date(request.POST.get("work_date")),
                note=request.POST.get("note", ""),
                billable=billable,
            ),
        )
    except DomainError as refused:
        error = refused
    return _after_write(request, number, error)


@login_required
@page_errors
@require_POST
def worklog_correct(request: HttpRequest, worklog_id: int) -> HttpResponse:
    user = request_user(request)
    log = selectors.worklog_for(user, worklog_id)
    error = None
    try:
        try:
            minutes = parse_minutes(request.POST.get("minutes", ""))
        except ValueError as bad:
            raise ValidationFailed(str(bad), field="minutes") from None
        services.worklog_correct(
            actor=user,
            worklog_id=worklog_id,
            minutes=minutes,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as refused:
        error = refused
    return _after_write(request, log.ticket.display_number, error)


@login_required
@page_errors
@require_POST
def estimate_create(request: HttpRequest, number: str) -> HttpResponse:
    error = None
    try:
        services.estimate_propose(
            actor=request_user(request),
            number=number,
            hours=request.POST.get("hours", "").replace(",", "."),
            note=request.POST.get("note", ""),
        )
    except DomainError as refused:
        error = refused
    return _after_write(request, number, error)


@login_required
@page_errors
@require_POST
def estimate_decision(request: HttpRequest, number: str, estimate_id: int) -> HttpResponse:
    error = None
    try:
        services.estimate_decide(
            actor=request_user(request),
            number=number,
            estimate_id=estimate_id,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", ""),
        )
    except DomainError as refused:
        error = refused
    return _after_write(request, number, error)


@login_required
@page_errors
@require_GET
def approvals(request: HttpRequest) -> HttpResponse:
    """Time above approved estimates waiting for the service manager."""
    user = request_user(request)
    try:
        pending = list(selectors.pending_excess(user))
    except DomainError as refused:
        raise PermissionDenied(refused.message) from None
    return render(request, "worklogs/approvals.html", {"pending": pending})


@login_required
@page_errors
@require_POST
def excess_decision(request: HttpRequest, worklog_id: int) -> HttpResponse:
    user = request_user(request)
    try:
        log = services.worklog_excess_decide(
            actor=user,
            worklog_id=worklog_id,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", ""),
        )
    except DomainError as refused:
        if refused.status_code == 403:
            raise PermissionDenied(refused.message) from None
        if getattr(request, "htmx", False):
            return HttpResponse(refused.message, status=refused.status_code)
        return redirect("worklogs:approvals")
    if getattr(request, "htmx", False):
        return render(request, "worklogs/approvals.html#decided", {"log": log})
    return redirect("worklogs:approvals")


@login_required
@page_errors
@require_GET
def consultation(request: HttpRequest, code: str) -> HttpResponse:
    """A client's consultation hours used / cap (for the client card and the ticket page)."""
    user = request_user(request)
    client = selectors.client_for(user, code)
    try:
        month = Month.parse(request.GET["month"]) if request.GET.get("month") else None
    except PeriodError as bad:
        return HttpResponse(str(bad), status=422)
    usage = selectors.consultation_usage(client, month or Month.of(local_date(clock.now())))
    return render(request, "worklogs/partials/consultation_usage.html", {"usage": usage})
