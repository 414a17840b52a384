"""Ordered routing rules: which line, role queue, person and SLA level a request gets.

A rule is data: conditions (every given condition must hold; an empty one matches
anything) and actions. Rules are read top to bottom. The first rule that sets a field
decides it: a later rule may only fill fields still open. A rule marked "stop" ends the
reading, so the head can put a specific rule above the shipped defaults and be sure
nothing below it applies.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

ACTION_FIELDS = ("line", "role", "assignee", "sla_level")


class WorkingTime(StrEnum):
    """When, relative to the client's SLA calendar, a rule applies."""

    ANY = "any"
    WORKING = "working"
    OFF_HOURS = "off_hours"

    @property
    def label(self) -> str:
        return WORKING_TIME_LABELS[self]


WORKING_TIME_LABELS = {
    WorkingTime.ANY: "в любое время",
    WorkingTime.WORKING: "в рабочее время",
    WorkingTime.OFF_HOURS: "в нерабочее время",
}


def normalise_text(text: str) -> str:
    """Lower-case and fold ё into е, so a keyword matches however it was typed."""
    return text.lower().replace("ё", "е")


@dataclass(frozen=True)
class Conditions:
    """What a request must look like for a rule to apply; empty sets match anything."""

    services: frozenset[str] = frozenset()
    without_service: bool = False
    clients: frozenset[str] = frozenset()
    outlets: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()
    lines: frozenset[str] = frozenset()
    words: tuple[str, ...] = ()
    working_time: WorkingTime = WorkingTime.ANY
    hours: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if self.without_service and self.services:
            raise ValueError("a rule cannot require both no service and given services")
        if self.hours is not None:
            start, end = self.hours
            if not (0 <= start <= 23 and 1 <= end <= 24) or start == end:
                raise ValueError(f"hours must be within 0..24 and not empty, got {self.hours}")
        object.__setattr__(self, "words", tuple(normalise_text(w).strip() for w in self.words))


@dataclass(frozen=True)
class Actions:
    """What a matching rule sets; an empty string leaves the field to later rules."""

    line: str = ""
    role: str = ""
    assignee: str = ""
    sla_level: str = ""
    stop: bool = False

    def values(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in ACTION_FIELDS if getattr(self, name)}


@dataclass(frozen=True)
class Rule:
    """One row of the routing table."""

    key: int
    name: str
    conditions: Conditions
    actions: Actions


@dataclass(frozen=True)
class Request:
    """The facts about a request that rules can test."""

    service: str | None
    client: str
    channel: str
    line: str
    outlet: str | None = None
    text: str = ""
    in_working_time: bool = True
    local_hour: int = 12

    @property
    def searchable(self) -> str:
        return normalise_text(self.text)


@dataclass(frozen=True)
class Match:
    """A rule that matched and the fields it decided."""

    key: int
    name: str
    decided: dict[str, str]
    stopped: bool


@dataclass(frozen=True)
class Decision:
    """The outcome of reading the rules for one request."""

    line: str = ""
    role: str = ""
    assignee: str = ""
    sla_level: str = ""
    matches: tuple[Match, ...] = field(default=())


def matches(conditions: Conditions, request: Request) -> bool:
    """Return True when every condition given in `conditions` holds for `request`."""
    return (
        _service_matches(conditions, request)
        and _codes_match(conditions, request)
        and _text_matches(conditions, request)
        and _time_matches(conditions, request)
    )


def _service_matches(conditions: Conditions, request: Request) -> bool:
    if conditions.without_service and request.service is not None:
        return False
    return not conditions.services or request.service in conditions.services


def _codes_match(conditions: Conditions, request: Request) -> bool:
    checks: Iterable[tuple[frozenset[str], str | None]] = (
        (conditions.clients, request.client),
        (conditions.outlets, request.outlet),
        (conditions.channels, request.channel),
        (conditions.lines, request.line),
    )
    return not any(allowed and value not in allowed for allowed, value in checks)


def _text_matches(conditions: Conditions, request: Request) -> bool:
    if not conditions.words:
        return True
    text = request.searchable
    return any(word and word in text for word in conditions.words)


def _time_matches(conditions: Conditions, request: Request) -> bool:
    if conditions.working_time == WorkingTime.WORKING and not request.in_working_time:
        return False
    if conditions.working_time == WorkingTime.OFF_HOURS and request.in_working_time:
        return False
    return conditions.hours is None or _hour_in(conditions.hours, request.local_hour)


def _hour_in(hours: tuple[int, int], hour: int) -> bool:
    start, end = hours
    if start < end:
        return start <= hour < end
    return hour >= start or hour < end  # a night window such as 18-9 wraps midnight


def evaluate(rules: Sequence[Rule], request: Request) -> Decision:
    """Read `rules` in order for `request`; the first rule to set a field decides it."""
    decided: dict[str, str] = {}
    trace: list[Match] = []
    for rule in rules:
        if not matches(rule.conditions, request):
            continue
        fresh = {k: v for k, v in rule.actions.values().items() if k not in decided}
        decided.update(fresh)
        trace.append(Match(rule.key, rule.name, fresh, rule.actions.stop))
        if rule.actions.stop:
            break
    return Decision(matches=tuple(trace), **decided)
