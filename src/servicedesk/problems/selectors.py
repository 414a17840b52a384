"""Reads of problems, mass incidents, hand-offs, and suggestions of same-cause tickets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Prefetch, Q, QuerySet

from servicedesk.core import clock
from servicedesk.core.errors import NotFound
from servicedesk.problems.domain.similarity import (
    TEXT_LIMIT,
    Similarity,
    TicketSketch,
    rank_similar,
)
from servicedesk.problems.models import (
    DevelopmentHandoff,
    MassIncident,
    MassIncidentChild,
    Problem,
    ProblemLink,
)
from servicedesk.tickets.domain.statuses import ACTIVE_CATEGORIES
from servicedesk.tickets.models import Ticket
from servicedesk.tickets.selectors import LIST_RELATED

# The newest open tickets of the window that are compared at most (bounds CPU per request).
SIMILAR_CANDIDATES_MAX = 500


def problem_list(
    *, status: tuple[str, ...] = (), owner: str | None = None, text: str | None = None
) -> QuerySet[Problem]:
    """Return problems matching the filters, newest first, with their incident counts."""
    queryset = Problem.objects.select_related("owner").annotate(incident_count=Count("links"))
    if status:
        queryset = queryset.filter(status__in=status)
    if owner:
        queryset = queryset.filter(owner__username=owner)
    if text:
        queryset = queryset.filter(
            Q(title__icontains=text) | Q(description__icontains=text) | Q(cause__icontains=text)
        )
    return queryset.order_by("-updated_at", "-pk")


def problem_detail(problem_id: int) -> Problem:
    """Return one problem with its linked incidents (ticket rows joined)."""
    links = ProblemLink.objects.select_related(
        "ticket", "ticket__status", "ticket__client", "linked_by"
    ).order_by("ticket__number")
    problem = (
        Problem.objects.select_related("owner", "created_by")
        .prefetch_related(Prefetch("links", queryset=links))
        .filter(pk=problem_id)
        .first()
    )
    if problem is None:
        raise NotFound(f"Проблема #{problem_id} не найдена")
    return problem


def problem_for_ticket(ticket: Ticket) -> Problem | None:
    """Return the problem this incident is attributed to, if any."""
    link = ProblemLink.objects.select_related("problem", "problem__owner").filter(ticket=ticket)
    first = link.first()
    return first.problem if first is not None else None


def mass_incident_of(parent: Ticket) -> MassIncident | None:
    """Return the mass incident led by `parent`, its links (children joined) prefetched."""
    links = MassIncidentChild.objects.select_related(
        "child", "child__status", "child__client", "detached_by"
    ).order_by("child__number")
    return (
        MassIncident.objects.prefetch_related(Prefetch("links", queryset=links))
        .filter(parent=parent)
        .first()
    )


def mass_parent_of(child: Ticket) -> Ticket | None:
    """Return the parent whose mass incident `child` currently belongs to."""
    link = (
        MassIncidentChild.objects.select_related("mass_incident__parent")
        .filter(child=child, detached_at__isnull=True)
        .first()
    )
    return link.mass_incident.parent if link is not None else None


def handoffs_of(ticket: Ticket) -> list[DevelopmentHandoff]:
    """Return the ticket's hand-offs to development, the active one (if any) first."""
    return list(
        DevelopmentHandoff.objects.select_related("handed_off_by", "returned_by")
        .filter(ticket=ticket)
        .order_by("returned_at", "-handed_off_at")
    )


def active_handoffs() -> QuerySet[DevelopmentHandoff]:
    """Return every ticket currently waiting for development, oldest hand-off first."""
    return (
        DevelopmentHandoff.objects.select_related("ticket", "ticket__client", "handed_off_by")
        .filter(returned_at__isnull=True)
        .order_by("handed_off_at", "pk")
    )


@dataclass(frozen=True)
class SimilarTicket:
    """A suggested same-cause ticket and why it was suggested."""

    ticket: Ticket
    similarity: Similarity


def similar_open_tickets(ticket: Ticket, hours: int = 6, limit: int = 10) -> list[SimilarTicket]:
    """Return open tickets created within `hours` of this one that probably share its cause.

    The window is centred on the ticket's creation (for a fresh ticket: the last N
    hours); scoring is the pure `rank_similar` over same client / outlet / service and
    trigram similarity of subject + description. Candidates are read as plain values;
    only the few suggested tickets are loaded as full rows.
    """
    window = timedelta(hours=hours)
    upper = max(ticket.created_at + window, clock.now())
    candidates = (
        Ticket.objects.filter(
            status_category__in=[c.value for c in ACTIVE_CATEGORIES],
            created_at__gte=ticket.created_at - window,
            created_at__lte=upper,
        )
        .exclude(pk=ticket.pk)
        .order_by("-created_at")
        .values_list("pk", "client_id", "outlet_id", "service_id", "subject", "description")[
            :SIMILAR_CANDIDATES_MAX
        ]
    )
    target = TicketSketch.of(
        ticket.pk,
        ticket.client_id,
        ticket.outlet_id,
        ticket.service_id,
        f"{ticket.subject}\n{ticket.description[:TEXT_LIMIT]}",
    )
    sketches = [
        TicketSketch.of(pk, client, outlet, service, f"{subject}\n{description[:TEXT_LIMIT]}")
        for pk, client, outlet, service, subject, description in candidates
    ]
    ranked = rank_similar(target, sketches, limit=limit)
    rows = Ticket.objects.select_related(*LIST_RELATED).in_bulk([item.key for item in ranked])
    return [
        SimilarTicket(ticket=rows[item.key], similarity=item) for item in ranked if item.key in rows
    ]
