"""Turn problems, mass incidents and hand-offs into the dicts the API schemas describe."""

from __future__ import annotations

from typing import Any

from servicedesk.accounts.models import User
from servicedesk.problems.domain.statuses import ProblemStatus, allowed_targets
from servicedesk.problems.models import (
    DevelopmentHandoff,
    MassIncident,
    MassIncidentChild,
    Problem,
)
from servicedesk.problems.selectors import SimilarTicket
from servicedesk.problems.services.mass import default_message
from servicedesk.tickets.models import Ticket


def person(user: User | None) -> dict[str, str] | None:
    return {"username": user.username, "name": str(user)} if user is not None else None


def ticket_ref(ticket: Ticket) -> dict[str, Any]:
    return {
        "number": ticket.display_number,
        "subject": ticket.subject,
        "status": {
            "code": ticket.status.code,
            "name": ticket.status.name,
            "category": ticket.status_category,
        },
        "client": {"code": ticket.client.code, "name": ticket.client.name},
    }


def problem_out(problem: Problem, incident_count: int | None = None) -> dict[str, Any]:
    status = ProblemStatus(problem.status)
    count = incident_count
    if count is None:
        count = getattr(problem, "incident_count", None)
    if count is None:
        count = problem.links.count()
    return {
        "id": problem.pk,
        "number": problem.display_number,
        "title": problem.title,
        "description": problem.description,
        "cause": problem.cause,
        "workaround": problem.workaround,
        "status": {"code": status.value, "label": status.label},
        "allowed_statuses": [
            s.value for s in allowed_targets(status, has_workaround=bool(problem.workaround))
        ],
        "owner": person(problem.owner),
        "incident_count": count,
        "created_at": problem.created_at,
        "updated_at": problem.updated_at,
        "resolved_at": problem.resolved_at,
        "closed_at": problem.closed_at,
    }


def problem_detail_out(problem: Problem) -> dict[str, Any]:
    links = list(problem.links.all())
    return problem_out(problem, incident_count=len(links)) | {
        "incidents": [ticket_ref(link.ticket) | {"linked_at": link.linked_at} for link in links]
    }


def similar_out(
    item: SimilarTicket, problems: dict[int, str], parents: dict[int, str]
) -> dict[str, Any]:
    ticket = item.ticket
    return ticket_ref(ticket) | {
        "created_at": ticket.created_at,
        "outlet": {"code": ticket.outlet.code, "name": ticket.outlet.name}
        if ticket.outlet
        else None,
        "service": {"code": ticket.service.code, "name": ticket.service.name}
        if ticket.service
        else None,
        "score": item.similarity.score,
        "text_similarity": item.similarity.text,
        "reasons": item.similarity.reasons,
        "problem": problems.get(ticket.pk),
        "mass_parent": parents.get(ticket.pk),
    }


def _child_out(link: MassIncidentChild) -> dict[str, Any]:
    return ticket_ref(link.child) | {
        "linked_at": link.linked_at,
        "resolved_with_parent_at": link.resolved_with_parent_at,
        "detached_at": link.detached_at,
        "detach_reason": link.detach_reason,
    }


def mass_out(mass: MassIncident) -> dict[str, Any]:
    links = list(mass.links.all())
    return {
        "parent": ticket_ref(mass.parent),
        "message": mass.message,
        "effective_message": mass.message.strip() or default_message(mass.parent),
        "children": [_child_out(link) for link in links if link.detached_at is None],
        "detached": [_child_out(link) for link in links if link.detached_at is not None],
    }


def handoff_out(handoff: DevelopmentHandoff, ticket: Ticket) -> dict[str, Any]:
    return {
        "id": handoff.pk,
        "ticket": ticket.display_number,
        "tracker_key": handoff.tracker_key,
        "tracker_url": handoff.tracker_url,
        "state_note": handoff.state_note,
        "state_updated_at": handoff.state_updated_at,
        "handed_off_by": person(handoff.handed_off_by),
        "handed_off_at": handoff.handed_off_at,
        "returned_at": handoff.returned_at,
        "returned_by": person(handoff.returned_by),
        "return_note": handoff.return_note,
        "active": handoff.is_active,
    }
