"""Merging duplicates, escalating by hand, replying with files: one write each, with events."""

from __future__ import annotations

import io
from typing import Any

import pytest

from servicedesk.accounts.models import SupportLine
from servicedesk.accounts.roles import Role
from servicedesk.core.errors import Forbidden, StaleVersion, ValidationFailed
from servicedesk.tickets import services
from servicedesk.tickets.models import Ticket
from tests import factories

pytestmark = pytest.mark.django_db


def new(world: dict[str, Any], **fields: Any) -> Ticket:
    data = {
        "subject": "Не начислились баллы",
        "client": world["mega"].code,
        "channel": "phone",
        "service": "incident",
    } | fields
    return services.ticket_create(actor=world["agent"], data=services.NewTicket(**data))


def types(ticket: Ticket) -> list[str]:
    return list(ticket.events.values_list("type", flat=True))


# --- merge -----------------------------------------------------------------------------


def test_merging_cancels_the_duplicate_and_copies_its_words_into_an_internal_note(world) -> None:
    kept, duplicate = new(world), new(world, subject="Баллы не пришли", description="Чек 123")
    services.ticket_comment(actor=world["agent"], number=duplicate.number, body="Уточняем")
    duplicate.refresh_from_db()

    result = services.ticket_merge(
        actor=world["agent"],
        source=duplicate.number,
        target=kept.display_number,
        expected_version=duplicate.version,
    )

    duplicate.refresh_from_db()
    assert result.pk == kept.pk
    assert duplicate.status_category == "cancelled"
    cancel = duplicate.events.get(type="status_changed")
    assert cancel.data["reason"] == f"Дубликат {kept.display_number}"
    assert types(duplicate)[-1] == "merged"
    note = kept.comments.get()
    assert note.is_public is False
    assert duplicate.display_number in note.body
    assert "Чек 123" in note.body and "Уточняем" in note.body
    assert types(kept)[-2:] == ["commented", "merged"]
    assert kept.events.get(type="merged").data["from"] == duplicate.display_number


def test_a_ticket_is_not_merged_into_itself(world) -> None:
    ticket = new(world)
    with pytest.raises(ValidationFailed, match="с самим собой"):
        services.ticket_merge(actor=world["agent"], source=ticket.number, target=ticket.number)


def test_tickets_of_different_clients_are_not_merged(world) -> None:
    mine, theirs = new(world), new(world, client=world["apteka"].code)
    with pytest.raises(ValidationFailed, match="одного клиента"):
        services.ticket_merge(actor=world["agent"], source=mine.number, target=theirs.number)
    mine.refresh_from_db()
    assert mine.status_category == "new"


def test_merge_refuses_a_stale_page_and_a_closed_target(world) -> None:
    kept, duplicate = new(world), new(world)
    with pytest.raises(StaleVersion):
        services.ticket_merge(
            actor=world["agent"],
            source=duplicate.number,
            target=kept.number,
            expected_version=duplicate.version + 5,
        )
    services.ticket_transition(actor=world["agent"], number=kept.number, status="cancelled")
    with pytest.raises(ValidationFailed, match="выберите открытое"):
        services.ticket_merge(actor=world["agent"], source=duplicate.number, target=kept.number)


def test_client_users_do_not_merge(world) -> None:
    kept, duplicate = new(world), new(world)
    with pytest.raises(Forbidden):
        services.ticket_merge(actor=world["mega_user"], source=duplicate.number, target=kept.number)


# --- escalation ----------------------------------------------------------------------------


def test_escalation_to_l3_moves_the_line_and_records_why(world) -> None:
    ticket = new(world)  # incident: escalation allowed by the catalogue
    ticket = services.ticket_escalate(
        actor=world["agent"],
        number=ticket.number,
        to="l3",
        reason="Нужна коррекция счёта",
        expected_version=ticket.version,
    )
    assert ticket.line == SupportLine.L3
    event = ticket.events.get(type="escalated")
    assert event.data == {
        "to": "l3",
        "reason": "Нужна коррекция счёта",
        "line": {"old": "L2", "new": "L3"},
    }


def test_escalation_to_l3_respects_the_catalogue_flag(world) -> None:
    ticket = new(world, service="access")  # escalation = нет
    with pytest.raises(ValidationFailed, match="не предусмотрена"):
        services.ticket_escalate(actor=world["agent"], number=ticket.number, to="l3", reason="x")


def test_escalation_to_the_service_manager_puts_it_in_their_queue(world) -> None:
    ticket = new(world, assignee=world["agent"].username)
    ticket = services.ticket_escalate(
        actor=world["agent"], number=ticket.number, to="service_manager", reason="Сложный случай"
    )
    assert ticket.assignee is None
    assert ticket.role_queue == Role.SERVICE_MANAGER
    assert types(ticket)[-2:] == ["assigned", "escalated"]
    with pytest.raises(ValidationFailed, match="уже в очереди"):
        services.ticket_escalate(
            actor=world["agent"], number=ticket.number, to="service_manager", reason="ещё раз"
        )


def test_escalation_needs_a_reason_and_a_known_target(world) -> None:
    ticket = new(world)
    with pytest.raises(ValidationFailed, match="Причина"):
        services.ticket_escalate(actor=world["agent"], number=ticket.number, to="l3", reason=" ")
    with pytest.raises(ValidationFailed, match="направление"):
        services.ticket_escalate(actor=world["agent"], number=ticket.number, to="moon", reason="x")


# --- reply with files ----------------------------------------------------------------------


def upload(name: str = "чек.txt", data: bytes = b"receipt") -> services.Upload:
    return services.Upload(
        content=io.BytesIO(data), filename=name, content_type="text/plain", size=len(data)
    )


def test_a_reply_and_its_files_are_stored_together(world) -> None:
    ticket = new(world)
    comment = services.ticket_reply(
        actor=world["agent"],
        number=ticket.number,
        body="Смотрите файл",
        files=[upload(), upload("лог.txt")],
        expected_version=ticket.version,
    )
    assert comment is not None
    assert sorted(a.filename for a in comment.attachments.all()) == ["лог.txt", "чек.txt"]
    assert types(ticket).count("attachment_added") == 2


def test_a_bad_file_stores_nothing(world) -> None:
    ticket = new(world)
    with pytest.raises(ValidationFailed, match="пустой"):
        services.ticket_reply(
            actor=world["agent"],
            number=ticket.number,
            body="Текст",
            files=[upload(), upload("пусто.txt", b"")],
        )
    assert not ticket.comments.exists()
    assert not ticket.attachments.exists()


def test_files_alone_need_no_text_but_an_empty_reply_is_refused(world) -> None:
    ticket = new(world)
    assert (
        services.ticket_reply(actor=world["agent"], number=ticket.number, body="", files=[upload()])
        is None
    )
    assert ticket.attachments.count() == 1
    with pytest.raises(ValidationFailed, match="Напишите текст"):
        services.ticket_reply(actor=world["agent"], number=ticket.number, body="  ")


def test_a_guest_reply_reopens_a_resolved_ticket(world) -> None:
    ticket = new(world, requester_id=world["mega_guest"].pk)
    services.ticket_transition(actor=world["agent"], number=ticket.number, status="resolved")
    services.ticket_reply(
        actor=None,
        number=ticket.number,
        body="Не помогло",
        author_contact=world["mega_guest"],
        system_label="Гость",
    )
    ticket.refresh_from_db()
    assert ticket.status_category == "open"
    assert ticket.comments.get().author_contact == world["mega_guest"]


def test_staff_factory_roles_are_visible(world) -> None:
    person = factories.staff(Role.SD_MANAGER, Role.SQL_ENGINEER)
    assert person.roles == {Role.SD_MANAGER, Role.SQL_ENGINEER}
