"""Replies find their ticket: In-Reply-To, then References newest first, then the subject tag."""

from __future__ import annotations

from typing import Any

import pytest

from servicedesk.channels.email.compose import make_message_id
from servicedesk.channels.email.intake import email_ingest
from servicedesk.channels.email.models import (
    Direction,
    Mailbox,
    OutboundMessage,
    TicketMessageId,
)
from servicedesk.tickets.models import Comment, Ticket
from servicedesk.tickets.services import ticket_comment, ticket_transition
from tests import factories

from .messages import mail, reply_to

pytestmark = pytest.mark.django_db


def opened(mailbox: Any, **kwargs: Any) -> Ticket:
    result = email_ingest(mailbox=mailbox, raw=mail(**kwargs))
    assert result.outcome == "created"
    return Ticket.objects.get(number=int(str(result.ticket_number).split("-")[1]))


def test_reply_to_our_acknowledgement_becomes_a_comment_by_the_requester(
    mailbox: Any, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ticket = opened(mailbox)
    acknowledgement = mailoutbox[0].message()

    result = email_ingest(
        mailbox=mailbox, raw=reply_to(acknowledgement, body="Чек так и не печатается")
    )

    assert result.outcome == "appended"
    assert result.describe() == f"{ticket.display_number}: добавлено к обращению"
    assert Ticket.objects.count() == 1
    comment = Comment.objects.get(ticket=ticket)
    assert comment.is_public
    assert comment.channel == "email"
    assert comment.author_contact == ticket.requester
    assert comment.body.startswith("Чек так и не печатается")
    assert result.inbound is not None and result.inbound.quote_start is not None
    assert comment.body[result.inbound.quote_start :].startswith("-----Original Message-----")


def test_reply_to_a_resolved_ticket_puts_it_back_to_work(
    mailbox: Any,
    world: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
    mailoutbox: list[Any],
) -> None:
    ticket = opened(mailbox)
    with django_capture_on_commit_callbacks(execute=True):
        ticket_transition(actor=world["agent"], number=ticket.number, status="resolved")
    resolved_mail = mailoutbox[-1].message()

    email_ingest(mailbox=mailbox, raw=reply_to(resolved_mail, body="Не помогло"))

    ticket.refresh_from_db()
    assert ticket.status_category == "open"
    assert ticket.events.filter(type="reopened").exists()


def test_references_are_searched_newest_first(mailbox: Any) -> None:
    older = opened(mailbox, message_id="older@shop-ural.ru", subject="Старое")
    newer = opened(mailbox, message_id="newer@shop-ural.ru", subject="Новое")

    email_ingest(
        mailbox=mailbox,
        raw=mail(
            subject="Re: что-то",
            references=["unknown@elsewhere", "older@shop-ural.ru", "newer@shop-ural.ru"],
        ),
    )

    assert Comment.objects.get().ticket == newer
    assert not older.comments.exists()


def test_in_reply_to_wins_over_references(mailbox: Any) -> None:
    first = opened(mailbox, message_id="first@shop-ural.ru")
    second = opened(mailbox, message_id="second@shop-ural.ru")

    email_ingest(
        mailbox=mailbox,
        raw=mail(in_reply_to="first@shop-ural.ru", references=["second@shop-ural.ru"]),
    )

    assert Comment.objects.get().ticket == first
    assert not second.comments.exists()


def test_our_signed_message_id_finds_the_ticket_even_without_its_stored_copy(
    mailbox: Any, settings: Any
) -> None:
    ticket = opened(mailbox)
    ours = make_message_id(
        "plastek.ru", ticket.number, "reply", secret=settings.SECRET_KEY.encode()
    )
    assert not TicketMessageId.objects.filter(message_id=ours.strip("<>")).exists()

    email_ingest(mailbox=mailbox, raw=mail(in_reply_to=ours.strip("<>"), subject="Re: ответ"))

    assert Comment.objects.get().ticket == ticket


def test_a_forged_message_id_with_our_layout_finds_nothing(mailbox: Any) -> None:
    ticket = opened(mailbox)
    forged = make_message_id("plastek.ru", ticket.number, "reply", secret=b"not-our-key")

    email_ingest(mailbox=mailbox, raw=mail(in_reply_to=forged.strip("<>"), sender="x@evil.test"))

    assert Ticket.objects.count() == 2
    assert not Comment.objects.filter(ticket=ticket, is_public=True).exists()


def test_subject_tag_from_the_requester_threads_the_message(mailbox: Any) -> None:
    ticket = opened(mailbox)

    email_ingest(mailbox=mailbox, raw=mail(subject=f"Re: [{ticket.display_number}] ещё вопрос"))

    assert Comment.objects.get().ticket == ticket


def test_subject_tag_from_a_colleague_of_the_same_client_threads_the_message(
    mailbox: Any, world: dict[str, Any]
) -> None:
    ticket = opened(mailbox)
    colleague = factories.guest(world["mega"])
    colleague.emails.create(address="boss@shop-ural.ru")

    email_ingest(
        mailbox=mailbox,
        raw=mail(subject=f"{ticket.display_number} срочно", sender="boss@shop-ural.ru"),
    )

    assert Comment.objects.get().author_contact == colleague


def test_subject_tag_from_a_stranger_opens_a_new_ticket_and_says_why(mailbox: Any) -> None:
    ticket = opened(mailbox)

    result = email_ingest(
        mailbox=mailbox,
        raw=mail(subject=f"[{ticket.display_number}] чужое", sender="stranger@other.test"),
    )

    assert result.outcome == "created"
    assert not ticket.comments.exists()
    new = Ticket.objects.exclude(pk=ticket.pk).get()
    note = new.comments.get(is_public=False)
    assert f"указан номер {ticket.display_number}" in note.body


def test_an_sd_card_in_the_subject_is_not_a_ticket_number(mailbox: Any) -> None:
    result = email_ingest(mailbox=mailbox, raw=mail(subject="Не читается карта SD-128 в терминале"))

    assert result.outcome == "created"
    assert Ticket.objects.get().subject == "Не читается карта SD-128 в терминале"


def test_reply_to_a_closed_ticket_opens_a_new_one_that_points_back(
    mailbox: Any, world: dict[str, Any]
) -> None:
    ticket = opened(mailbox, message_id="closed@shop-ural.ru")
    ticket_transition(actor=world["agent"], number=ticket.number, status="resolved")
    ticket_transition(actor=world["agent"], number=ticket.number, status="closed")

    result = email_ingest(mailbox=mailbox, raw=mail(in_reply_to="closed@shop-ural.ru"))

    assert result.outcome == "created"
    new = Ticket.objects.exclude(pk=ticket.pk).get()
    assert ticket.display_number in new.comments.get(is_public=False).body


def test_every_message_id_of_the_correspondence_is_stored_with_the_ticket(
    mailbox: Any, world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ticket = opened(mailbox, message_id="q1@shop-ural.ru")
        ticket_comment(actor=world["agent"], number=ticket.number, body="Перезагрузите кассу")
    email_ingest(
        mailbox=mailbox, raw=mail(in_reply_to="q1@shop-ural.ru", message_id="q2@shop-ural.ru")
    )

    ids = dict(TicketMessageId.objects.filter(ticket=ticket).values_list("message_id", "direction"))
    outbound = set(
        OutboundMessage.objects.filter(ticket=ticket).values_list("message_id", flat=True)
    )
    assert ids["q1@shop-ural.ru"] == ids["q2@shop-ural.ru"] == Direction.INBOUND
    assert len(outbound) == 2  # received + reply
    assert all(ids[mid] == Direction.OUTBOUND for mid in outbound)


def test_a_message_already_taken_through_another_mailbox_is_not_taken_again(
    mailbox: Any, world: dict[str, Any]
) -> None:
    other = Mailbox.objects.create(
        code="sales", name="Продажи", address="sales@plastek.ru", client=world["mega"]
    )
    raw = mail(message_id="cc@shop-ural.ru", to="support@plastek.ru, sales@plastek.ru")
    email_ingest(mailbox=mailbox, raw=raw)
    result = email_ingest(mailbox=other, raw=raw)

    assert result.outcome == "ignored"
    assert "уже принято через ящик «support»" in result.reason
    assert Ticket.objects.count() == 1


def test_the_mailbox_default_service_and_client_apply_to_new_tickets(
    mailbox: Any, world: dict[str, Any]
) -> None:
    from servicedesk.catalog.models import Service

    service = Service.objects.filter(is_active=True).order_by("pk").first()
    mailbox.default_service = service
    mailbox.client = world["apteka"]
    mailbox.save()

    ticket = opened(mailbox)

    assert ticket.service == service
    assert ticket.client == world["apteka"]


def test_a_reply_keeps_its_files_and_raw_message_with_its_comment_in_one_change(
    mailbox: Any,
) -> None:
    ticket = opened(mailbox, message_id="first@shop-ural.ru")
    version = Ticket.objects.get(pk=ticket.pk).version
    raw = mail(
        subject="Re: Касса не печатает чек",
        in_reply_to="first@shop-ural.ru",
        attachments=[("чек.pdf", b"%PDF-1.4 receipt", "application/pdf")],
    )

    result = email_ingest(mailbox=mailbox, raw=raw)

    assert result.outcome == "appended" and result.inbound is not None
    comment = Comment.objects.get(ticket=ticket)
    files = {a.filename: a for a in comment.attachments.all()}
    assert "чек.pdf" in files and files["чек.pdf"].is_public
    (original,) = [a for name, a in files.items() if name.endswith(".eml")]
    assert not original.is_public
    assert original.file.name == result.inbound.raw.name
    with original.file.open("rb") as handle:
        assert handle.read() == raw
    assert Ticket.objects.get(pk=ticket.pk).version == version + 1  # one change, not two
