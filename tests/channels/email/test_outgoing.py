"""Notifications by e-mail, sent over a real SMTP server (aiosmtpd), threaded back to tickets."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import Message
from email.utils import parseaddr
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import formats, timezone, translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from servicedesk.channels.email.intake import email_ingest
from servicedesk.channels.email.models import (
    EmailTemplate,
    OutboundKind,
    OutboundMessage,
    OutboundStatus,
)
from servicedesk.channels.email.outgoing import (
    SEND_MAX_ATTEMPTS,
    email_outbound_send,
    format_due,
)
from servicedesk.channels.email.thread_keys import find_ticket_numbers
from servicedesk.core import clock
from servicedesk.tickets.models import Comment, Ticket
from servicedesk.tickets.services import ticket_comment, ticket_transition

from .messages import mail, reply_to

pytestmark = pytest.mark.django_db


def body_of(message: Message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(part.get_content_charset() or "utf-8")


def subject_of(message: Message) -> str:
    from email.header import decode_header, make_header

    return " ".join(str(make_header(decode_header(message["Subject"]))).split())


def ingest(mailbox: Any, capture: Any, raw: bytes) -> Ticket:
    with capture(execute=True):
        result = email_ingest(mailbox=mailbox, raw=raw)
    number = int(str(result.ticket_number).split("-")[1])
    return Ticket.objects.get(number=number)


def test_received_notification_tells_number_service_deadlines_and_the_secret_link(
    mailbox: Any, smtp: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SITE_URL = "https://desk.plastek.ru"
    monday = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # 10:00 in Moscow
    with clock.frozen_at(monday):
        ticket = ingest(
            mailbox, django_capture_on_commit_callbacks, mail(message_id="m1@shop-ural.ru")
        )

    [sent] = smtp.received
    text = body_of(sent)
    assert parseaddr(sent["To"])[1] == "ivan@shop-ural.ru"
    assert parseaddr(sent["From"])[1] == "support@plastek.ru"
    assert (
        subject_of(sent)
        == f"[{ticket.display_number}] Обращение зарегистрировано: Касса не печатает чек"
    )
    assert f"номером {ticket.display_number}" in text
    assert "Здравствуйте, Иван Петров!" in text
    assert "Услуга: будет определена специалистом" in text
    assert "Срок реакции: 23 ноября 2026, 14:00 (МСК)" in text  # 5/2 calendar, L2 default
    assert "Срок решения:" in text and "не установлен" not in text
    assert f"https://desk.plastek.ru/t/{ticket.public_token}/" in text
    assert sent["In-Reply-To"] == "<m1@shop-ural.ru>"
    assert "<m1@shop-ural.ru>" in sent["References"]
    assert sent["Auto-Submitted"] == "auto-replied"
    stored = OutboundMessage.objects.get()
    assert sent["Message-ID"] == f"<{stored.message_id}>"
    assert stored.message_id.startswith(f"sd.{ticket.number:06d}.received.")
    assert stored.status == OutboundStatus.SENT


def test_public_staff_reply_is_mailed_to_the_requester_threaded_to_their_last_mail(
    mailbox: Any, world: dict[str, Any], smtp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ticket = ingest(
        mailbox, django_capture_on_commit_callbacks, mail(message_id="first@shop-ural.ru")
    )
    with django_capture_on_commit_callbacks(execute=True):
        email_ingest(
            mailbox=mailbox,
            raw=mail(in_reply_to="first@shop-ural.ru", message_id="second@shop-ural.ru"),
        )
        ticket_comment(
            actor=world["agent"], number=ticket.number, body="Перезагрузите кассу, пожалуйста."
        )

    reply = smtp.received[-1]
    assert (
        subject_of(reply) == f"[{ticket.display_number}] Ответ по обращению: Касса не печатает чек"
    )
    assert "Перезагрузите кассу, пожалуйста." in body_of(reply)
    assert reply["In-Reply-To"] == "<second@shop-ural.ru>"
    assert "<first@shop-ural.ru>" in reply["References"]
    assert reply["Auto-Submitted"] is None  # written by a person


def test_internal_notes_and_client_comments_are_not_mailed(
    mailbox: Any, world: dict[str, Any], smtp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ticket = ingest(mailbox, django_capture_on_commit_callbacks, mail())
    smtp.reset()
    with django_capture_on_commit_callbacks(execute=True):
        ticket_comment(
            actor=world["agent"], number=ticket.number, body="Внутреннее", is_public=False
        )
        ticket_comment(actor=world["mega_user"], number=ticket.number, body="От клиента")

    assert smtp.received == []


def test_resolution_mail_explains_how_to_reopen_and_a_reply_reopens(
    mailbox: Any, world: dict[str, Any], smtp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ticket = ingest(mailbox, django_capture_on_commit_callbacks, mail())
    with django_capture_on_commit_callbacks(execute=True):
        ticket_transition(actor=world["agent"], number=ticket.number, status="resolved")

    resolved = smtp.received[-1]
    assert subject_of(resolved).startswith(f"[{ticket.display_number}] Обращение решено")
    assert "ответьте на это письмо — обращение вернётся в работу" in body_of(resolved)

    email_ingest(mailbox=mailbox, raw=reply_to(resolved, body="Снова не печатает"))

    ticket.refresh_from_db()
    assert ticket.status_category == "open"
    assert Comment.objects.get(ticket=ticket).body.startswith("Снова не печатает")


def test_resolving_with_a_reply_sends_one_mail_with_the_reply(
    mailbox: Any, world: dict[str, Any], smtp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from servicedesk.tickets.domain.events import TicketEventType
    from servicedesk.tickets.services.change import begin_change, finish_change
    from servicedesk.tickets.services.comments import Comment as CommentModel
    from servicedesk.tickets.services.workflow import apply_status, resolve_status

    ticket = ingest(mailbox, django_capture_on_commit_callbacks, mail())
    smtp.reset()
    with django_capture_on_commit_callbacks(execute=True):
        change = begin_change(actor=world["agent"], number=ticket.number, expected_version=None)
        comment = CommentModel.objects.create(
            ticket=ticket,
            author=world["agent"],
            body="Заменили принтер.",
            channel="api",
            created_at=change.at,
        )
        change.record(
            TicketEventType.COMMENTED, {"public": True, "channel": "api"}, comment=comment
        )
        apply_status(change, resolve_status("resolved"))
        finish_change(change)

    [sent] = smtp.received
    assert "решено" in subject_of(sent)
    assert "Заменили принтер." in body_of(sent)


def test_a_failing_smtp_server_is_retried_and_the_mail_finally_goes(
    mailbox: Any, smtp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    smtp.refuse_next = 2
    ingest(mailbox, django_capture_on_commit_callbacks, mail())

    outbound = OutboundMessage.objects.get()
    assert outbound.status == OutboundStatus.PENDING
    assert "451" in outbound.last_error
    with pytest.raises(Exception, match="451"):
        email_outbound_send(outbound.pk)
    assert email_outbound_send(outbound.pk) == OutboundStatus.SENT

    outbound.refresh_from_db()
    assert outbound.attempts == 3
    assert len(smtp.received) == 1


def test_a_send_that_keeps_failing_is_marked_failed_on_the_ticket_and_can_be_retried(
    mailbox: Any, smtp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    smtp.refuse_next = SEND_MAX_ATTEMPTS
    ticket = ingest(mailbox, django_capture_on_commit_callbacks, mail())
    outbound = OutboundMessage.objects.get()
    for _ in range(SEND_MAX_ATTEMPTS - 2):
        with pytest.raises(Exception, match="451"):
            email_outbound_send(outbound.pk)
    assert email_outbound_send(outbound.pk) == OutboundStatus.FAILED

    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.FAILED
    event = ticket.events.get(type="email_failed")
    assert event.data["to"] == "ivan@shop-ural.ru"
    assert "451" in event.data["error"]
    assert smtp.received == []

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("email_retry_failed", stdout=out)
    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.SENT
    assert "поставлено в очередь: 1" in out.getvalue()
    assert len(smtp.received) == 1


def test_an_attachment_over_the_limit_is_not_stored_and_the_sender_is_told(
    mailbox: Any, smtp: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 10_000
    raw = mail(
        attachments=[
            ("фото кассы.jpg", b"\xff\xd8" + b"x" * 20_000, "image/jpeg"),
            ("чек.txt", b"small receipt", "text/plain"),
        ]
    )
    ticket = ingest(mailbox, django_capture_on_commit_callbacks, raw)

    names = set(ticket.attachments.values_list("filename", flat=True))
    assert "чек.txt" in names
    assert "фото кассы.jpg" not in names
    note = ticket.comments.get(is_public=False)
    assert "«фото кассы.jpg»" in note.body and "не сохранены" in note.body
    refused = next(m for m in smtp.received if "Вложение не принято" in subject_of(m))
    assert "фото кассы.jpg" in body_of(refused)
    assert refused["In-Reply-To"] is not None


def test_an_edited_template_is_used_and_keeps_the_ticket_tag(
    mailbox: Any, smtp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    EmailTemplate.objects.filter(kind=OutboundKind.RECEIVED).update(
        subject="Приняли: {{ subject }}", body="Номер {{number}}. {{ unknown }}Ждите."
    )
    ticket = ingest(mailbox, django_capture_on_commit_callbacks, mail())

    [sent] = smtp.received
    assert subject_of(sent) == f"[{ticket.display_number}] Приняли: Касса не печатает чек"
    assert find_ticket_numbers(subject_of(sent)) == (ticket.number,)
    assert body_of(sent).strip() == f"Номер {ticket.display_number}. Ждите."


def test_reply_to_a_phone_ticket_goes_to_the_requester_contact_address(
    world: dict[str, Any], smtp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from servicedesk.tickets.services import NewTicket, ticket_create

    guest = world["mega_guest"]
    guest.emails.create(address="guest@mail.ru")
    ticket = ticket_create(
        actor=world["agent"],
        data=NewTicket(subject="Звонок", client=world["mega"].code, channel="phone"),
        requester=guest,
    )
    with django_capture_on_commit_callbacks(execute=True):
        ticket_comment(actor=world["agent"], number=ticket.number, body="Перезвонили")

    [sent] = smtp.received
    assert parseaddr(sent["To"])[1] == "guest@mail.ru"
    assert parseaddr(sent["From"])[1] == "support@plastek.local"  # no mailbox: DEFAULT_FROM_EMAIL
    assert sent["In-Reply-To"] is None


def test_the_retry_command_leaves_alone_a_mail_that_a_worker_is_sending_now(
    mailbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    email_ingest(mailbox=mailbox, raw=mail())  # recorded, its task not run
    outbound = OutboundMessage.objects.get()
    OutboundMessage.objects.filter(pk=outbound.pk).update(
        status=OutboundStatus.SENDING, last_attempt_at=clock.now()
    )

    out = StringIO()
    call_command("email_retry_failed", stdout=out)

    outbound.refresh_from_db()
    assert outbound.status == OutboundStatus.SENDING
    assert "поставлено в очередь: 0" in out.getvalue()


def test_the_secret_link_in_the_acknowledgement_opens_the_guest_page(
    mailbox: Any, client: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    import re
    from urllib.parse import urlsplit

    ticket = ingest(mailbox, django_capture_on_commit_callbacks, mail())
    link = re.search(r"https?://\S+/t/\S+/", mailoutbox[0].body)
    assert link is not None

    page = client.get(urlsplit(link.group(0)).path)

    assert page.status_code == 200
    assert ticket.display_number in page.content.decode()


@hypothesis_settings(max_examples=200, deadline=None)
@given(moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)))
def test_deadlines_read_as_django_writes_russian_dates(moment: datetime) -> None:
    aware = moment.replace(tzinfo=UTC)
    with translation.override("ru"):
        expected = formats.date_format(timezone.localtime(aware), "j E Y, H:i")
    assert format_due(aware) == f"{expected} (МСК)"
    assert format_due(None) == "не установлен"
