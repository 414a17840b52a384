"""Mass incidents: link children to a parent; resolving the parent resolves the children.

Decision on reopened children: a child that its requester reopens after the parent was
resolved is detached automatically (with a history entry on the child). Its requester
said the shared fix did not help them, so the ticket is worked on its own from then on,
and a later re-resolution of the parent must not close it again behind their back. A
child reopened while the parent is still open stays linked.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from servicedesk.accounts.models import User
from servicedesk.accounts.roles import Capability
from servicedesk.core import clock
from servicedesk.core.errors import NotFound, ValidationFailed
from servicedesk.problems.domain.mass import LinkRefusal, link_refusal
from servicedesk.problems.models import MassIncident, MassIncidentChild
from servicedesk.problems.services.common import record_ticket_event, require_capability
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.domain.statuses import StatusCategory
from servicedesk.tickets.models import Ticket, format_ticket_number
from servicedesk.tickets.selectors import access_ticket
from servicedesk.tickets.services import rules, ticket_comment, ticket_transition
from servicedesk.tickets.services.change import TicketChange, begin_change, finish_change

MAX_CHILDREN_PER_CALL = 500
MESSAGE_MAX = 10_000
SYSTEM_LABEL = "Массовый инцидент"
REOPEN_DETACH_REASON = "Заявитель открыл обращение повторно после решения массового инцидента"


def default_message(parent: Ticket) -> str:
    return (
        f"Массовый инцидент {parent.display_number} устранён, ваше обращение решено вместе "
        "с ним. Если проблема у вас осталась, ответьте на это сообщение — обращение вернётся "
        "в работу."
    )


def _active_parent_map() -> dict[int, int]:
    return dict(
        MassIncidentChild.objects.filter(detached_at__isnull=True).values_list(
            "child_id", "mass_incident__parent_id"
        )
    )


def _refusal_text(refusal: LinkRefusal, parent: Ticket, child: Ticket, other: int | None) -> str:
    if refusal == LinkRefusal.SELF:
        return f"Обращение {child.display_number} нельзя связать с самим собой"
    if refusal == LinkRefusal.OTHER_PARENT:
        other_number = Ticket.objects.filter(pk=other or 0).values_list("number", flat=True).first()
        return (
            f"Обращение {child.display_number} уже входит в массовый инцидент "
            f"{format_ticket_number(other_number or 0)}: сначала отвяжите его"
        )
    return (
        f"Связь {parent.display_number} → {child.display_number} образует цикл: "
        f"{child.display_number} уже стоит выше {parent.display_number}"
    )


def _clean_message(message: str) -> str:
    return rules.require_text(
        message, field="message", label="Сообщение", maximum=MESSAGE_MAX, required=False
    )


@transaction.atomic
def mass_incident_link(
    *,
    actor: User,
    parent: str | int,
    children: Sequence[str | int],
    message: str | None = None,
) -> MassIncident:
    """Make `parent` a mass incident over `children`; all of them or none are linked."""
    require_capability(actor, Capability.MANAGE_PROBLEMS, "Массовый инцидент")
    if not children:
        raise ValidationFailed("Укажите хотя бы одно дочернее обращение", field="children")
    if len(children) > MAX_CHILDREN_PER_CALL:
        raise ValidationFailed(
            f"Не больше {MAX_CHILDREN_PER_CALL} обращений за один раз", field="children"
        )
    change = begin_change(actor=actor, number=parent, expected_version=None)
    parent_ticket = change.ticket
    if not StatusCategory(parent_ticket.status_category).is_active:
        raise ValidationFailed(
            f"Основное обращение {parent_ticket.display_number} уже не в работе", field="parent"
        )
    found: dict[int, Ticket] = {}
    for number in children:
        child = access_ticket(actor, number)
        found[child.pk] = child
    child_tickets = sorted(found.values(), key=lambda t: t.number)
    parent_of = _active_parent_map()
    new_children: list[Ticket] = []
    for child in child_tickets:
        refusal = link_refusal(parent_ticket.pk, child.pk, parent_of)
        if refusal is not None:
            raise ValidationFailed(
                _refusal_text(refusal, parent_ticket, child, parent_of.get(child.pk)),
                field="children",
            )
        if parent_of.get(child.pk) == parent_ticket.pk:
            continue
        if not StatusCategory(child.status_category).is_active:
            raise ValidationFailed(
                f"Обращение {child.display_number} уже не в работе: связывать нечего",
                field="children",
            )
        parent_of[child.pk] = parent_ticket.pk
        new_children.append(child)
    now = clock.now()
    mass, _ = MassIncident.objects.get_or_create(
        parent=parent_ticket,
        defaults={"created_by": actor, "created_at": now, "updated_at": now},
    )
    if message is not None:
        mass.message = _clean_message(message)
        mass.updated_at = now
        mass.save(update_fields=["message", "updated_at"])
    if not new_children:
        return mass
    MassIncidentChild.objects.bulk_create(
        MassIncidentChild(mass_incident=mass, child=child, linked_by=actor, linked_at=now)
        for child in new_children
    )
    change.record(
        TicketEventType.MASS_INCIDENT_LINKED,
        {"children": [child.display_number for child in new_children], "role": "parent"},
    )
    finish_change(change)
    for child in new_children:
        record_ticket_event(
            actor=actor,
            number=child.number,
            event_type=TicketEventType.MASS_INCIDENT_LINKED,
            data={"parent": parent_ticket.display_number, "role": "child"},
        )
    return mass


def _active_link(parent: Ticket, child: Ticket) -> MassIncidentChild:
    link = (
        MassIncidentChild.objects.select_for_update()
        .filter(mass_incident__parent=parent, child=child, detached_at__isnull=True)
        .first()
    )
    if link is None:
        raise NotFound(
            f"Обращение {child.display_number} не входит в массовый инцидент "
            f"{parent.display_number}"
        )
    return link


@transaction.atomic
def mass_incident_unlink(
    *, actor: User, parent: str | int, child: str | int, reason: str = ""
) -> MassIncidentChild:
    """Take one child out of the mass incident; the link stays as history."""
    require_capability(actor, Capability.MANAGE_PROBLEMS, "Массовый инцидент")
    parent_ticket = access_ticket(actor, parent, for_update=True)
    child_ticket = access_ticket(actor, child, for_update=True)
    link = _active_link(parent_ticket, child_ticket)
    text = (
        rules.require_text(reason, field="reason", label="Причина", maximum=300, required=False)
        or "Отвязано вручную"
    )
    link.detached_at = clock.now()
    link.detached_by = actor
    link.detach_reason = text
    link.save(update_fields=["detached_at", "detached_by", "detach_reason"])
    for number, data in (
        (parent_ticket.number, {"child": child_ticket.display_number, "reason": text}),
        (child_ticket.number, {"parent": parent_ticket.display_number, "reason": text}),
    ):
        record_ticket_event(
            actor=actor,
            number=number,
            event_type=TicketEventType.MASS_INCIDENT_UNLINKED,
            data=data,
        )
    return link


@transaction.atomic
def mass_incident_set_message(*, actor: User, parent: str | int, message: str) -> MassIncident:
    """Set the text every child's requester receives when the parent is resolved."""
    require_capability(actor, Capability.MANAGE_PROBLEMS, "Массовый инцидент")
    parent_ticket = access_ticket(actor, parent, for_update=True)
    mass = MassIncident.objects.select_for_update().filter(parent=parent_ticket).first()
    if mass is None:
        raise NotFound(f"Обращение {parent_ticket.display_number} не массовый инцидент")
    mass.message = _clean_message(message)
    mass.updated_at = clock.now()
    mass.save(update_fields=["message", "updated_at"])
    return mass


@transaction.atomic
def mass_incident_resolve(
    *,
    actor: User,
    parent: str | int,
    message: str | None = None,
    status: str = StatusCategory.RESOLVED.value,
    expected_version: int | None = None,
) -> Ticket:
    """Resolve the parent (optionally with a new message); the children follow it.

    The cascade itself lives in `cascade_resolution`, which runs for any resolution
    of a parent — here, in the admin, in the API's transitions endpoint.
    """
    require_capability(actor, Capability.MANAGE_PROBLEMS, "Массовый инцидент")
    parent_ticket = access_ticket(actor, parent, for_update=True)
    if message is not None:
        mass = MassIncident.objects.select_for_update().filter(parent=parent_ticket).first()
        if mass is None:
            raise NotFound(f"Обращение {parent_ticket.display_number} не массовый инцидент")
        mass.message = _clean_message(message)
        mass.updated_at = clock.now()
        mass.save(update_fields=["message", "updated_at"])
    return ticket_transition(
        actor=actor, number=parent_ticket.number, status=status, expected_version=expected_version
    )


def cascade_resolution(change: TicketChange) -> None:
    """Resolve every open child of a just-resolved parent, with one public reply each.

    Runs inside the parent's transaction (from tickets' `after_change`): either the
    parent and all its open children are resolved, or nothing is. Each child goes
    through the ordinary ticket services, so it gets its own events and SLA record.
    A child that is itself a parent cascades further the same way.
    """
    ticket = change.ticket
    if "status_category" not in change.fields:
        return
    if ticket.status_category != StatusCategory.RESOLVED:
        return
    mass = MassIncident.objects.filter(parent=ticket).first()
    if mass is None:
        return
    links = (
        MassIncidentChild.objects.select_related("child")
        .filter(
            mass_incident=mass,
            detached_at__isnull=True,
            child__status_category__in=[c.value for c in StatusCategory if c.is_active],
        )
        .order_by("child__number")
    )
    text = mass.message.strip() or default_message(ticket)
    reason = f"Решено вместе с массовым инцидентом {ticket.display_number}"
    for link in links:
        number = link.child.number
        ticket_comment(
            actor=change.actor,
            number=number,
            body=text,
            is_public=True,
            system_label=SYSTEM_LABEL,
        )
        ticket_transition(
            actor=change.actor,
            number=number,
            status=ticket.status.code,
            reason=reason,
            system_label=SYSTEM_LABEL,
        )
        link.resolved_with_parent_at = change.at
        link.save(update_fields=["resolved_with_parent_at"])


def detach_reopened_child(change: TicketChange) -> None:
    """Detach a child reopened after its parent was resolved (see the module docstring)."""
    if not any(event.type == TicketEventType.REOPENED for event in change.events):
        return
    link = (
        MassIncidentChild.objects.select_related("mass_incident__parent")
        .filter(child=change.ticket, detached_at__isnull=True)
        .first()
    )
    if link is None:
        return
    parent = link.mass_incident.parent
    if StatusCategory(parent.status_category).is_active:
        return
    link.detached_at = change.at
    link.detached_by = None
    link.detach_reason = REOPEN_DETACH_REASON
    link.save(update_fields=["detached_at", "detached_by", "detach_reason"])
    record_ticket_event(
        actor=None,
        number=change.ticket.number,
        event_type=TicketEventType.MASS_INCIDENT_UNLINKED,
        data={"parent": parent.display_number, "reason": REOPEN_DETACH_REASON},
        system_label=SYSTEM_LABEL,
    )
