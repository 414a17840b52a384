"""A ticket's e-mail over the API, and the quote mark the UI folds history by."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from servicedesk.channels.email.intake import email_ingest
from servicedesk.channels.email.selectors import quote_starts, split_at_quote
from servicedesk.tickets.models import Ticket

from .messages import mail

CORPUS = Path(__file__).parent / "corpus"
pytestmark = pytest.mark.django_db


def test_staff_see_the_mail_of_a_ticket_with_delivery_state_and_quote_marks(
    mailbox: Any, world: dict[str, Any], api_as: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email_ingest(mailbox=mailbox, raw=(CORPUS / "15_gmail_ru_reply.eml").read_bytes())
    ticket = Ticket.objects.get()

    response = api_as(world["agent"]).get(f"/tickets/{ticket.display_number}/email")

    assert response.status_code == 200
    body = response.json()
    assert [m["outcome"] for m in body["inbound"]] == ["created"]
    assert [(m["kind"], m["status"]) for m in body["outbound"]] == [("received", "sent")]
    start = body["quote_starts"]["description"]
    visible, quoted = split_at_quote(ticket.description, start)
    assert quoted and not visible.endswith("\n")
    assert ticket.description.startswith(visible)


def test_client_users_may_not_read_the_mail_journal(
    mailbox: Any, world: dict[str, Any], api_as: Any
) -> None:
    email_ingest(mailbox=mailbox, raw=mail())
    ticket = Ticket.objects.get()

    response = api_as(world["mega_user"]).get(f"/tickets/{ticket.display_number}/email")

    assert response.status_code == 403


def test_quote_marks_point_at_comments_by_id(mailbox: Any) -> None:
    email_ingest(mailbox=mailbox, raw=mail(message_id="orig@shop-ural.ru"))
    email_ingest(
        mailbox=mailbox,
        raw=mail(
            in_reply_to="orig@shop-ural.ru",
            body="Всё ещё не работает.\n\n20.11.2026, 10:00, Поддержка пишет:\n> Перезагрузите",
        ),
    )
    ticket = Ticket.objects.get()
    comment = ticket.comments.get()

    starts = quote_starts(ticket)

    visible, quoted = split_at_quote(comment.body, starts[comment.pk])
    assert visible == "Всё ещё не работает."
    assert quoted.startswith("20.11.2026, 10:00, Поддержка пишет:")
    assert "description" not in starts  # the first mail had no quote


def test_the_workspace_folds_every_corpus_message_exactly_where_intake_marked_it(
    mailbox: Any,
) -> None:
    from servicedesk.channels.email.intake import email_ingest as ingest
    from servicedesk.channels.email.models import InboundMessage
    from servicedesk.web.templatetags.desk import split_quote

    for path in sorted(CORPUS.glob("*.eml")):
        ingest(mailbox=mailbox, raw=path.read_bytes())
    checked = 0
    for inbound in InboundMessage.objects.filter(outcome="created").select_related("ticket"):
        text = inbound.ticket.description
        marked = split_at_quote(text, inbound.quote_start)
        shown = split_quote(text)
        assert (shown.visible, shown.quoted) == marked, inbound.subject
        checked += bool(marked[1])
    assert checked >= 5  # the Outlook, Gmail, Yandex, Mail.ru, Thunderbird replies
