"""Reads of tickets, always through the actor's visibility."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext, gettext_noop

from servicedesk.accounts.models import User
from servicedesk.accounts.roles import Role
from servicedesk.catalog.models import Service, SlaLevel
from servicedesk.core.errors import Forbidden, NotFound
from servicedesk.core.queries import PreparedLookup, unique_row
from servicedesk.core.snapshots import snapshot
from servicedesk.sla import selectors as sla
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.domain.statuses import ACTIVE_CATEGORIES, StatusCategory
from servicedesk.tickets.domain.timeline import EventLine, Names, describe_event, usernames_in
from servicedesk.tickets.models import Attachment, Comment, Ticket, TicketEvent, TicketStatus
from servicedesk.tickets.numbers import parse_ticket_number

# Joined in the main query: the per-ticket relations.
LIST_RELATED = ("outlet", "requester", "assignee")
# Fetched by a second query each: small configuration tables. Joining them all makes
# PostgreSQL spend ~40 ms planning an 8-way join for a 1 ms query (measured at 100k
# tickets); separate lookups keep the query count constant and planning trivial.
LIST_PREFETCHED = ("client", "service", "sla_level", "status")


def one_with_related(queryset: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """Return `queryset` for fetching ONE ticket with everything joined in a single query.

    For one row by its unique number, one joined query beats five small ones (the
    join-order planning that hurts a sorted page costs ~2 ms here).
    """
    return queryset.select_related(
        *LIST_RELATED, *LIST_PREFETCHED, "requester_user", "client__contract"
    )


# What a ticket row and a ticket card show, read as plain values: no model instances, so a
# 50-row page costs one short query and no per-row object building (which was most of a
# page's time at 100,000 tickets).
ROW_VALUES = (
    "id",
    "number",
    "subject",
    "client__code",
    "client__name",
    "outlet__code",
    "outlet__name",
    "channel",
    "service__code",
    "service__name",
    "line",
    "sla_level__code",
    "sla_level__priority",
    "status__code",
    "status__name",
    "status_category",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
    "role_queue",
    "created_at",
    "updated_at",
    "version",
)
CARD_VALUES = (
    *ROW_VALUES,
    "description",
    "requester_id",
    "requester__full_name",
    "requester__kind",
    "line_not_in_contract",
    "priority_raised",
    "first_reaction_at",
    "resolved_at",
    "closed_at",
)


def ticket_values(queryset: QuerySet[Ticket], fields: tuple[str, ...]) -> dict[int, dict[str, Any]]:
    """Return {ticket id: values} for the tickets of `queryset`, in no particular order."""
    return {row["id"]: row for row in queryset.order_by().values(*fields)}


def card_values(actor: User, number: str | int) -> dict[str, Any]:
    """Return the values of one ticket card the actor may see, or NotFound."""
    found = ticket_values(
        visible_tickets(actor).filter(number=parse_ticket_number(number)), CARD_VALUES
    )
    if not found:
        raise NotFound(f"Обращение «{number}» не найдено")
    return next(iter(found.values()))


def with_related(queryset: QuerySet[Ticket], *extra: str) -> QuerySet[Ticket]:
    """Return `queryset` loading everything a ticket row or page shows."""
    return queryset.select_related(*LIST_RELATED, *extra).prefetch_related(*LIST_PREFETCHED)


def visible_tickets(actor: User) -> QuerySet[Ticket]:
    """Return the tickets `actor` may see: all for staff, their client's for client users."""
    if not actor.is_active:
        raise Forbidden("Учётная запись отключена")
    if actor.client_id is not None:
        return Ticket.objects.filter(client_id=actor.client_id)
    if actor.is_support_staff:
        return Ticket.objects.all()
    raise Forbidden("Нет доступа к обращениям")


def access_ticket(actor: User, number: str | int, *, for_update: bool = False) -> Ticket:
    """Return one ticket the actor may see, or NotFound (never Forbidden: no existence leak)."""
    queryset = one_with_related(visible_tickets(actor))
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    ticket = unique_row(queryset.filter(number=parse_ticket_number(number)))
    if ticket is None:
        raise NotFound(f"Обращение «{number}» не найдено")
    return ticket


_SYSTEM_TICKET = PreparedLookup(lambda: one_with_related(Ticket.objects.all()), "number")
_SYSTEM_TICKET_LOCKED = PreparedLookup(
    lambda: one_with_related(Ticket.objects.select_for_update(of=("self",))), "number"
)


def system_ticket(number: str | int, *, for_update: bool = False) -> Ticket:
    """Return a ticket for an internal process (mail intake, SLA sweep), no visibility rules."""
    lookup = _SYSTEM_TICKET_LOCKED if for_update else _SYSTEM_TICKET
    ticket = lookup.get(parse_ticket_number(number))
    if ticket is None:
        raise NotFound(f"Обращение «{number}» не найдено")
    return ticket


def ticket_by_public_token(token: str) -> Ticket:
    """Return the ticket a guest follows through the secret link."""
    ticket = with_related(Ticket.objects.filter(public_token=token)).first()
    if ticket is None or not token:
        raise NotFound("Обращение не найдено")
    return ticket


def visible_comments(actor: User, ticket: Ticket) -> QuerySet[Comment]:
    comments = ticket.comments.select_related("author", "author_contact").prefetch_related(
        "attachments"
    )
    if actor.client_id is not None:
        comments = comments.filter(is_public=True)
    return comments


def visible_events(actor: User, ticket: Ticket) -> QuerySet[TicketEvent]:
    events = ticket.events.select_related("comment")
    if actor.client_id is not None:
        events = events.filter(Q(comment__isnull=True) | Q(comment__is_public=True)).exclude(
            type__in=STAFF_ONLY_EVENTS
        )
    return events


# How the desk routed and classified a request is internal: rule names, people's loads.
STAFF_ONLY_EVENTS = (
    TicketEventType.ROUTED.value,
    TicketEventType.SERVICE_SUGGESTED.value,
    TicketEventType.SERVICE_CLASSIFIED.value,
)


@dataclass(frozen=True)
class TicketFilters:
    """What a ticket list may be narrowed by; every field optional."""

    status: tuple[str, ...] = ()
    status_category: tuple[str, ...] = ()
    service: tuple[str, ...] = ()
    client: tuple[str, ...] = ()
    outlet: str | None = None
    assignee: str | None = None
    line: tuple[str, ...] = ()
    channel: tuple[str, ...] = ()
    role_queue: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    text: str | None = None


ORDERINGS = {
    "number": "number",
    "-number": "-number",
    "created_at": "created_at",
    "-created_at": "-created_at",
    "updated_at": "updated_at",
    "-updated_at": "-updated_at",
}


# Filters that are a plain "field in values" / "field = value" lookup.
_IN_LOOKUPS = {
    "status": "status__code__in",
    "status_category": "status_category__in",
    "service": "service__code__in",
    "client": "client__code__in",
    "line": "line__in",
    "channel": "channel__in",
}
_EQUAL_LOOKUPS = {
    "outlet": "outlet__code",
    "role_queue": "role_queue",
    "created_from": "created_at__gte",
    "created_to": "created_at__lt",
}


def filter_tickets(queryset: QuerySet[Ticket], filters: TicketFilters) -> QuerySet[Ticket]:
    """Apply list filters; unknown codes simply match nothing."""
    for name, lookup in _IN_LOOKUPS.items():
        if values := getattr(filters, name):
            queryset = queryset.filter(**{lookup: values})
    for name, lookup in _EQUAL_LOOKUPS.items():
        if (value := getattr(filters, name)) is not None and value != "":
            queryset = queryset.filter(**{lookup: value})
    if filters.assignee == "none":
        queryset = queryset.filter(assignee__isnull=True)
    elif filters.assignee:
        queryset = queryset.filter(assignee__username=filters.assignee)
    if filters.text:
        queryset = queryset.filter(_text_condition(filters.text.strip()))
    return queryset


def _contains(field: str, text: str) -> Q:
    """Match `text` anywhere in `field`, ignoring case also for Cyrillic.

    SQLite's LIKE folds ASCII only («касса» would miss «Касса»); its REGEXP is Python's
    `re`, which folds every alphabet, so SQLite gets an escaped case-insensitive regex.
    """
    if connection.vendor == "sqlite":
        return Q(**{f"{field}__iregex": re.escape(text)})
    return Q(**{f"{field}__icontains": text})


def _text_condition(text: str) -> Q:
    condition = _contains("subject", text) | _contains("description", text)
    with contextlib.suppress(NotFound):
        condition |= Q(number=parse_ticket_number(text))
    return condition


def ticket_list(actor: User, filters: TicketFilters, ordering: str = "-number") -> QuerySet[Ticket]:
    """Return the actor's tickets matching `filters`, ordered; rows are read as `ROW_VALUES`."""
    queryset = filter_tickets(visible_tickets(actor), filters)
    order = ORDERINGS.get(ordering, "-number")
    # Numbers are unique: they break ties, and ordered by number they need nothing more.
    tiebreak = () if order.lstrip("-") == "number" else ("-number",)
    return queryset.order_by(order, *tiebreak)


@snapshot("tickets.TicketStatus")
def _default_statuses() -> dict[str, TicketStatus]:
    """Return each category's landing status: the default one, else the first in order."""
    chosen: dict[str, TicketStatus] = {}
    for status in TicketStatus.objects.order_by("-is_default", "order", "pk"):
        chosen.setdefault(status.category, status)
    return chosen


def default_status(category: str) -> TicketStatus:
    """Return the status an action lands on when it names only a category."""
    status = _default_statuses().get(category)
    if status is None:
        raise NotFound(f"Нет статуса для категории «{category}»: загрузите конфигурацию")
    return status


# --- Queues of the agents' workspace ---------------------------------------------------


class Queue(StrEnum):
    """A named slice of the active work an agent opens from the sidebar."""

    MINE = "mine"
    UNASSIGNED = "unassigned"
    AT_RISK = "at_risk"
    BREACHED = "breached"
    PENDING_REQUESTER = "pending_requester"
    PENDING_DEVELOPMENT = "pending_development"
    ALL = "all"

    @property
    def label(self) -> str:
        return gettext(QUEUE_LABELS[self])


QUEUE_LABELS = {
    Queue.MINE: gettext_noop("Мои"),
    Queue.UNASSIGNED: gettext_noop("Очередь моей роли"),
    Queue.AT_RISK: gettext_noop("Под угрозой"),
    Queue.BREACHED: gettext_noop("Просрочены"),
    Queue.PENDING_REQUESTER: gettext_noop("Ждут заявителя"),
    Queue.PENDING_DEVELOPMENT: gettext_noop("Ждут разработку"),
    Queue.ALL: gettext_noop("Все обращения"),
}


# Tickets no routing rule has placed in a role's queue are triaged by the first line.
TRIAGE_ROLES = frozenset({Role.SD_MANAGER, Role.HEAD})

QUEUE_ORDERINGS = ("due", "-number", "number", "-created_at", "-updated_at")


def _unassigned_condition(actor: User, role: str | None = None) -> Q:
    roles = {role} & {r.value for r in actor.roles} if role else {r.value for r in actor.roles}
    condition = Q(role_queue__in=sorted(roles))
    if not role and actor.roles & TRIAGE_ROLES:
        condition |= Q(role_queue="")
    return Q(assignee__isnull=True) & condition


def _in_queue(queryset: QuerySet[Ticket], actor: User, queue: Queue) -> QuerySet[Ticket]:
    if queue == Queue.ALL:
        return queryset
    if queue in (Queue.PENDING_REQUESTER, Queue.PENDING_DEVELOPMENT):
        return queryset.filter(status_category=queue.value)
    active = queryset.filter(status_category__in=ACTIVE_CATEGORIES)
    if queue == Queue.MINE:
        return active.filter(assignee=actor)
    if queue == Queue.UNASSIGNED:
        return active.filter(_unassigned_condition(actor))
    if queue == Queue.AT_RISK:
        return sla.filter_at_risk(active)
    return sla.filter_breached(active)


def queue_tickets(
    actor: User, queue: Queue, filters: TicketFilters, ordering: str = "due"
) -> QuerySet[Ticket]:
    """Return one queue of the actor's tickets, filtered, with everything a row shows joined.

    `ordering="due"` (the default) puts the soonest resolution due time first.
    """
    role = filters.role_queue if queue == Queue.UNASSIGNED else None
    if role:
        filters = replace(filters, role_queue=None)
    queryset = _in_queue(filter_tickets(visible_tickets(actor), filters), actor, queue)
    if role:
        queryset = queryset.filter(_unassigned_condition(actor, role))
    # A queue row shows neither the description nor the requester: leave them out.
    queryset = (
        queryset.select_related("outlet", "assignee")
        .prefetch_related(*LIST_PREFETCHED)
        .defer("description")
    )
    if ordering == "due":
        return sla.order_by_resolution_due(queryset)
    return queryset.order_by(ORDERINGS.get(ordering, "-number"), "-pk")


def queue_counts(actor: User) -> dict[str, int]:
    """Return how many active tickets each queue holds.

    One indexed COUNT per queue (assignee, role queue, category indexes) is far cheaper
    at 100,000 tickets than one pass over every active ticket with conditional counts.
    """
    active = visible_tickets(actor).filter(status_category__in=ACTIVE_CATEGORIES)
    visible = visible_tickets(actor)
    return {
        "mine": active.filter(assignee=actor).count(),
        "unassigned": active.filter(_unassigned_condition(actor)).count(),
        "pending_requester": visible.filter(
            status_category=StatusCategory.PENDING_REQUESTER
        ).count(),
        "pending_development": visible.filter(
            status_category=StatusCategory.PENDING_DEVELOPMENT
        ).count(),
        "at_risk": sla.filter_at_risk(active).count(),
        "breached": sla.filter_breached(active).count(),
    }


# --- Dashboard --------------------------------------------------------------------------


@dataclass(frozen=True)
class CountRow:
    code: str
    name: str
    count: int


def open_counts_by_status(actor: User) -> list[CountRow]:
    """Return the number of active tickets per status, in status order."""
    rows = (
        visible_tickets(actor)
        .filter(status_category__in=ACTIVE_CATEGORIES)
        .values("status__code", "status__name", "status__order")
        .annotate(count=Count("pk"))
        .order_by("status__order", "status__name")
    )
    return [CountRow(r["status__code"], r["status__name"], r["count"]) for r in rows]


def open_counts_by_service(actor: User) -> list[CountRow]:
    """Return the number of active tickets per service, largest first."""
    rows = (
        visible_tickets(actor)
        .filter(status_category__in=ACTIVE_CATEGORIES)
        .values("service__code", "service__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "service__name")
    )
    return [
        CountRow(r["service__code"] or "", r["service__name"] or "Услуга не указана", r["count"])
        for r in rows
    ]


# --- Caller lookup: open tickets of contacts and outlets ---------------------------------


def open_tickets_of(
    *, contact_ids: Iterable[int] = (), outlet_ids: Iterable[int] = (), limit: int = 100
) -> tuple[dict[int, list[Ticket]], dict[int, list[Ticket]]]:
    """Return active tickets by requester contact and by outlet, in one query."""
    contacts, outlets = sorted(set(contact_ids)), sorted(set(outlet_ids))
    by_contact: dict[int, list[Ticket]] = {pk: [] for pk in contacts}
    by_outlet: dict[int, list[Ticket]] = {pk: [] for pk in outlets}
    if not contacts and not outlets:
        return by_contact, by_outlet
    tickets = (
        Ticket.objects.filter(status_category__in=ACTIVE_CATEGORIES)
        .filter(Q(requester_id__in=contacts) | Q(outlet_id__in=outlets))
        .select_related("status", "service")
        .order_by("-number")[:limit]
    )
    for ticket in tickets:
        if ticket.requester_id in by_contact:
            by_contact[ticket.requester_id].append(ticket)
        if ticket.outlet_id in by_outlet:
            by_outlet[ticket.outlet_id].append(ticket)
    return by_contact, by_outlet


# --- Ticket page --------------------------------------------------------------------------


def visible_attachments(actor: User, ticket: Ticket) -> QuerySet[Attachment]:
    attachments = ticket.attachments.select_related("uploaded_by")
    if not actor.is_support_staff:
        attachments = attachments.filter(is_public=True)
    return attachments


@dataclass(frozen=True)
class TimelineEntry:
    event: TicketEvent
    line: EventLine


def ticket_timeline(actor: User, ticket: Ticket) -> list[TimelineEntry]:
    """Return the history in Russian, newest last; codes become names in four queries."""
    events = list(visible_events(actor, ticket))
    logins = usernames_in(event.data for event in events if isinstance(event.data, dict))
    people = {user.username: str(user) for user in User.objects.filter(username__in=logins)}
    names = Names(
        statuses=dict(TicketStatus.objects.values_list("code", "name")),
        services=dict(Service.objects.values_list("code", "name")),
        people=people,
        roles={role.value: role.label for role in Role},
        levels={
            code: f"{code} ({priority})"
            for code, priority in SlaLevel.objects.values_list("code", "priority")
        },
    )
    return [
        TimelineEntry(event, describe_event(event.type, event.data or {}, names))
        for event in events
    ]
