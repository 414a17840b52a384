"""Creating and editing problems, moving them through their life cycle, linking incidents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from servicedesk.accounts.models import User
from servicedesk.accounts.roles import Capability, Role
from servicedesk.core import clock
from servicedesk.core.errors import NotFound, TransitionNotAllowed, ValidationFailed
from servicedesk.problems.domain.statuses import (
    ProblemStatus,
    allowed_targets,
    transition_refusal,
)
from servicedesk.problems.models import Problem, ProblemLink
from servicedesk.problems.services.common import (
    record_ticket_event,
    require_capability,
    require_staff,
)
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.selectors import access_ticket
from servicedesk.tickets.services import rules

UNSET: Any = object()
TITLE_MAX = 300
TEXT_MAX = 50_000


def _text(value: str, *, field: str, label: str, maximum: int, required: bool) -> str:
    return rules.require_text(value, field=field, label=label, maximum=maximum, required=required)


def _owner(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None or not user.is_support_staff:
        raise ValidationFailed(
            f"Сотрудник «{username}» не найден среди сотрудников поддержки", field="owner"
        )
    return user


def default_owner(actor: User) -> User:
    """Return the service manager who owns a new problem: the actor if they are one."""
    if Role.SERVICE_MANAGER in actor.roles:
        return actor
    manager = (
        User.objects.filter(
            is_active=True, client__isnull=True, groups__name=Role.SERVICE_MANAGER.value
        )
        .order_by("pk")
        .first()
    )
    return manager or actor


def _locked_problem(problem_id: int) -> Problem:
    problem = Problem.objects.select_for_update().filter(pk=problem_id).first()
    if problem is None:
        raise NotFound(f"Проблема #{problem_id} не найдена")
    return problem


@transaction.atomic
def problem_create(
    *,
    actor: User,
    title: str,
    description: str = "",
    cause: str = "",
    workaround: str = "",
    owner: str | None = None,
) -> Problem:
    """Register a problem; it starts open and belongs to a service manager by default."""
    require_capability(actor, Capability.MANAGE_PROBLEMS, "Создание проблемы")
    now = clock.now()
    return Problem.objects.create(
        title=_text(title, field="title", label="Название", maximum=TITLE_MAX, required=True),
        description=_text(
            description, field="description", label="Описание", maximum=TEXT_MAX, required=False
        ),
        cause=_text(cause, field="cause", label="Причина", maximum=TEXT_MAX, required=False),
        workaround=_text(
            workaround,
            field="workaround",
            label="Обходное решение",
            maximum=TEXT_MAX,
            required=False,
        ),
        owner=_owner(owner) if owner else default_owner(actor),
        created_by=actor,
        created_at=now,
        updated_at=now,
    )


@dataclass(frozen=True)
class ProblemPatch:
    """A partial edit of a problem; UNSET fields are left alone."""

    title: Any = UNSET
    description: Any = UNSET
    cause: Any = UNSET
    workaround: Any = UNSET
    owner: Any = UNSET


_TEXT_FIELDS = {
    "title": ("Название", TITLE_MAX, True),
    "description": ("Описание", TEXT_MAX, False),
    "cause": ("Причина", TEXT_MAX, False),
    "workaround": ("Обходное решение", TEXT_MAX, False),
}


@transaction.atomic
def problem_update(*, actor: User, problem_id: int, patch: ProblemPatch) -> Problem:
    """Edit a problem's texts or owner; a known error keeps a non-empty workaround."""
    require_capability(actor, Capability.MANAGE_PROBLEMS, "Изменение проблемы")
    problem = _locked_problem(problem_id)
    changed: list[str] = []
    for name, (label, maximum, required) in _TEXT_FIELDS.items():
        value = getattr(patch, name)
        if value is UNSET:
            continue
        text = _text(value or "", field=name, label=label, maximum=maximum, required=required)
        if getattr(problem, name) != text:
            setattr(problem, name, text)
            changed.append(name)
    if patch.owner is not UNSET:
        owner = _owner(patch.owner) if patch.owner else None
        if problem.owner != owner:
            problem.owner = owner
            changed.append("owner")
    if problem.status == ProblemStatus.KNOWN_ERROR and not problem.workaround:
        raise ValidationFailed(
            "У известной ошибки должно быть обходное решение", field="workaround"
        )
    if changed:
        problem.updated_at = clock.now()
        problem.save(update_fields=[*changed, "updated_at"])
    return problem


@transaction.atomic
def problem_transition(*, actor: User, problem_id: int, status: str) -> Problem:
    """Move the problem to `status` if its life cycle allows it."""
    require_capability(actor, Capability.MANAGE_PROBLEMS, "Смена статуса проблемы")
    if status not in ProblemStatus.__members__.values():
        raise ValidationFailed(f"Неизвестный статус проблемы «{status}»", field="status")
    problem = _locked_problem(problem_id)
    current, target = ProblemStatus(problem.status), ProblemStatus(status)
    has_workaround = bool(problem.workaround.strip())
    refusal = transition_refusal(current, target, has_workaround=has_workaround)
    if refusal is not None:
        raise TransitionNotAllowed(
            refusal,
            field="status",
            allowed=[s.value for s in allowed_targets(current, has_workaround=has_workaround)],
        )
    if current == target:
        return problem
    now = clock.now()
    problem.status = target.value
    problem.updated_at = now
    fields = ["status", "updated_at"]
    if target == ProblemStatus.RESOLVED:
        problem.resolved_at = now
        fields.append("resolved_at")
    elif target == ProblemStatus.CLOSED:
        problem.closed_at = now
        fields.append("closed_at")
    elif current == ProblemStatus.RESOLVED:
        problem.resolved_at = None
        fields.append("resolved_at")
    problem.save(update_fields=fields)
    return problem


@transaction.atomic
def problem_link_ticket(*, actor: User, problem_id: int, number: str | int) -> ProblemLink:
    """Attribute an incident to the problem; its handlers then see the workaround.

    Any support staff member may link a ticket to an existing problem (an agent who
    recognises a known error should not wait for the service manager). A repeat is a
    no-op; a ticket linked to another problem must be unlinked first.
    """
    require_staff(actor, "Связь с проблемой")
    problem = _locked_problem(problem_id)
    ticket = access_ticket(actor, number, for_update=True)
    existing = ProblemLink.objects.select_related("problem").filter(ticket=ticket).first()
    if existing is not None:
        if existing.problem_id == problem.pk:
            return existing
        raise ValidationFailed(
            f"Обращение {ticket.display_number} уже связано с проблемой "
            f"{existing.problem.display_number}: сначала отвяжите его",
            field="ticket",
        )
    if problem.status == ProblemStatus.CLOSED:
        raise ValidationFailed(
            f"Проблема {problem.display_number} закрыта: создайте новую", field="problem"
        )
    now = clock.now()
    link = ProblemLink.objects.create(
        problem=problem, ticket=ticket, linked_by=actor, linked_at=now
    )
    record_ticket_event(
        actor=actor,
        number=ticket.number,
        event_type=TicketEventType.PROBLEM_LINKED,
        data={
            "problem": problem.display_number,
            "title": problem.title,
            "status": problem.status,
        },
    )
    problem.updated_at = now
    problem.save(update_fields=["updated_at"])
    return link


@transaction.atomic
def problem_unlink_ticket(*, actor: User, problem_id: int, number: str | int) -> None:
    """Remove an incident from the problem (the ticket's history keeps both events)."""
    require_staff(actor, "Связь с проблемой")
    problem = _locked_problem(problem_id)
    ticket = access_ticket(actor, number, for_update=True)
    link = ProblemLink.objects.filter(problem=problem, ticket=ticket).first()
    if link is None:
        raise NotFound(
            f"Обращение {ticket.display_number} не связано с проблемой {problem.display_number}"
        )
    link.delete()
    record_ticket_event(
        actor=actor,
        number=ticket.number,
        event_type=TicketEventType.PROBLEM_UNLINKED,
        data={"problem": problem.display_number},
    )
    problem.updated_at = clock.now()
    problem.save(update_fields=["updated_at"])
