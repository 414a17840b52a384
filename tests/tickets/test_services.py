"""Ticket services: the one write path, its rules, its history."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from servicedesk.core import clock
from servicedesk.core.errors import (
    Forbidden,
    StaleVersion,
    TransitionNotAllowed,
    ValidationFailed,
)
from servicedesk.tickets import services
from servicedesk.tickets.models import ImmutableEventError, Ticket, TicketEvent

pytestmark = pytest.mark.django_db


def new(world: dict[str, Any], actor_key: str = "agent", **fields: Any) -> Ticket:
    data = {
        "subject": "Не начислились баллы",
        "client": world["mega"].code,
        "channel": "phone",
        "service": "incident",
    } | fields
    return services.ticket_create(actor=world[actor_key], data=services.NewTicket(**data))


def event_types(ticket: Ticket) -> list[str]:
    return list(ticket.events.values_list("type", flat=True))


def test_created_ticket_gets_number_service_level_line_and_a_created_event(world) -> None:
    ticket = new(world)
    assert ticket.display_number == f"SD-{ticket.number:06d}"
    assert ticket.sla_level.code == "SL_2"
    assert ticket.line == "L2"
    assert ticket.status.code == "new"
    assert ticket.status_category == "new"
    assert event_types(ticket) == ["created", "routed"]
    created = ticket.events.get(type="created")
    assert created.actor == world["agent"]
    assert created.data["service"] == "incident"


def test_numbers_increase_and_never_repeat(world) -> None:
    numbers = [new(world).number for _ in range(5)]
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == 5


def test_undescribed_service_gets_the_default_level(world) -> None:
    assert new(world, service="studio").sla_level.code == "SL_2"


def test_a_line_the_client_did_not_buy_is_accepted_and_flagged(world) -> None:
    ticket = new(world, client=world["apteka"].code, service="consultation")  # L1, not bought
    assert ticket.pk is not None
    assert ticket.line == "L1"
    assert ticket.line_not_in_contract is True
    assert "line_not_in_contract" in event_types(ticket)


def test_outlet_of_another_client_is_refused(world) -> None:
    with pytest.raises(ValidationFailed) as error:
        new(world, outlet=world["apteka_outlet"].code)
    assert error.value.field == "outlet"


def test_client_user_creates_only_for_their_own_client(world) -> None:
    ticket = new(world, actor_key="mega_user", channel="portal")
    assert ticket.requester_user == world["mega_user"]
    from servicedesk.core.errors import NotFound

    with pytest.raises(NotFound):
        new(world, actor_key="mega_user", client=world["apteka"].code)


def test_take_assigns_moves_into_work_and_stops_reaction(world) -> None:
    with clock.frozen_at(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)):
        ticket = new(world)
    at = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    with clock.frozen_at(at):
        taken = services.ticket_take(actor=world["agent"], number=ticket.number)
    assert taken.assignee == world["agent"]
    assert taken.status_category == "open"
    assert taken.first_reaction_at == at
    assert event_types(taken) == [
        "created",
        "routed",
        "assigned",
        "status_changed",
        "first_reaction",
    ]


def test_first_public_staff_reply_is_the_reaction_but_an_internal_note_is_not(world) -> None:
    ticket = new(world)
    services.ticket_comment(
        actor=world["agent"], number=ticket.number, body="заметка", is_public=False
    )
    ticket.refresh_from_db()
    assert ticket.first_reaction_at is None
    services.ticket_comment(actor=world["agent"], number=ticket.number, body="Здравствуйте!")
    ticket.refresh_from_db()
    assert ticket.first_reaction_at is not None


def test_requester_reply_reopens_a_resolved_ticket(world) -> None:
    ticket = new(world, actor_key="mega_user", channel="portal")
    services.ticket_take(actor=world["agent"], number=ticket.number)
    services.ticket_transition(actor=world["agent"], number=ticket.number, status="resolved")
    services.ticket_comment(actor=world["mega_user"], number=ticket.number, body="Не помогло")
    ticket.refresh_from_db()
    assert ticket.status_category == "open"
    assert ticket.resolved_at is None
    assert "reopened" in event_types(ticket)


def test_forbidden_transition_names_the_statuses(world) -> None:
    ticket = new(world)
    services.ticket_transition(actor=world["agent"], number=ticket.number, status="cancelled")
    with pytest.raises(TransitionNotAllowed) as error:
        services.ticket_transition(actor=world["agent"], number=ticket.number, status="open")
    assert "«Отменено»" in error.value.message


def test_client_user_cannot_resolve(world) -> None:
    ticket = new(world, actor_key="mega_user", channel="portal")
    with pytest.raises(TransitionNotAllowed):
        services.ticket_transition(
            actor=world["mega_user"], number=ticket.number, status="resolved"
        )


def test_stale_version_is_refused_and_nothing_is_written(world) -> None:
    ticket = new(world)
    services.ticket_update(
        actor=world["agent"],
        number=ticket.number,
        version=ticket.version,
        patch=services.TicketPatch(subject="Первая правка"),
    )
    with pytest.raises(StaleVersion) as error:
        services.ticket_update(
            actor=world["head"],
            number=ticket.number,
            version=ticket.version,
            patch=services.TicketPatch(subject="Вторая правка"),
        )
    assert error.value.extra["current_version"] == ticket.version + 1
    ticket.refresh_from_db()
    assert ticket.subject == "Первая правка"


def test_update_records_old_and_new_values(world) -> None:
    ticket = new(world)
    services.ticket_update(
        actor=world["agent"],
        number=ticket.number,
        version=1,
        patch=services.TicketPatch(subject="Новая тема", service="report"),
    )
    changed = ticket.events.get(type="fields_changed")
    assert changed.data["subject"] == {"old": "Не начислились баллы", "new": "Новая тема"}
    service_event = ticket.events.get(type="service_changed")
    assert service_event.data["service"] == {"old": "incident", "new": "report"}
    assert service_event.data["sla_level"] == {"old": "SL_2", "new": "SL_1"}
    ticket.refresh_from_db()
    assert ticket.line == "L3"
    assert ticket.version == 2


def test_raising_priority_needs_the_flag_a_reason_and_a_faster_level(world) -> None:
    incident = new(world, service="incident")  # raise priority: нет
    with pytest.raises(ValidationFailed, match="не предусмотрено"):
        services.ticket_raise_priority(
            actor=world["agent"], number=incident.number, sla_level="SL_1", reason="горит"
        )
    mailing = new(world, service="mailing")  # raise priority: да, SL_2
    with pytest.raises(ValidationFailed, match="Причина"):
        services.ticket_raise_priority(
            actor=world["agent"], number=mailing.number, sla_level="SL_1", reason="  "
        )
    with pytest.raises(ValidationFailed, match="не быстрее"):
        services.ticket_raise_priority(
            actor=world["agent"], number=mailing.number, sla_level="SL_3", reason="почему бы нет"
        )
    raised = services.ticket_raise_priority(
        actor=world["agent"],
        number=mailing.number,
        sla_level="SL_1",
        reason="Акция стартует завтра",
    )
    assert raised.sla_level.code == "SL_1"
    assert raised.priority_raised
    event = raised.events.get(type="priority_raised")
    assert event.data == {
        "sla_level": {"old": "SL_2", "new": "SL_1"},
        "reason": "Акция стартует завтра",
    }


def test_service_change_drops_a_raised_priority(world) -> None:
    ticket = new(world, service="mailing")
    services.ticket_raise_priority(
        actor=world["agent"], number=ticket.number, sla_level="SL_1", reason="срочно"
    )
    changed = services.ticket_set_service(
        actor=world["agent"], number=ticket.number, service="logging"
    )
    assert changed.sla_level.code == "SL_2"
    assert not changed.priority_raised


def test_client_user_cannot_write_internal_notes_or_reassign(world) -> None:
    ticket = new(world, actor_key="mega_user", channel="portal")
    with pytest.raises(Forbidden):
        services.ticket_comment(
            actor=world["mega_user"], number=ticket.number, body="x", is_public=False
        )
    with pytest.raises(Forbidden):
        services.ticket_update(
            actor=world["mega_user"],
            number=ticket.number,
            version=1,
            patch=services.TicketPatch(assignee="agent"),
        )


def test_history_events_cannot_be_changed_or_deleted(world) -> None:
    event = new(world).events.get(type="created")
    event.data = {"forged": True}
    with pytest.raises(ImmutableEventError):
        event.save()
    with pytest.raises(ImmutableEventError):
        event.delete()


@pytest.mark.postgres
def test_database_refuses_to_rewrite_history_on_postgresql(world) -> None:
    from django.db import DatabaseError, transaction

    event_id = new(world).events.get(type="created").pk
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        TicketEvent.objects.filter(pk=event_id).update(data={"forged": True})


def test_oversized_text_is_refused_with_the_limit(world) -> None:
    with pytest.raises(ValidationFailed, match="длиннее 300"):
        new(world, subject="х" * 301)
