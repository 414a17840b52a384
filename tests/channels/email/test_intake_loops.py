"""Machines writing to the desk: auto-replies, bounces and bulk mail never start a mail loop."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from servicedesk.channels.email.intake import email_ingest
from servicedesk.channels.email.models import (
    InboundMessage,
    InboundStatus,
    OutboundKind,
    OutboundMessage,
    OutboundStatus,
)
from servicedesk.core import clock
from servicedesk.tickets.models import Attachment, Ticket
from tests import factories

from .build_corpus import OUR_RECEIVED_ID
from .messages import mail

CORPUS = Path(__file__).parent / "corpus"
pytestmark = pytest.mark.django_db


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


@pytest.mark.parametrize(
    "name",
    [
        "20_out_of_office_auto_submitted.eml",
        "22_x_autoreply.eml",
        "23_autoreply_subject_only.eml",
    ],
)
def test_an_auto_reply_opens_no_ticket_and_gets_no_answer(
    mailbox: Any, name: str, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = email_ingest(mailbox=mailbox, raw=corpus(name))

    assert result.outcome == "ignored"
    assert result.reason.startswith("автоматическое письмо")
    assert not Ticket.objects.exists()
    assert mailoutbox == []
    assert InboundMessage.objects.get().status == InboundStatus.IGNORED


def test_an_out_of_office_answer_to_our_mail_is_linked_to_the_ticket_but_changes_nothing(
    mailbox: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email_ingest(mailbox=mailbox, raw=mail(message_id="q@shop-ural.ru"))
    ours = OutboundMessage.objects.get()
    ticket = ours.ticket
    version = ticket.version

    with django_capture_on_commit_callbacks(execute=True):
        result = email_ingest(
            mailbox=mailbox,
            raw=mail(
                subject="Автоответ: в отпуске",
                in_reply_to=ours.message_id,
                headers={"Auto-Submitted": "auto-replied"},
            ),
        )

    ticket.refresh_from_db()
    assert result.outcome == "ignored"
    assert result.inbound is not None and result.inbound.ticket == ticket
    assert ticket.version == version
    assert len(mailoutbox) == 1  # only the first acknowledgement


def test_a_bounce_of_our_notification_marks_it_undelivered_and_tells_the_ticket(
    mailbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email_ingest(mailbox=mailbox, raw=mail())
    ours = OutboundMessage.objects.get()
    bounce = corpus("24_dsn_bounce_of_our_notification.eml").replace(
        OUR_RECEIVED_ID.encode(), ours.message_id.encode()
    )

    result = email_ingest(mailbox=mailbox, raw=bounce)

    ours.refresh_from_db()
    assert result.outcome == "bounce"
    assert result.ticket_number == ours.ticket.display_number
    assert ours.status == OutboundStatus.BOUNCED
    assert "5.1.1" in ours.bounce_detail
    assert Ticket.objects.count() == 1
    note = ours.ticket.comments.get(is_public=False)
    assert "не доставлено" in note.body and "nobody@client-shop.ru" in note.body
    report = Attachment.objects.get(ticket=ours.ticket, filename="отчёт-о-недоставке.eml")
    assert report.is_public is False


def test_a_bounce_does_not_reopen_a_resolved_ticket(
    mailbox: Any, world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from servicedesk.tickets.services import ticket_transition

    with django_capture_on_commit_callbacks(execute=True):
        email_ingest(mailbox=mailbox, raw=mail())
        ticket = Ticket.objects.get()
        ticket_transition(actor=world["agent"], number=ticket.number, status="resolved")
    resolved = OutboundMessage.objects.get(kind=OutboundKind.RESOLVED)
    bounce = corpus("24_dsn_bounce_of_our_notification.eml").replace(
        OUR_RECEIVED_ID.encode(), resolved.message_id.encode()
    )

    email_ingest(mailbox=mailbox, raw=bounce)

    ticket.refresh_from_db()
    assert ticket.status_category == "resolved"


@pytest.mark.parametrize(
    "name", ["24_dsn_bounce_of_our_notification.eml", "25_mailer_daemon_plain_bounce.eml"]
)
def test_a_bounce_of_mail_we_did_not_send_opens_nothing(
    mailbox: Any, name: str, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = email_ingest(mailbox=mailbox, raw=corpus(name))

    assert result.outcome == "ignored"
    assert "недоставке" in result.reason
    assert not Ticket.objects.exists()
    assert mailoutbox == []


def test_bulk_mail_from_an_unknown_sender_is_ignored(mailbox: Any) -> None:
    result = email_ingest(mailbox=mailbox, raw=corpus("21_precedence_bulk.eml"))

    assert result.outcome == "ignored"
    assert result.reason.startswith("рассылка от неизвестного отправителя")
    assert not Ticket.objects.exists()


def test_bulk_mail_from_a_known_contact_opens_a_ticket_without_an_automatic_answer(
    mailbox: Any,
    world: dict[str, Any],
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    team = factories.guest(world["mega"])
    team.emails.create(address="it-team@shop-ural.ru")

    with django_capture_on_commit_callbacks(execute=True):
        result = email_ingest(
            mailbox=mailbox,
            raw=mail(
                sender="it-team@shop-ural.ru",
                headers={"List-Id": "<it-team.shop-ural.ru>", "Precedence": "list"},
            ),
        )

    assert result.outcome == "created"
    assert Ticket.objects.get().requester == team
    assert mailoutbox == []
    assert result.inbound is not None and "рассылк" in result.inbound.notes


def test_mail_from_our_own_address_is_a_loop_and_ignored(mailbox: Any) -> None:
    result = email_ingest(mailbox=mailbox, raw=mail(sender="Поддержка <Support@Plastek.ru>"))

    assert result.outcome == "ignored"
    assert "петля" in result.reason
    assert not Ticket.objects.exists()


def test_our_own_notification_coming_back_is_ignored(
    mailbox: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email_ingest(mailbox=mailbox, raw=mail())
    ours = OutboundMessage.objects.get()

    result = email_ingest(
        mailbox=mailbox, raw=mail(message_id=ours.message_id, sender="relay@shop-ural.ru")
    )

    assert result.outcome == "ignored"
    assert Ticket.objects.count() == 1


def test_one_sender_gets_at_most_one_acknowledgement_per_interval(
    mailbox: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    start = clock.now()
    with django_capture_on_commit_callbacks(execute=True):
        for minutes in (0, 3, 9):
            with clock.frozen_at(start + timedelta(minutes=minutes)):
                email_ingest(mailbox=mailbox, raw=mail(subject=f"Письмо {minutes}"))
        with clock.frozen_at(start + timedelta(minutes=11)):
            email_ingest(mailbox=mailbox, raw=mail(subject="Письмо 11"))
        with clock.frozen_at(start + timedelta(minutes=12)):
            email_ingest(mailbox=mailbox, raw=mail(subject="Другой", sender="olga@shop-ural.ru"))

    assert Ticket.objects.count() == 5
    assert sorted(m.to[0] for m in mailoutbox) == [
        "ivan@shop-ural.ru",
        "ivan@shop-ural.ru",
        "olga@shop-ural.ru",
    ]
    skipped = InboundMessage.objects.filter(subject="Письмо 3").get()
    assert "уже получал" in skipped.notes


def test_the_acknowledgement_interval_is_set_per_mailbox(
    mailbox: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    mailbox.ack_interval_minutes = 0
    mailbox.save()
    with django_capture_on_commit_callbacks(execute=True):
        email_ingest(mailbox=mailbox, raw=mail(subject="Раз"))
        with clock.frozen_at(clock.now() + timedelta(seconds=1)):
            email_ingest(mailbox=mailbox, raw=mail(subject="Два"))

    assert len(mailoutbox) == 2
