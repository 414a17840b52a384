"""Writes of SLA clocks: start, follow ticket changes, keep the derived row current."""

from __future__ import annotations

from datetime import datetime

from servicedesk.accounts.models import User
from servicedesk.calendars.models import Calendar
from servicedesk.calendars.selectors import business_calendar
from servicedesk.catalog.models import SlaLevel
from servicedesk.catalog.selectors import default_sla_level
from servicedesk.core.deferred import insert_rows
from servicedesk.sla.domain.clock import (
    ClockEntry,
    ClockState,
    EntryKind,
    figures,
    threshold_instant,
)
from servicedesk.sla.domain.policy import (
    LevelTargets,
    Target,
    entries_for_status_change,
    plan_clocks,
)
from servicedesk.sla.models import SlaClock, SlaClockEntry, SlaSettings
from servicedesk.sla.selectors import (
    client_calendar,
    clock_entries,
    ladder_percents,
    pause_policy,
    sla_settings,
    warn_percent,
)
from servicedesk.tickets.models import Ticket


def _level_targets(level: SlaLevel) -> LevelTargets:
    return LevelTargets(
        reaction_seconds=level.reaction_minutes * 60,
        resolution_seconds=level.resolution_minutes * 60,
    )


def _ticket_level(ticket: Ticket) -> SlaLevel | None:
    return ticket.sla_level or default_sla_level()


def _plans(
    ticket: Ticket, level: SlaLevel, config: SlaSettings
) -> dict[Target, tuple[int, Calendar]]:
    contract = getattr(ticket.client, "contract", None)
    contract_calendar = client_calendar(ticket.client, config)
    calendars = {
        contract_calendar.code: contract_calendar,
        config.round_the_clock_calendar.code: config.round_the_clock_calendar,
    }
    plans = plan_clocks(
        level=_level_targets(level),
        has_l1=bool(contract and contract.has_l1),
        line=ticket.line,
        contract_calendar=contract_calendar.code,
        round_the_clock_calendar=config.round_the_clock_calendar.code,
    )
    return {plan.target: (plan.target_seconds, calendars[plan.calendar]) for plan in plans}


def _append(
    clock: SlaClock,
    kind: EntryKind,
    at: datetime,
    *,
    actor: User | None,
    actor_label: str,
    reason: str = "",
    target_seconds: int | None = None,
    calendar_code: str = "",
) -> None:
    entry = SlaClockEntry(
        clock=clock,
        kind=kind.value,
        at=at,
        target_seconds=target_seconds,
        calendar_code=calendar_code,
        reason=reason[:300],
        actor=actor,
        actor_label=actor_label,
    )
    insert_rows(SlaClockEntry, [entry])


def refresh_clock(
    clock: SlaClock,
    now: datetime,
    *,
    entries: list[ClockEntry] | None = None,
    fired: set[int] | None = None,
) -> SlaClock:
    """Recompute the clock's derived row (due, warning, breach, next escalation) and save it."""
    _derive(clock, now, entries=entries, fired=fired)
    if clock.pk is None:
        clock.save()
    else:
        clock.save(update_fields=_DERIVED_FIELDS)
    return clock


def _derive(
    clock: SlaClock,
    now: datetime,
    *,
    entries: list[ClockEntry] | None,
    fired: set[int] | None,
) -> None:
    """Set the clock's derived columns from its record (nothing is saved)."""
    if entries is None:
        entries = clock_entries(clock)
    result = figures(entries, business_calendar, now)
    clock.state = result.state.value
    clock.target_seconds = result.target_seconds
    clock.elapsed_seconds = max(0, result.elapsed_seconds)
    clock.elapsed_at = now
    clock.due_at = result.due_at
    clock.breached_at = result.breached_at
    clock.stopped_at = result.stopped_at
    running = result.state == ClockState.RUNNING
    clock.warn_at = (
        threshold_instant(entries, warn_percent(), business_calendar, now) if running else None
    )
    clock.next_escalation_at = _next_escalation(clock, entries, now, fired) if running else None


_DERIVED_FIELDS = [
    "state",
    "calendar",
    "target_seconds",
    "elapsed_seconds",
    "elapsed_at",
    "due_at",
    "breached_at",
    "stopped_at",
    "warn_at",
    "next_escalation_at",
]


def _next_escalation(
    clock: SlaClock, entries: list[ClockEntry], now: datetime, fired: set[int] | None
) -> datetime | None:
    """Return the earliest instant a not-yet-fired threshold of this clock is reached.

    The breach itself (100 %) is always scheduled, so the stored breach instant is set by
    the sweep even when no one is to be told.
    """
    if fired is None:
        fired = set(clock.fired.values_list("percent", flat=True)) if clock.pk else set()
    wanted = {*ladder_percents(clock.ticket), 100}
    percents = [p for p in sorted(wanted) if p not in fired]
    instants = [threshold_instant(entries, p, business_calendar, now) for p in percents]
    known = [instant for instant in instants if instant is not None]
    return min(known) if known else None


def sla_start_clocks(
    *, ticket: Ticket, at: datetime, actor: User | None, label: str
) -> list[SlaClock]:
    """Start the clocks of a new ticket from its SLA level (or the default level).

    Two inserts for all clocks: their derived rows are computed before saving, since a
    new record holds only its start. Return the clocks (the acknowledgement quotes their
    due instants without reading them back).
    """
    level = _ticket_level(ticket)
    if level is None:
        return []  # no catalogue loaded: nothing to measure against
    config = sla_settings()
    clocks: list[SlaClock] = []
    entries: list[SlaClockEntry] = []
    for target, (seconds, calendar) in _plans(ticket, level, config).items():
        clock = SlaClock(
            ticket=ticket,
            target=target.value,
            calendar=calendar,
            state=ClockState.RUNNING.value,
            target_seconds=seconds,
            elapsed_at=at,
        )
        started = ClockEntry(EntryKind.STARTED, at, target_seconds=seconds, calendar=calendar.code)
        _derive(clock, at, entries=[started], fired=set())
        clocks.append(clock)
        entries.append(
            SlaClockEntry(
                kind=EntryKind.STARTED.value,
                at=at,
                target_seconds=seconds,
                calendar_code=calendar.code,
                reason=f"уровень {level.code}",
                actor=actor,
                actor_label=label,
            )
        )
    insert_rows(SlaClock, clocks)
    for clock, entry in zip(clocks, entries, strict=True):
        entry.clock = clock
    insert_rows(SlaClockEntry, entries)
    return clocks


class _ClockChanges:
    """The entries one ticket change appends to the ticket's clocks."""

    def __init__(self, ticket: Ticket, at: datetime, actor: User | None, label: str) -> None:
        self.ticket, self.at, self.actor, self.label = ticket, at, actor, label
        self.clocks = {
            Target(clock.target): clock
            for clock in SlaClock.objects.filter(ticket=ticket)
            .select_related("calendar")
            # Lock the ticket's clocks only: every ticket shares a calendar row, and
            # locking it too deadlocked concurrent changes (found by the multi-process test).
            .select_for_update(of=("self",))
        }
        self.touched: set[Target] = set()

    def add(
        self,
        target: Target,
        kind: EntryKind,
        *,
        reason: str,
        target_seconds: int | None = None,
        calendar_code: str = "",
    ) -> None:
        clock = self.clocks[target]
        _append(
            clock,
            kind,
            self.at,
            actor=self.actor,
            actor_label=self.label,
            reason=reason,
            target_seconds=target_seconds,
            calendar_code=calendar_code,
        )
        if kind in _HALTING_OR_RESUMING:
            clock.state = _state_after(kind).value
        self.touched.add(target)

    def stop_reaction_clocks(self, *, reacted: bool, touched_by_staff: bool) -> None:
        for target in (Target.ACKNOWLEDGEMENT, Target.REACTION):
            clock = self.clocks.get(target)
            if clock is None or clock.state not in (ClockState.RUNNING, ClockState.PAUSED):
                continue
            stops = reacted if target == Target.REACTION else (reacted or touched_by_staff)
            if stops:
                self.add(target, EntryKind.STOPPED, reason="первая реакция")

    def follow_status(self, old_category: str) -> None:
        pauses = pause_policy()
        new_category = self.ticket.status_category
        for target, clock in self.clocks.items():
            for kind in entries_for_status_change(
                target, ClockState(clock.state), old_category, new_category, pauses
            ):
                self.add(target, kind, reason=f"статус: {self.ticket.status.name}")

    def follow_targets(self, reason: str) -> None:
        level = _ticket_level(self.ticket)
        if level is None:
            return
        for target, (seconds, calendar) in _plans(self.ticket, level, sla_settings()).items():
            clock = self.clocks.get(target)
            if clock is None:
                continue
            if clock.target_seconds != seconds:
                self.add(
                    target,
                    EntryKind.TARGET_CHANGED,
                    target_seconds=seconds,
                    reason=reason or f"уровень {level.code}",
                )
            if clock.calendar_id != calendar.pk:
                self.add(
                    target,
                    EntryKind.CALENDAR_CHANGED,
                    calendar_code=calendar.code,
                    reason=f"линия {self.ticket.line}",
                )
                clock.calendar = calendar

    def refresh(self) -> None:
        for target in self.touched:
            refresh_clock(self.clocks[target], self.at)


def sla_follow_change(
    *,
    ticket: Ticket,
    at: datetime,
    actor: User | None,
    label: str,
    old_category: str | None,
    reacted: bool,
    touched_by_staff: bool,
    level_changed: bool,
    line_changed: bool,
    reason: str = "",
) -> None:
    """Move the ticket's clocks after a change: pauses, stops, reopen, new targets."""
    status_moved = old_category is not None and old_category != ticket.status_category
    if not (reacted or touched_by_staff or status_moved or level_changed or line_changed):
        return  # nothing here moves a clock: no need to read and lock them (a guest's reply)
    changes = _ClockChanges(ticket, at, actor, label)
    if not changes.clocks:
        return
    changes.stop_reaction_clocks(reacted=reacted, touched_by_staff=touched_by_staff)
    if status_moved and old_category is not None:
        changes.follow_status(old_category)
    if level_changed or line_changed:
        changes.follow_targets(reason)
    changes.refresh()


_HALTING_OR_RESUMING = frozenset(
    {EntryKind.PAUSED, EntryKind.RESUMED, EntryKind.STOPPED, EntryKind.CANCELLED}
)


def _state_after(kind: EntryKind) -> ClockState:
    return {
        EntryKind.PAUSED: ClockState.PAUSED,
        EntryKind.RESUMED: ClockState.RUNNING,
        EntryKind.STOPPED: ClockState.STOPPED,
        EntryKind.CANCELLED: ClockState.CANCELLED,
    }.get(kind, ClockState.RUNNING)
