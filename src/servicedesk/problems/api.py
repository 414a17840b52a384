"""Problem, mass-incident and development hand-off endpoints: thin, one service each."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from servicedesk.accounts.models import User
from servicedesk.api.auth import current_user
from servicedesk.api.pagination import paginate
from servicedesk.api.schemas import ERRORS
from servicedesk.core.errors import NotFound
from servicedesk.problems import present, selectors, services
from servicedesk.problems.models import MassIncidentChild, ProblemLink
from servicedesk.problems.options import problem_options
from servicedesk.problems.schemas import (
    HandoffIn,
    HandoffOut,
    HandoffReturnIn,
    HandoffStateIn,
    MassIncidentOut,
    MassLinkIn,
    MassMessageIn,
    MassResolveIn,
    ProblemDetailOut,
    ProblemIn,
    ProblemPage,
    ProblemPatchIn,
    ProblemTransitionIn,
    SimilarOut,
    TicketHandoffsOut,
    TicketLinkIn,
    TicketProblemOut,
)
from servicedesk.problems.services.common import require_staff
from servicedesk.tickets.api import present as ticket_present
from servicedesk.tickets.api.schemas import TicketOut
from servicedesk.tickets.models import Ticket
from servicedesk.tickets.selectors import access_ticket

router = Router(tags=["Проблемы и разработка"])


def _staff(request: HttpRequest) -> User:
    user = current_user(request)
    require_staff(user, "Проблемы и разработка")
    return user


def _csv(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


class ProblemQuery(Schema):
    status: str | None = Field(None, description="Статусы через запятую")
    owner: str | None = Field(None, description="Логин ответственного")
    q: str | None = Field(None, max_length=200)
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


@router.get("/problems", response={200: ProblemPage, **ERRORS}, summary="Проблемы")
def list_problems(request: HttpRequest, query: Query[ProblemQuery]) -> Any:
    _staff(request)
    rows, meta = paginate(
        selectors.problem_list(status=_csv(query.status), owner=query.owner, text=query.q),
        query.page,
        query.page_size,
    )
    return meta | {"results": [present.problem_out(problem) for problem in rows]}


@router.post("/problems", response={201: ProblemDetailOut, **ERRORS}, summary="Создать проблему")
def create_problem(request: HttpRequest, payload: ProblemIn) -> Any:
    problem = services.problem_create(actor=_staff(request), **payload.model_dump())
    return Status(201, present.problem_detail_out(selectors.problem_detail(problem.pk)))


@router.get(
    "/problems/{problem_id}", response={200: ProblemDetailOut, **ERRORS}, summary="Проблема"
)
def get_problem(request: HttpRequest, problem_id: int) -> Any:
    _staff(request)
    return present.problem_detail_out(selectors.problem_detail(problem_id))


@router.patch(
    "/problems/{problem_id}", response={200: ProblemDetailOut, **ERRORS}, summary="Изменить"
)
def patch_problem(request: HttpRequest, problem_id: int, payload: ProblemPatchIn) -> Any:
    services.problem_update(
        actor=_staff(request),
        problem_id=problem_id,
        patch=services.ProblemPatch(**payload.model_dump(exclude_unset=True)),
    )
    return present.problem_detail_out(selectors.problem_detail(problem_id))


@router.post(
    "/problems/{problem_id}/transitions",
    response={200: ProblemDetailOut, **ERRORS},
    summary="Сменить статус проблемы",
)
def transition_problem(request: HttpRequest, problem_id: int, payload: ProblemTransitionIn) -> Any:
    services.problem_transition(actor=_staff(request), problem_id=problem_id, status=payload.status)
    return present.problem_detail_out(selectors.problem_detail(problem_id))


@router.post(
    "/problems/{problem_id}/tickets",
    response={200: ProblemDetailOut, **ERRORS},
    summary="Связать обращение",
)
def link_ticket(request: HttpRequest, problem_id: int, payload: TicketLinkIn) -> Any:
    services.problem_link_ticket(
        actor=_staff(request), problem_id=problem_id, number=payload.ticket
    )
    return present.problem_detail_out(selectors.problem_detail(problem_id))


@router.delete(
    "/problems/{problem_id}/tickets/{number}",
    response={200: ProblemDetailOut, **ERRORS},
    summary="Отвязать обращение",
)
def unlink_ticket(request: HttpRequest, problem_id: int, number: str) -> Any:
    services.problem_unlink_ticket(actor=_staff(request), problem_id=problem_id, number=number)
    return present.problem_detail_out(selectors.problem_detail(problem_id))


@router.get(
    "/tickets/{number}/problem",
    response={200: TicketProblemOut, **ERRORS},
    summary="Проблема обращения (с обходным решением)",
)
def ticket_problem(request: HttpRequest, number: str) -> Any:
    ticket = access_ticket(_staff(request), number)
    problem = selectors.problem_for_ticket(ticket)
    return {"problem": present.problem_out(problem) if problem is not None else None}


class SimilarQuery(Schema):
    hours: int | None = Field(None, ge=1, le=24 * 14)
    limit: int | None = Field(None, ge=1, le=50)


@router.get(
    "/tickets/{number}/similar",
    response={200: list[SimilarOut], **ERRORS},
    summary="Похожие открытые обращения (дубликаты, общая причина)",
)
def similar_tickets(request: HttpRequest, number: str, query: Query[SimilarQuery]) -> Any:
    ticket = access_ticket(_staff(request), number)
    options = problem_options()
    found = selectors.similar_open_tickets(
        ticket,
        hours=query.hours or options.similar_hours,
        limit=query.limit or options.similar_limit,
    )
    pks = [item.ticket.pk for item in found]
    problems = {
        link.ticket_id: link.problem.display_number
        for link in ProblemLink.objects.select_related("problem").filter(ticket_id__in=pks)
    }
    parents = {
        link.child_id: link.mass_incident.parent.display_number
        for link in MassIncidentChild.objects.select_related("mass_incident__parent").filter(
            child_id__in=pks, detached_at__isnull=True
        )
    }
    return [present.similar_out(item, problems, parents) for item in found]


def _mass(actor: User, parent: str) -> Any:
    ticket = access_ticket(actor, parent)
    mass = selectors.mass_incident_of(ticket)
    if mass is None:
        raise NotFound(f"Обращение {ticket.display_number} не массовый инцидент")
    return present.mass_out(mass)


@router.get(
    "/mass-incidents/{parent}",
    response={200: MassIncidentOut, **ERRORS},
    summary="Массовый инцидент",
)
def get_mass_incident(request: HttpRequest, parent: str) -> Any:
    return _mass(_staff(request), parent)


@router.post(
    "/mass-incidents/{parent}/children",
    response={200: MassIncidentOut, **ERRORS},
    summary="Связать дочерние обращения",
)
def link_children(request: HttpRequest, parent: str, payload: MassLinkIn) -> Any:
    actor = _staff(request)
    services.mass_incident_link(
        actor=actor, parent=parent, children=payload.children, message=payload.message
    )
    return _mass(actor, parent)


@router.delete(
    "/mass-incidents/{parent}/children/{child}",
    response={200: MassIncidentOut, **ERRORS},
    summary="Отвязать дочернее обращение",
)
def unlink_child(request: HttpRequest, parent: str, child: str, reason: str = "") -> Any:
    actor = _staff(request)
    services.mass_incident_unlink(actor=actor, parent=parent, child=child, reason=reason[:300])
    return _mass(actor, parent)


@router.put(
    "/mass-incidents/{parent}/message",
    response={200: MassIncidentOut, **ERRORS},
    summary="Текст сообщения заявителям",
)
def set_message(request: HttpRequest, parent: str, payload: MassMessageIn) -> Any:
    actor = _staff(request)
    services.mass_incident_set_message(actor=actor, parent=parent, message=payload.message)
    return _mass(actor, parent)


@router.post(
    "/mass-incidents/{parent}/resolve",
    response={200: TicketOut, **ERRORS},
    summary="Решить массовый инцидент (и все открытые дочерние)",
)
def resolve_mass_incident(request: HttpRequest, parent: str, payload: MassResolveIn) -> Any:
    actor = _staff(request)
    ticket = services.mass_incident_resolve(
        actor=actor, parent=parent, message=payload.message, expected_version=payload.version
    )
    return ticket_present.ticket_card(actor, ticket.number)


def _handoffs(ticket: Ticket) -> dict[str, Any]:
    handoffs = selectors.handoffs_of(ticket)
    active = next((h for h in handoffs if h.is_active), None)
    return {
        "active": present.handoff_out(active, ticket) if active else None,
        "history": [present.handoff_out(h, ticket) for h in handoffs],
    }


@router.get(
    "/tickets/{number}/development",
    response={200: TicketHandoffsOut, **ERRORS},
    summary="Передача в разработку: текущая и история",
)
def ticket_development(request: HttpRequest, number: str) -> Any:
    return _handoffs(access_ticket(_staff(request), number))


@router.post(
    "/tickets/{number}/development",
    response={201: TicketHandoffsOut, **ERRORS},
    summary="Передать в разработку",
)
def handoff(request: HttpRequest, number: str, payload: HandoffIn) -> Any:
    actor = _staff(request)
    services.ticket_handoff_to_development(actor=actor, number=number, **payload.model_dump())
    return Status(201, _handoffs(access_ticket(actor, number)))


@router.patch(
    "/tickets/{number}/development",
    response={200: TicketHandoffsOut, **ERRORS},
    summary="Обновить состояние в разработке",
)
def update_handoff(request: HttpRequest, number: str, payload: HandoffStateIn) -> Any:
    actor = _staff(request)
    services.handoff_update_state(actor=actor, number=number, **payload.model_dump())
    return _handoffs(access_ticket(actor, number))


@router.post(
    "/tickets/{number}/development/return",
    response={200: TicketHandoffsOut, **ERRORS},
    summary="Вернуть из разработки",
)
def return_handoff(request: HttpRequest, number: str, payload: HandoffReturnIn) -> Any:
    actor = _staff(request)
    services.handoff_return(actor=actor, number=number, note=payload.note, status=payload.status)
    return _handoffs(access_ticket(actor, number))


@router.get(
    "/development/handoffs",
    response={200: list[HandoffOut], **ERRORS},
    summary="Все обращения в разработке",
)
def list_handoffs(request: HttpRequest) -> Any:
    _staff(request)
    return [present.handoff_out(h, h.ticket) for h in selectors.active_handoffs()[:500]]
