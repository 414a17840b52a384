"""The escalation sweep: find clocks at a threshold, notify once, schedule the next one."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import Group
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from servicedesk.accounts.models import User
from servicedesk.calendars.selectors import business_calendar
from servicedesk.core import clock as wall_clock
from servicedesk.sla.domain.clock import threshold_instant
from servicedesk.sla.domain.policy import Target
from servicedesk.sla.models import (
    EscalationFired,
    EscalationStep,
    Notification,
    Recipient,
    SlaClock,
)
from servicedesk.sla.selectors import clock_entries, ladder_steps
from servicedesk.sla.services import refresh_clock

BREACH_PERCENT = 100


@dataclass(frozen=True)
class SweepResult:
    clocks: int
    thresholds: int
    notifications: int


def sla_sweep(*, now: datetime | None = None, batch: int = 1000) -> SweepResult:
    """Process every clock whose next threshold has come; safe to run in parallel."""
    at = now or wall_clock.now()
    ids = list(
        SlaClock.objects.filter(next_escalation_at__lte=at)
        .order_by("next_escalation_at")
        .values_list("pk", flat=True)[:batch]
    )
    thresholds = notifications = 0
    for clock_id in ids:
        fired, sent = _process_clock(clock_id, at)
        thresholds += fired
        notifications += sent
    return SweepResult(clocks=len(ids), thresholds=thresholds, notifications=notifications)


@transaction.atomic
def _process_clock(clock_id: int, now: datetime) -> tuple[int, int]:
    queryset = SlaClock.objects.select_related(
        "ticket__service", "ticket__assignee", "ticket__client", "calendar"
    )
    if connection.vendor == "postgresql":
        # Another worker holding this clock is already handling it.
        queryset = queryset.select_for_update(skip_locked=True, of=("self",))
    clock = queryset.filter(pk=clock_id, next_escalation_at__lte=now).first()
    if clock is None:
        return 0, 0
    entries = clock_entries(clock)
    steps = ladder_steps(clock.ticket.service)
    already = set(clock.fired.values_list("percent", flat=True))
    fired = sent = 0
    for percent in sorted({s.percent for s in steps} | {BREACH_PERCENT}):
        if percent in already:
            continue
        instant = threshold_instant(entries, percent, business_calendar, now)
        if instant is None or instant > now:
            continue
        try:
            with transaction.atomic():
                EscalationFired.objects.create(clock=clock, percent=percent, fired_at=now)
        except IntegrityError:
            continue  # the other worker fired it first: exactly once
        fired += 1
        sent += _notify(clock, [s for s in steps if s.percent == percent], percent, now)
    refresh_clock(clock, now)
    return fired, sent


def _role_members(role: str) -> list[User]:
    group = Group.objects.filter(name=role).first()
    if group is None:
        return []
    return list(User.objects.filter(groups=group, is_active=True, client__isnull=True))


def _on_duty(role: str, now: datetime) -> list[User]:
    """Return the role's members on shift now (all members when no schedules exist)."""
    members = _role_members(role)
    try:
        schedules = importlib.import_module("servicedesk.routing.schedules")
    except ImportError:
        return members  # work schedules are not configured on this desk
    on = [user for user in members if schedules.on_shift(user, now)]
    return on or members


def recipients(step: EscalationStep, clock: SlaClock, now: datetime) -> list[User]:
    ticket = clock.ticket
    if step.recipient == Recipient.ASSIGNEE:
        if ticket.assignee is not None:
            return [ticket.assignee]
        return _role_members(ticket.role_queue) if ticket.role_queue else []
    if step.recipient == Recipient.ROLE:
        return _role_members(step.role)
    if step.recipient == Recipient.DUTY:
        return _on_duty(step.role, now)
    return [step.person] if step.person is not None and step.person.is_active else []


def _message(clock: SlaClock, percent: int) -> tuple[str, str]:
    ticket = clock.ticket
    what = Target(clock.target).label.lower()
    if percent < BREACH_PERCENT:
        title = f"{ticket.display_number}: прошло {percent}% срока ({what})"
    elif percent == BREACH_PERCENT:
        title = f"{ticket.display_number}: нарушен срок ({what})"
    else:
        title = f"{ticket.display_number}: {percent}% срока ({what}) — эскалация"
    due = (
        f"Срок: {timezone.localtime(clock.due_at):%d.%m.%Y %H:%M}."
        if clock.due_at
        else "Срок уже прошёл."
    )
    body = f"{ticket.subject}\nКлиент: {ticket.client.name}. {due}"
    return title, body


def _notify(clock: SlaClock, steps: list[EscalationStep], percent: int, now: datetime) -> int:
    from servicedesk.sla.notifications import notify_users

    title, body = _message(clock, percent)
    count = 0
    for step in steps:
        people = recipients(step, clock, now)
        count += notify_users(
            people,
            ticket=clock.ticket,
            kind=f"sla_{clock.target}_{percent}",
            title=title,
            body=body,
            send_email=step.send_email,
            at=now,
        )
    return count


__all__ = ["Notification", "SweepResult", "sla_sweep"]
