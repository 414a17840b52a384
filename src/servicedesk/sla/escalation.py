"""The escalation sweep: find clocks at a threshold, notify once, schedule the next one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from servicedesk.accounts.models import User
from servicedesk.calendars.selectors import business_calendar
from servicedesk.core import clock as wall_clock
from servicedesk.routing.selectors import people_on_shift, role_members
from servicedesk.sla.domain.clock import threshold_instant
from servicedesk.sla.domain.policy import Target
from servicedesk.sla.models import (
    EscalationFired,
    EscalationStep,
    Notification,
    Recipient,
    SlaClock,
)
from servicedesk.sla.notifications import notify_many
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
    people = _People()
    for clock_id in ids:
        fired, sent = _process_clock(clock_id, at, people)
        thresholds += fired
        notifications += sent
    return SweepResult(clocks=len(ids), thresholds=thresholds, notifications=notifications)


@transaction.atomic
def _process_clock(clock_id: int, now: datetime, people: _People) -> tuple[int, int]:
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
    reached = [
        percent
        for percent in sorted({s.percent for s in steps} | {BREACH_PERCENT} - already)
        if (instant := threshold_instant(entries, percent, business_calendar, now)) is not None
        and instant <= now
    ]
    won = _claim(clock, reached, now)
    notifications: list[Notification] = []
    for percent in won:
        notifications += _notifications(
            clock, [s for s in steps if s.percent == percent], percent, now, people
        )
    created = notify_many(notifications)
    refresh_clock(clock, now, entries=entries, fired=already | set(won))
    return len(won), created


def _claim(clock: SlaClock, percents: list[int], now: datetime) -> list[int]:
    """Record the reached thresholds; return those this worker recorded first.

    One INSERT … ON CONFLICT DO NOTHING RETURNING: the unique constraint decides, in one
    round trip, which of two concurrent sweeps owns each threshold.
    """
    if not percents:
        return []
    table = EscalationFired._meta.db_table
    rows = ", ".join(["(%s, %s, %s)"] * len(percents))
    params: list[int | datetime] = []
    for percent in percents:
        params += [clock.pk, percent, now]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (clock_id, percent, fired_at) VALUES {rows} "  # noqa: S608
            "ON CONFLICT (clock_id, percent) DO NOTHING RETURNING percent",
            params,
        )
        return sorted(int(row[0]) for row in cursor.fetchall())


class _People:
    """Role members looked up once per sweep, not once per clock."""

    def __init__(self) -> None:
        self._roles: dict[str, list[User]] = {}

    def role(self, role: str) -> list[User]:
        if role not in self._roles:
            self._roles[role] = role_members(role)
        return self._roles[role]


def _on_duty(members: list[User], now: datetime) -> list[User]:
    """Return the members on shift now (all of them when nobody is, so someone hears)."""
    working = people_on_shift(members, now)
    return [user for user in members if user.pk in working] or members


def recipients(
    step: EscalationStep, clock: SlaClock, now: datetime, people: _People | None = None
) -> list[User]:
    people = people or _People()
    ticket = clock.ticket
    if step.recipient == Recipient.ASSIGNEE:
        if ticket.assignee is not None:
            return [ticket.assignee]
        return people.role(ticket.role_queue) if ticket.role_queue else []
    if step.recipient == Recipient.ROLE:
        return people.role(step.role)
    if step.recipient == Recipient.DUTY:
        return _on_duty(people.role(step.role), now)
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


def _notifications(
    clock: SlaClock, steps: list[EscalationStep], percent: int, now: datetime, people: _People
) -> list[Notification]:
    title, body = _message(clock, percent)
    result: list[Notification] = []
    seen: set[int] = set()
    for step in steps:
        for user in recipients(step, clock, now, people):
            if user.pk in seen:
                continue
            seen.add(user.pk)
            notification = Notification(
                user=user,
                ticket=clock.ticket,
                kind=f"sla_{clock.target}_{percent}",
                title=title[:300],
                body=body,
                created_at=now,
            )
            notification.wants_email = step.send_email and bool(user.email)  # type: ignore[attr-defined]
            result.append(notification)
    return result


__all__ = ["Notification", "SweepResult", "sla_sweep"]
