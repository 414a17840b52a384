"""Reads for routing: the rules as pure data, who is on shift, and each person's load."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import Count, Max

from servicedesk.accounts.models import User
from servicedesk.calendars.selectors import business_calendar
from servicedesk.routing.domain import shifts
from servicedesk.routing.domain.assignment import Candidate, ticket_weight
from servicedesk.routing.domain.rules import Actions, Conditions, Rule, WorkingTime
from servicedesk.routing.models import Absence, RoutingRule, Shift, WorkSchedule
from servicedesk.tickets.domain.statuses import StatusCategory
from servicedesk.tickets.models import Ticket

# Categories that demand work now: they weigh on a person's load, and only such tickets
# wait for a shift to start (a waiting-for-requester one does not).
WORKING_CATEGORIES = (StatusCategory.NEW.value, StatusCategory.OPEN.value)
RECHECK_SECONDS = 5.0


def team_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def team_calendar_code() -> str | None:
    from servicedesk.sla.models import SlaSettings

    return SlaSettings.objects.filter(pk=1).values_list("default_calendar__code", flat=True).first()


# --- rules -------------------------------------------------------------------------


@dataclass
class _CachedRules:
    stamp: tuple[int, datetime | None]
    rules: tuple[Rule, ...]
    checked: float


_rules_cache: dict[str, _CachedRules] = {}
_lock = threading.Lock()


def _rules_stamp() -> tuple[int, datetime | None]:
    info = RoutingRule.objects.aggregate(count=Count("pk"), latest=Max("updated_at"))
    return int(info["count"]), info["latest"]


def active_rules() -> tuple[Rule, ...]:
    """Return the active rules in order, rebuilt only when the table changed."""
    now = time.monotonic()
    cached = _rules_cache.get("rules")
    if cached is not None and now - cached.checked < RECHECK_SECONDS:
        return cached.rules
    stamp = _rules_stamp()
    if cached is not None and cached.stamp == stamp:
        cached.checked = now
        return cached.rules
    rules = tuple(to_rule(row) for row in rule_rows())
    with _lock:
        _rules_cache["rules"] = _CachedRules(stamp, rules, now)
    return rules


def forget_cached_rules() -> None:
    _rules_cache.clear()


def rule_rows() -> Iterable[RoutingRule]:
    return (
        RoutingRule.objects.filter(is_active=True)
        .select_related("set_assignee", "set_sla_level")
        .prefetch_related("services", "clients", "outlets")
        .order_by("position", "pk")
    )


def to_rule(row: RoutingRule) -> Rule:
    hours = (
        (row.hours_from, row.hours_to)
        if row.hours_from is not None and row.hours_to is not None
        else None
    )
    return Rule(
        key=row.pk,
        name=row.name,
        conditions=Conditions(
            services=frozenset(s.code for s in row.services.all()),
            without_service=row.without_service,
            clients=frozenset(c.code for c in row.clients.all()),
            outlets=frozenset(o.code for o in row.outlets.all()),
            channels=frozenset(row.channels or ()),
            lines=frozenset(row.lines or ()),
            words=tuple(w for w in (row.words or "").splitlines() if w.strip()),
            working_time=WorkingTime(row.working_time),
            hours=hours,
        ),
        actions=Actions(
            line=row.set_line,
            role=row.set_role,
            assignee=row.set_assignee.username if row.set_assignee else "",
            sla_level=row.set_sla_level.code if row.set_sla_level else "",
            stop=row.stop,
        ),
    )


# --- shifts ------------------------------------------------------------------------


def work_patterns(users: Iterable[User], at: datetime) -> dict[int, shifts.WorkPattern]:
    """Return each person's schedule around `at`, in three queries for any number of people."""
    ids = [user.pk for user in users]
    zone = team_zone()
    day = at.astimezone(zone).date()
    schedules = {
        s.user_id: s
        for s in WorkSchedule.objects.select_related("calendar").filter(user_id__in=ids)
    }
    away: dict[int, list[shifts.Absence]] = defaultdict(list)
    for absence in Absence.objects.filter(user_id__in=ids, starts_on__lte=day, ends_on__gte=day):
        away[absence.user_id].append(shifts.Absence(absence.starts_on, absence.ends_on))
    extra: dict[int, list[shifts.Shift]] = defaultdict(list)
    for shift in Shift.objects.filter(user_id__in=ids, starts_at__lte=at, ends_at__gt=at):
        extra[shift.user_id].append(shifts.Shift(shift.starts_at, shift.ends_at))
    team_code: str | None = None
    team_loaded = False
    patterns = {}
    for user_id in ids:
        schedule = schedules.get(user_id)
        if schedule is not None and not schedule.follows_calendar:
            code = None
        elif schedule is not None and schedule.calendar is not None:
            code = schedule.calendar.code
        else:
            if not team_loaded:
                team_code, team_loaded = team_calendar_code(), True
            code = team_code
        patterns[user_id] = shifts.WorkPattern(
            zone=zone,
            calendar=business_calendar(code) if code else None,
            shifts=tuple(extra[user_id]),
            absences=tuple(away[user_id]),
        )
    return patterns


def people_on_shift(users: Iterable[User], at: datetime) -> set[int]:
    """Return the ids of `users` who are working at `at`."""
    patterns = work_patterns(list(users), at)
    return {user_id for user_id, pattern in patterns.items() if shifts.on_shift(pattern, at)}


def on_shift(user: User, at: datetime) -> bool:
    """Return True when `user` works at `at` (used by SLA duty escalations)."""
    return user.pk in people_on_shift([user], at)


def role_members(role: str) -> list[User]:
    group = Group.objects.filter(name=role).first()
    if group is None:
        return []
    return list(
        User.objects.filter(groups=group, is_active=True, client__isnull=True).order_by("username")
    )


# --- load --------------------------------------------------------------------------


def weighted_loads(user_ids: Iterable[int]) -> dict[int, tuple[float, int]]:
    """Return (weighted load, open tickets) for each person, from one grouped query."""
    rows = (
        Ticket.objects.filter(
            assignee_id__in=list(user_ids), status_category__in=WORKING_CATEGORIES
        )
        .values_list("assignee_id", "sla_level__rank", "priority_raised")
        .annotate(n=Count("pk"))
    )
    loads: dict[int, tuple[float, int]] = {}
    for assignee_id, rank, raised, count in rows:
        weight = ticket_weight(rank - 1 if rank is not None else None, bool(raised))
        load, tickets = loads.get(assignee_id, (0.0, 0))
        loads[assignee_id] = (load + weight * count, tickets + count)
    return loads


def role_candidates(role: str, at: datetime) -> list[Candidate]:
    """Return the members of `role` with whether they are on shift and their load."""
    return candidates(role_members(role), at)


def candidates(members: list[User], at: datetime) -> list[Candidate]:
    """Return `members` with whether they are on shift at `at` and their load."""
    working = people_on_shift(members, at)
    loads = weighted_loads(user.pk for user in members)
    return [
        Candidate(
            username=user.username,
            on_shift=user.pk in working,
            load=loads.get(user.pk, (0.0, 0))[0],
            open_tickets=loads.get(user.pk, (0.0, 0))[1],
        )
        for user in members
    ]
