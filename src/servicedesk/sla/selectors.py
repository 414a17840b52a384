"""Reads of SLA data: clocks as the UI and API show them, previews, ladders, notifications."""

from __future__ import annotations

import dataclasses
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet

from servicedesk.accounts.models import Client, User
from servicedesk.calendars.domain.business_time import (
    add_business_time,
    business_time_between,
    is_working_time,
)
from servicedesk.calendars.models import Calendar
from servicedesk.calendars.selectors import business_calendar
from servicedesk.catalog.models import Service
from servicedesk.catalog.selectors import effective_sla_level
from servicedesk.core import clock as wall_clock
from servicedesk.core.errors import ValidationFailed
from servicedesk.core.snapshots import snapshot
from servicedesk.sla.domain.clock import ClockEntry, ClockState, EntryKind
from servicedesk.sla.domain.policy import (
    DEFAULT_PAUSES,
    TARGET_LABELS,
    LevelTargets,
    Target,
    plan_clocks,
)
from servicedesk.sla.models import (
    EscalationLadder,
    EscalationStep,
    Notification,
    SlaClock,
    SlaSettings,
)
from servicedesk.tickets.models import Ticket

DEFAULT_WARN_PERCENT = 75


@snapshot("sla.SlaSettings", "calendars.Calendar")
def sla_settings() -> SlaSettings:
    """Return the desk's SLA settings with their calendars (kept per process, read-only)."""
    config = (
        SlaSettings.objects.select_related("default_calendar", "round_the_clock_calendar")
        .filter(pk=1)
        .first()
    )
    if config is None:
        raise ValidationFailed("SLA не настроено: выполните manage.py load_plastek")
    return config


def client_calendar(client: Client | None, config: SlaSettings) -> Calendar:
    """Return the calendar a client's clocks run on: its contract's, else the desk default."""
    contract = getattr(client, "contract", None) if client is not None else None
    calendar = contract.calendar if contract is not None else None
    return calendar if calendar is not None else config.default_calendar


def pause_policy() -> Mapping[Target, frozenset[str]]:
    try:
        config = sla_settings().pause_categories
    except ValidationFailed:  # not set up yet: the built-in policy
        return DEFAULT_PAUSES
    if not config:
        return DEFAULT_PAUSES
    return {target: frozenset(config.get(target.value, [])) for target in Target}


def clock_entries(clock: SlaClock) -> list[ClockEntry]:
    return [
        ClockEntry(
            kind=EntryKind(entry.kind),
            at=entry.at,
            target_seconds=entry.target_seconds,
            calendar=entry.calendar_code or None,
        )
        for entry in clock.entries.all()
    ]


# Ladders change rarely; a short process-local cache spares a query per clock refresh.
_LADDER_TTL = 5.0
_ladder_cache: dict[int | None, tuple[float, list[EscalationStep]]] = {}


def ladder_steps(service: Service | None) -> list[EscalationStep]:
    """Return the escalation steps that apply to tickets of `service`."""
    key = service.pk if service is not None else None
    cached = _ladder_cache.get(key)
    now = time.monotonic()
    if cached is not None and now - cached[0] < _LADDER_TTL:
        steps = cached[1]
    else:
        ladder = None
        if service is not None:
            ladder = EscalationLadder.objects.filter(service=service).first()
        if ladder is None:
            ladder = EscalationLadder.objects.filter(service__isnull=True).first()
        steps = list(ladder.steps.select_related("person")) if ladder else []
        _ladder_cache[key] = (now, steps)
    escalates = bool(service and service.escalation)
    return [step for step in steps if escalates or not step.only_if_escalation]


def forget_cached_ladders() -> None:
    _ladder_cache.clear()


def ladder_percents(ticket: Ticket) -> list[int]:
    return sorted({step.percent for step in ladder_steps(ticket.service)})


def warn_percent() -> int:
    """Return the first threshold below 100 % of the default ladder (75 % unless edited)."""
    below = [step.percent for step in ladder_steps(None) if step.percent < 100]
    return min(below) if below else DEFAULT_WARN_PERCENT


@dataclass(frozen=True)
class ClockView:
    """One clock as people see it on a ticket."""

    target: str
    label: str
    calendar: str
    due_at: datetime | None
    remaining_seconds: int
    elapsed_seconds: int
    target_seconds: int
    state: str  # running | paused | met | breached | cancelled
    at_risk: bool
    counting_now: bool
    breached_at: datetime | None
    stopped_at: datetime | None


@dataclass(frozen=True, slots=True)
class ClockRow:
    """The derived columns of one clock, as read for display (no model instance needed)."""

    ticket_id: int
    target: str
    calendar_id: int
    state: str
    target_seconds: int
    elapsed_seconds: int
    elapsed_at: datetime
    due_at: datetime | None
    warn_at: datetime | None
    breached_at: datetime | None
    stopped_at: datetime | None


_ROW_FIELDS = [field.name for field in dataclasses.fields(ClockRow)]
_calendar_names: dict[int, tuple[str, str]] = {}


def _calendar(calendar_id: int) -> tuple[str, str]:
    """Return (code, name) of a calendar; codes never change, so this is cached."""
    if calendar_id not in _calendar_names:
        row = Calendar.objects.filter(pk=calendar_id).values_list("code", "name").first()
        _calendar_names[calendar_id] = row or ("", "")
    return _calendar_names[calendar_id]


def clock_view(clock: SlaClock | ClockRow, now: datetime) -> ClockView:
    """Return the clock's figures at `now` from its derived row (no record replay)."""
    code, name = _calendar(clock.calendar_id)
    calendar = business_calendar(code)
    running = clock.state == ClockState.RUNNING
    elapsed = clock.elapsed_seconds
    if running and now > clock.elapsed_at:
        elapsed += int(business_time_between(calendar, clock.elapsed_at, now).total_seconds())
    breached = clock.breached_at is not None or elapsed > clock.target_seconds
    breached_at = clock.breached_at
    if breached_at is None and breached and clock.due_at is not None:
        breached_at = clock.due_at
    if running:
        state = "breached" if breached else "running"
    elif clock.state == ClockState.STOPPED:
        state = "breached" if breached else "met"
    else:
        state = clock.state  # paused, cancelled
    return ClockView(
        target=clock.target,
        label=TARGET_LABELS[Target(clock.target)],
        calendar=name,
        due_at=clock.due_at,
        remaining_seconds=clock.target_seconds - elapsed,
        elapsed_seconds=elapsed,
        target_seconds=clock.target_seconds,
        state=state,
        at_risk=running and not breached and clock.warn_at is not None and now >= clock.warn_at,
        counting_now=running and is_working_time(calendar, now),
        breached_at=breached_at,
        stopped_at=clock.stopped_at,
    )


_ORDER = {Target.ACKNOWLEDGEMENT.value: 0, Target.REACTION.value: 1, Target.RESOLUTION.value: 2}


def clocks_for_tickets(tickets: Iterable[Ticket]) -> dict[int, list[ClockView]]:
    """Return each ticket's clocks (one query for the whole page)."""
    return clocks_for_ticket_ids([ticket.pk for ticket in tickets])


def clocks_for_ticket_ids(ids: list[int]) -> dict[int, list[ClockView]]:
    """Return the clocks of the tickets with these ids (one query)."""
    now = wall_clock.now()
    result: dict[int, list[ClockView]] = defaultdict(list)
    rows = SlaClock.objects.filter(ticket_id__in=ids).values_list(*_ROW_FIELDS)
    for values in rows:
        row = ClockRow(*values)
        result[row.ticket_id].append(clock_view(row, now))
    for views in result.values():
        views.sort(key=lambda view: _ORDER[view.target])
    return dict(result)


def ticket_clocks(ticket: Ticket) -> list[ClockView]:
    return clocks_for_tickets([ticket]).get(ticket.pk, [])


def ticket_due_times(ticket: Ticket) -> tuple[datetime | None, datetime | None]:
    """Return (reaction due, resolution due) for placeholders and e-mails."""
    return due_times(ticket_clocks(ticket))


def due_times(clocks: Iterable[ClockView | SlaClock]) -> tuple[datetime | None, datetime | None]:
    """Return (reaction due, resolution due) of a ticket's clocks (views or rows)."""
    due = {clock.target: clock.due_at for clock in clocks}
    return due.get(Target.REACTION.value), due.get(Target.RESOLUTION.value)


# --- queues --------------------------------------------------------------------------


def breached_ticket_ids(now: datetime | None = None) -> QuerySet[SlaClock, Any]:
    """Running clocks past their due instant, as an indexed query of ticket ids."""
    at = now or wall_clock.now()
    return SlaClock.objects.filter(state=ClockState.RUNNING, due_at__lte=at).values("ticket_id")


def at_risk_ticket_ids(now: datetime | None = None) -> QuerySet[SlaClock, Any]:
    """Running clocks past their warning instant and not yet due."""
    at = now or wall_clock.now()
    return SlaClock.objects.filter(state=ClockState.RUNNING, warn_at__lte=at, due_at__gt=at).values(
        "ticket_id"
    )


def filter_breached(tickets: QuerySet[Ticket], now: datetime | None = None) -> QuerySet[Ticket]:
    return tickets.filter(pk__in=breached_ticket_ids(now))


def filter_at_risk(tickets: QuerySet[Ticket], now: datetime | None = None) -> QuerySet[Ticket]:
    return tickets.filter(pk__in=at_risk_ticket_ids(now)).exclude(pk__in=breached_ticket_ids(now))


def order_by_resolution_due(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """Order by the resolution clock's due instant; paused and stopped clocks go last."""
    from django.db.models import F, OuterRef, Subquery

    due = SlaClock.objects.filter(ticket_id=OuterRef("pk"), target=Target.RESOLUTION.value).values(
        "due_at"
    )[:1]
    return tickets.annotate(resolution_due=Subquery(due)).order_by(
        F("resolution_due").asc(nulls_last=True), "-number"
    )


# --- preview -------------------------------------------------------------------------


@dataclass(frozen=True)
class SlaPreview:
    sla_level: str
    priority: str
    calendar: str
    acknowledgement_due: datetime | None
    reaction_due: datetime
    resolution_due: datetime


def sla_preview(
    *,
    service: str,
    client: str | None = None,
    calendar: str | None = None,
    at: datetime | None = None,
) -> SlaPreview:
    """Answer "if registered now (or at `at`), when are reaction and resolution due?"."""
    service_row = Service.objects.select_related("sla_level").filter(code=service).first()
    if service_row is None:
        raise ValidationFailed(f"Услуга «{service}» не найдена в каталоге", field="service")
    level = effective_sla_level(service_row)
    if level is None:
        raise ValidationFailed("Уровень SLA не настроен", field="service")
    config = sla_settings()
    client_row = None
    if client:
        client_row = Client.objects.select_related("contract__calendar").filter(code=client).first()
        if client_row is None:
            raise ValidationFailed(f"Клиент «{client}» не найден", field="client")
    contract = getattr(client_row, "contract", None) if client_row else None
    if calendar:
        chosen = Calendar.objects.filter(code=calendar).first()
        if chosen is None:
            raise ValidationFailed(f"Календарь «{calendar}» не найден", field="calendar")
    else:
        chosen = client_calendar(client_row, config)
    plans = plan_clocks(
        level=LevelTargets(level.reaction_minutes * 60, level.resolution_minutes * 60),
        has_l1=bool(contract and contract.has_l1) and not calendar,
        line=service_row.default_line,
        contract_calendar=chosen.code,
        round_the_clock_calendar=config.round_the_clock_calendar.code,
    )
    start = at or wall_clock.now()
    due = {
        plan.target: add_business_time(
            business_calendar(plan.calendar), start, timedelta(seconds=plan.target_seconds)
        )
        for plan in plans
    }
    resolution_calendar = next(p.calendar for p in plans if p.target == Target.RESOLUTION)
    name = Calendar.objects.filter(code=resolution_calendar).values_list("name", flat=True).first()
    return SlaPreview(
        sla_level=level.code,
        priority=level.priority,
        calendar=name or resolution_calendar,
        acknowledgement_due=due.get(Target.ACKNOWLEDGEMENT),
        reaction_due=due[Target.REACTION],
        resolution_due=due[Target.RESOLUTION],
    )


# --- notifications -------------------------------------------------------------------


def unread_notification_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_for(user: User, limit: int = 20) -> list[Notification]:
    return list(Notification.objects.filter(user=user).select_related("ticket")[:limit])
