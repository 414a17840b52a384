"""Reads for routing: the rules as pure data, who is on shift, and each person's load."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Max

from servicedesk.accounts.models import User
from servicedesk.calendars.selectors import business_calendar
from servicedesk.core.batch import BatchMemo
from servicedesk.core.errors import ValidationFailed
from servicedesk.core.snapshots import snapshot
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
    """Return the desk's default calendar (the SLA settings'), or None before set-up."""
    from servicedesk.sla.selectors import sla_settings

    try:
        return sla_settings().default_calendar.code
    except ValidationFailed:
        return None


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


@dataclass(frozen=True)
class _Rota:
    """Everyone's schedules, one day's absences and the shifts of one short window."""

    schedules: dict[int, WorkSchedule]
    absences: dict[int, list[shifts.Absence]]
    shifts: dict[int, list[shifts.Shift]]


# Routing one request used to cost five queries for data that changes a few times a
# month: the rota is kept per process for each RECHECK_SECONDS window of time. An edit in
# this process is seen at once, another process's within seconds (core.snapshots).
@snapshot("routing.WorkSchedule", "routing.Absence", "routing.Shift")
def _rota(day: date, window: int) -> _Rota:
    """Read the rota for instants of `day` in window number `window` (of RECHECK_SECONDS)."""
    starts = datetime.fromtimestamp(window * RECHECK_SECONDS, UTC)
    ends = starts + timedelta(seconds=RECHECK_SECONDS)
    absences: dict[int, list[shifts.Absence]] = defaultdict(list)
    for absence in Absence.objects.filter(starts_on__lte=day, ends_on__gte=day):
        absences[absence.user_id].append(shifts.Absence(absence.starts_on, absence.ends_on))
    extra: dict[int, list[shifts.Shift]] = defaultdict(list)
    for shift in Shift.objects.filter(starts_at__lt=ends, ends_at__gt=starts):
        extra[shift.user_id].append(shifts.Shift(shift.starts_at, shift.ends_at))
    return _Rota(
        schedules={s.user_id: s for s in WorkSchedule.objects.select_related("calendar")},
        absences=dict(absences),
        shifts=dict(extra),
    )


def _rota_at(at: datetime) -> _Rota:
    return _rota(at.astimezone(team_zone()).date(), int(at.timestamp() // RECHECK_SECONDS))


def work_patterns(users: Iterable[User], at: datetime) -> dict[int, shifts.WorkPattern]:
    """Return each person's schedule around `at` (from the rota kept per process)."""
    rota = _rota_at(at)
    zone = team_zone()
    team_code: str | None = None
    patterns = {}
    for user in users:
        schedule = rota.schedules.get(user.pk)
        if schedule is not None and not schedule.follows_calendar:
            code = None
        elif schedule is not None and schedule.calendar is not None:
            code = schedule.calendar.code
        else:
            team_code = team_code or team_calendar_code()
            code = team_code
        patterns[user.pk] = shifts.WorkPattern(
            zone=zone,
            calendar=business_calendar(code) if code else None,
            shifts=tuple(rota.shifts.get(user.pk, ())),
            absences=tuple(rota.absences.get(user.pk, ())),
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
    """Return the active staff holding `role`, by login (kept per process like the rota)."""
    return list(_role_members(role))


@snapshot("accounts.User", "accounts.User_groups", "auth.Group")
def _role_members(role: str) -> tuple[User, ...]:
    return tuple(
        User.objects.filter(groups__name=role, is_active=True, client__isnull=True)
        .distinct()
        .order_by("username")
    )


# --- load --------------------------------------------------------------------------


def weighted_loads(user_ids: Iterable[int]) -> dict[int, tuple[float, int]]:
    """Return (weighted load, open tickets) for each person, from one grouped query.

    Inside `loads_remembered`, a person's load is read once and then kept up to date
    with the tickets placed with them (`remember_placed`).
    """
    wanted = list(user_ids)
    remembered = remembered_loads.get()
    if remembered is None:
        return _read_loads(wanted)
    missing = [user_id for user_id in wanted if user_id not in remembered]
    if missing:
        read = _read_loads(missing)
        remembered.update((user_id, read.get(user_id, (0.0, 0))) for user_id in missing)
    return {user_id: remembered[user_id] for user_id in wanted if remembered[user_id][1]}


def _read_loads(user_ids: list[int]) -> dict[int, tuple[float, int]]:
    rows = (
        Ticket.objects.filter(assignee_id__in=user_ids, status_category__in=WORKING_CATEGORIES)
        .values_list("assignee_id", "sla_level__rank", "priority_raised")
        .annotate(n=Count("pk"))
    )
    loads: dict[int, tuple[float, int]] = {}
    for assignee_id, rank, raised, count in rows:
        weight = ticket_weight(rank - 1 if rank is not None else None, bool(raised))
        load, tickets = loads.get(assignee_id, (0.0, 0))
        loads[assignee_id] = (load + weight * count, tickets + count)
    return loads


# Inside `loads_remembered`: each person's (weighted load, open tickets), once read.
remembered_loads: BatchMemo[dict[int, tuple[float, int]]] = BatchMemo("remembered_loads")


@contextmanager
def loads_remembered() -> Iterator[None]:
    """Read each person's load once for the block inside (a batch of mail), not per ticket.

    The counting query reads every open ticket of the role; a batch places dozens of
    tickets in a row. Changes to other tickets made inside the block (a reply reopening
    a resolved one) count from the next block on; a partial rollback must be followed
    by `core.batch.forget_batch_memos()`.
    """
    with remembered_loads.kept({}):
        yield


def remember_placed(user_id: int, ticket: Ticket) -> None:
    """Count a ticket just placed with `user_id` in the load `loads_remembered` keeps."""
    remembered = remembered_loads.get()
    if remembered is None or user_id not in remembered:
        return  # not read yet: the query will count it (same transaction)
    rank = ticket.sla_level.rank if ticket.sla_level is not None else None
    weight = ticket_weight(rank - 1 if rank is not None else None, ticket.priority_raised)
    load, tickets = remembered[user_id]
    remembered[user_id] = (load + weight, tickets + 1)


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
