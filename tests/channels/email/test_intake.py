"""Intake from files and pipes: every message becomes a ticket or comment exactly once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from servicedesk.accounts.models import ContactEmail, ContactKind
from servicedesk.channels.email import handling
from servicedesk.channels.email.intake import email_inbound_retry, email_ingest
from servicedesk.channels.email.models import InboundMessage, InboundStatus
from servicedesk.tickets.models import Attachment, Ticket

from .messages import mail

CORPUS = Path(__file__).parent / "corpus"
pytestmark = pytest.mark.django_db


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def poison_fails_after_its_ticket(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the message with subject «яд» fail once its ticket (and contact) are written."""
    real = handling._append_or_create

    def fail_after_the_ticket(message: Any, *rest: Any) -> Any:
        done = real(message, *rest)
        if message.parsed.subject == "яд":
            raise RuntimeError("упало после создания обращения")
        return done

    monkeypatch.setattr(handling, "_append_or_create", fail_after_the_ticket)


def test_new_message_opens_a_ticket_for_a_new_guest_of_the_mailbox_client(mailbox: Any) -> None:
    result = email_ingest(mailbox=mailbox, raw=mail())

    ticket = Ticket.objects.get()
    assert result.outcome == "created"
    assert result.ticket_number == ticket.display_number
    assert result.describe() == f"{ticket.display_number}: создано обращение"
    assert ticket.subject == "Касса не печатает чек"
    assert ticket.channel == "email"
    assert ticket.client == mailbox.client
    assert ticket.description.startswith("Здравствуйте!\n\nНа кассе 2")
    requester = ticket.requester
    assert requester is not None
    assert requester.kind == ContactKind.GUEST
    assert requester.full_name == "Иван Петров"
    assert requester.client == mailbox.client
    assert list(requester.emails.values_list("address", flat=True)) == ["ivan@shop-ural.ru"]
    assert ticket.events.first().actor_label == "Почта: support@plastek.ru"


def test_known_sender_is_matched_whatever_the_case_of_the_address(mailbox: Any) -> None:
    email_ingest(mailbox=mailbox, raw=mail(sender="ivan@shop-ural.ru"))
    email_ingest(mailbox=mailbox, raw=mail(sender="Ivan <IVAN@Shop-Ural.RU>", subject="Ещё"))

    assert ContactEmail.objects.count() == 1
    assert Ticket.objects.filter(requester__emails__address="ivan@shop-ural.ru").count() == 2


def test_raw_message_is_kept_privately_and_with_the_ticket_as_an_internal_file(
    mailbox: Any,
) -> None:
    raw = mail()
    result = email_ingest(mailbox=mailbox, raw=raw)

    inbound = result.inbound
    assert inbound is not None
    with inbound.raw.open("rb") as handle:
        assert handle.read() == raw
    assert inbound.status == InboundStatus.PROCESSED
    assert inbound.raw_sha256 and inbound.size == len(raw)
    original = Attachment.objects.get(ticket=inbound.ticket, content_type="message/rfc822")
    assert original.is_public is False
    assert original.filename.startswith("исходное-письмо-") and original.filename.endswith(".eml")
    assert original.size == len(raw)
    with original.file.open("rb") as handle:
        assert handle.read() == raw
    assert original.file.name == inbound.raw.name  # one copy on disk, not two


def test_the_same_message_read_twice_is_ingested_once(mailbox: Any) -> None:
    raw = mail(message_id="once@shop-ural.ru")
    first = email_ingest(mailbox=mailbox, raw=raw)
    second = email_ingest(mailbox=mailbox, raw=raw)

    assert Ticket.objects.count() == 1
    assert InboundMessage.objects.count() == 1
    assert second.outcome == "duplicate"
    assert second.ticket_number == first.ticket_number
    assert "уже принято" in second.describe()


def test_the_same_message_through_two_aliases_is_still_one_ticket(mailbox: Any) -> None:
    raw = mail(message_id="alias@shop-ural.ru")
    email_ingest(mailbox=mailbox, raw=b"Received: from a by mx1\r\n" + raw)
    again = email_ingest(mailbox=mailbox, raw=b"Received: from b by mx2\r\n" + raw)

    assert again.outcome == "duplicate"
    assert Ticket.objects.count() == 1


def test_two_different_messages_that_reuse_one_message_id_are_both_kept(mailbox: Any) -> None:
    first = email_ingest(mailbox=mailbox, raw=mail(message_id="1c@kassa", subject="Смена 1"))
    second = email_ingest(mailbox=mailbox, raw=mail(message_id="1c@kassa", subject="Смена 2"))

    assert (first.outcome, second.outcome) == ("created", "created")
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["Смена 1", "Смена 2"]


def test_message_without_message_id_is_deduplicated_by_its_content(mailbox: Any) -> None:
    raw = mail().replace(b"Message-ID:", b"X-Old-Message-ID:")
    email_ingest(mailbox=mailbox, raw=raw)
    again = email_ingest(mailbox=mailbox, raw=b"Received: from relay\r\n" + raw)

    assert again.outcome == "duplicate"
    assert Ticket.objects.count() == 1
    assert InboundMessage.objects.get().message_id_synthesised


def test_quoted_history_is_stored_in_full_and_its_start_is_marked(mailbox: Any) -> None:
    result = email_ingest(mailbox=mailbox, raw=corpus("14_outlook_reply_ru.eml"))

    ticket = Ticket.objects.get()
    inbound = result.inbound
    assert inbound is not None and inbound.quote_start is not None
    visible = ticket.description[: inbound.quote_start].rstrip()
    quoted = ticket.description[inbound.quote_start :]
    assert visible.endswith("тел. +7 (343) 555-00-11")
    assert quoted.startswith("От: Служба поддержки Пластек")
    assert "Ваша заявка SD-000077 принята" in quoted


def test_message_without_quote_has_no_quote_mark(mailbox: Any) -> None:
    result = email_ingest(mailbox=mailbox, raw=mail())
    assert result.inbound is not None and result.inbound.quote_start is None


def test_html_only_mail_becomes_text_without_scripts(mailbox: Any) -> None:
    email_ingest(mailbox=mailbox, raw=corpus("10_html_only_script_onclick.eml"))

    description = Ticket.objects.get().description
    assert description
    assert "<script" not in description and "alert(" not in description
    assert "onclick" not in description


@pytest.mark.parametrize(
    ("name", "subject"),
    [
        ("01_koi8r_body_and_subject.eml", "Не печатает чек на кассе 2"),
        ("02_cp1251_body_without_charset.eml", "Счёт за ноябрь"),
        ("03_raw_8bit_cp1251_subject.eml", "Не работает терминал оплаты в зале"),
    ],
)
def test_russian_mail_in_old_charsets_reads_as_russian(
    mailbox: Any, name: str, subject: str
) -> None:
    email_ingest(mailbox=mailbox, raw=corpus(name))
    assert Ticket.objects.get().subject == subject


def test_attachments_keep_their_cyrillic_names_and_are_public(mailbox: Any) -> None:
    result = email_ingest(mailbox=mailbox, raw=corpus("04_rfc2231_cyrillic_filename.eml"))

    files = Attachment.objects.filter(ticket__number=int(str(result.ticket_number)[3:]))
    public = sorted(files.filter(is_public=True).values_list("filename", flat=True))
    assert public == ["Акт сверки.pdf", "Счёт на оплату.xlsx"]
    assert files.filter(is_public=False).count() == 1  # the raw .eml


def test_message_without_subject_takes_its_first_line(mailbox: Any) -> None:
    email_ingest(mailbox=mailbox, raw=mail(subject="", body="Сломался сканер\n\nПодробности"))
    assert Ticket.objects.get().subject == "Сломался сканер"


def test_message_without_subject_or_text_is_still_a_ticket(mailbox: Any) -> None:
    email_ingest(mailbox=mailbox, raw=corpus("09_empty_body.eml"))
    assert Ticket.objects.count() == 1


def test_message_without_sender_opens_a_ticket_without_requester_or_answer(
    mailbox: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email_ingest(mailbox=mailbox, raw=corpus("08_no_from.eml"))

    ticket = Ticket.objects.get()
    assert ticket.requester is None
    assert mailoutbox == []


def test_unparseable_bytes_become_a_ticket_holding_the_raw_source(mailbox: Any) -> None:
    raw = corpus("27_garbage_bytes.eml")
    result = email_ingest(mailbox=mailbox, raw=raw)

    ticket = Ticket.objects.get()
    assert result.outcome == "created"
    assert ticket.subject == "Письмо, которое не удалось прочитать"
    assert "не удалось разобрать" in ticket.description
    source = Attachment.objects.get(ticket=ticket)
    assert source.is_public is False
    with source.file.open("rb") as handle:
        assert handle.read() == raw


def test_an_empty_message_is_reported_as_a_ticket_not_dropped(mailbox: Any) -> None:
    email_ingest(mailbox=mailbox, raw=b"")

    ticket = Ticket.objects.get()
    assert "пустое письмо" in ticket.description


def test_every_corpus_message_is_stored_and_none_is_quarantined(mailbox: Any) -> None:
    paths = sorted(CORPUS.glob("*.eml"))
    results = [email_ingest(mailbox=mailbox, raw=path.read_bytes()) for path in paths]

    assert [r.outcome for r in results if r.outcome == "quarantined"] == []
    assert InboundMessage.objects.count() == len(paths)
    assert not InboundMessage.objects.filter(status=InboundStatus.RECEIVED).exists()


def test_a_message_that_breaks_handling_is_quarantined_and_the_next_one_goes_on(
    mailbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = handling._append_or_create

    def explode_on_poison(message: Any, *rest: Any) -> Any:
        if message.parsed.subject == "яд":
            raise RuntimeError("обработчик упал")
        return real(message, *rest)

    monkeypatch.setattr(handling, "_append_or_create", explode_on_poison)
    bad = email_ingest(mailbox=mailbox, raw=mail(subject="яд"))
    good = email_ingest(mailbox=mailbox, raw=mail(subject="Обычное письмо"))

    assert bad.outcome == "quarantined"
    assert "обработчик упал" in bad.describe()
    assert good.outcome == "created"
    kept = InboundMessage.objects.get(status=InboundStatus.QUARANTINED)
    assert "RuntimeError: обработчик упал" in kept.error
    assert kept.ticket is None
    assert Ticket.objects.get().subject == "Обычное письмо"
    # read again it is not ingested twice either
    assert email_ingest(
        mailbox=mailbox, raw=mail(subject="яд", message_id=kept.message_id)
    ).outcome in {
        "duplicate",
        "quarantined",
    }

    monkeypatch.setattr(handling, "_append_or_create", real)
    retried = email_inbound_retry(inbound=kept)
    kept.refresh_from_db()
    assert retried.outcome == "created"
    assert kept.status == InboundStatus.PROCESSED
    assert kept.attempts == 2
    assert kept.error == ""
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["Обычное письмо", "яд"]


def test_a_failed_retry_keeps_the_message_in_quarantine_with_the_new_error(
    mailbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def always_fail(*args: Any) -> Any:
        raise ValueError("всё ещё сломано")

    monkeypatch.setattr(handling, "_append_or_create", always_fail)
    email_ingest(mailbox=mailbox, raw=mail())
    kept = InboundMessage.objects.get()
    result = email_inbound_retry(inbound=kept)

    kept.refresh_from_db()
    assert result.outcome == "quarantined"
    assert kept.status == InboundStatus.QUARANTINED
    assert kept.attempts == 2
    assert "ValueError: всё ещё сломано" in kept.error
    assert not Ticket.objects.exists()


def test_a_batch_classifies_its_new_requests_in_one_model_call(
    mailbox: Any, model_calls: list[int]
) -> None:
    from servicedesk.channels.email.intake import RawMail, email_ingest_many

    email_ingest(mailbox=mailbox, raw=mail(message_id="old@shop-ural.ru"))  # a model exists
    calls = model_calls
    calls.clear()
    batch = [
        mail(subject="Не начислились баллы по карте", body="Покупка вчера, баллов нет."),
        mail(subject="Отчёт по продажам за октябрь", body="Пришлите выгрузку, пожалуйста."),
        mail(subject="Re: Касса не печатает чек", in_reply_to="old@shop-ural.ru"),
        mail(subject="Сканер не читает карты", body="Сканер на кассе 3 молчит."),
    ]

    results = email_ingest_many(mailbox=mailbox, messages=[RawMail(raw) for raw in batch])

    assert [r.outcome for r in results] == ["created", "created", "appended", "created"]
    assert calls == [3]  # the three new requests together, nothing one by one
    for ticket in Ticket.objects.exclude(subject="Касса не печатает чек"):
        assert ticket.suggested_services, ticket.subject


def test_a_batch_reads_its_senders_and_copies_once_and_still_answers_each_sender_once(
    mailbox: Any,
) -> None:
    from servicedesk.channels.email.intake import RawMail, email_ingest_many
    from servicedesk.channels.email.models import OutboundKind, OutboundMessage

    first = mail(sender="Ольга <olga@shop-ural.ru>", message_id="dup@shop-ural.ru")
    batch = [
        first,
        first,  # the same message twice in one batch (a re-run pipe)
        mail(sender="Ольга <OLGA@shop-ural.ru>", subject="Ещё касса"),
        mail(sender="Пётр <petr@shop-ural.ru>", subject="Сканер"),
    ]

    results = email_ingest_many(mailbox=mailbox, messages=[RawMail(raw) for raw in batch])

    assert [r.outcome for r in results] == ["created", "duplicate", "created", "created"]
    assert ContactEmail.objects.filter(address="olga@shop-ural.ru").count() == 1
    olga = ContactEmail.objects.get(address="olga@shop-ural.ru").contact
    assert Ticket.objects.filter(requester=olga).count() == 2
    acknowledged = OutboundMessage.objects.filter(kind=OutboundKind.RECEIVED)
    assert sorted(acknowledged.values_list("to_address", flat=True)) == [
        "olga@shop-ural.ru",  # once: the second ticket within the interval gets none
        "petr@shop-ural.ru",
    ]


def test_a_message_rolled_back_in_a_batch_leaves_nothing_the_next_one_relies_on(
    mailbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The poison created a contact and an acknowledgement before it failed; both are
    rolled back, so the next message of the same new sender must create them again."""
    from servicedesk.channels.email.intake import RawMail, email_ingest_many
    from servicedesk.channels.email.models import OutboundKind, OutboundMessage

    poison_fails_after_its_ticket(monkeypatch)
    sender = "Новый <new@shop-ural.ru>"
    batch = [mail(sender=sender, subject="яд"), mail(sender=sender, subject="Касса 5")]

    results = email_ingest_many(mailbox=mailbox, messages=[RawMail(raw) for raw in batch])

    assert [r.outcome for r in results] == ["quarantined", "created"]
    ticket = Ticket.objects.get()
    assert ticket.subject == "Касса 5"
    assert ticket.requester.emails.get().address == "new@shop-ural.ru"
    assert list(
        OutboundMessage.objects.filter(kind=OutboundKind.RECEIVED).values_list(
            "ticket__subject", flat=True
        )
    ) == ["Касса 5"]


def test_a_batch_with_a_failing_message_is_done_again_message_by_message_without_copies(
    mailbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast attempt writes the batch together and is rolled back whole by the poison;
    the careful attempt quarantines the poison alone. Nothing of the first attempt stays:
    no second history, no second acknowledgement, no second raw file on disk."""
    from django.core.files.storage import default_storage

    from servicedesk.channels.email.intake import RawMail, email_ingest_many
    from servicedesk.channels.email.models import OutboundKind, OutboundMessage
    from servicedesk.tickets.models import TicketEvent

    real = handling._append_or_create

    def explode_on_poison(message: Any, *rest: Any) -> Any:
        if message.parsed.subject == "яд":
            raise RuntimeError("обработчик упал")
        return real(message, *rest)

    monkeypatch.setattr(handling, "_append_or_create", explode_on_poison)
    photo = ("чек.jpg", b"\xff\xd8\xff\xe0" + b"0" * 2000, "image/jpeg")
    batch = [
        mail(sender="Ольга <olga@shop-ural.ru>", subject="Касса 1", attachments=[photo]),
        mail(sender="Яд <poison@shop-ural.ru>", subject="яд"),
        mail(sender="Пётр <petr@shop-ural.ru>", subject="Касса 2"),
    ]

    inbound_dir = Path(default_storage.path("mail/inbound"))
    files_before = set(inbound_dir.rglob("*.eml"))
    attachments_dir = Path(default_storage.path("attachments"))
    attachment_files_before = set(attachments_dir.rglob("*.*"))

    results = email_ingest_many(mailbox=mailbox, messages=[RawMail(raw) for raw in batch])

    assert [r.outcome for r in results] == ["created", "quarantined", "created"]
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["Касса 1", "Касса 2"]
    assert TicketEvent.objects.filter(type="created").count() == 2
    assert OutboundMessage.objects.filter(kind=OutboundKind.RECEIVED).count() == 2
    assert ContactEmail.objects.filter(address="poison@shop-ural.ru").count() == 0
    new_files = set(inbound_dir.rglob("*.eml")) - files_before
    assert sorted(f.name for f in new_files) == sorted(
        Path(row.raw.name).name for row in InboundMessage.objects.all()
    )
    assert len(new_files) == 3
    # the photo was stored by the first attempt too; only the kept one is on disk
    new_attachment_files = set(attachments_dir.rglob("*.*")) - attachment_files_before
    assert [f.name for f in new_attachment_files] == [
        Path(Attachment.objects.get(filename="чек.jpg").file.name).name
    ]


def test_a_sender_another_process_just_created_is_found_not_quarantined(
    mailbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the batch's look-up and its insert another intake created the contact:
    the insert hits the unique address, the message is handled again and finds it."""
    from servicedesk.accounts import email_contacts
    from servicedesk.accounts.models import Contact
    from servicedesk.channels.email.intake import RawMail, email_ingest_many

    other = Contact.objects.create(kind=ContactKind.GUEST, full_name="Ольга", client=mailbox.client)
    ContactEmail.objects.create(contact=other, address="olga@shop-ural.ru")
    real = email_contacts.contact_by_email
    missed: list[str] = []

    def not_there_yet(address: str | None) -> Any:
        if address == "olga@shop-ural.ru" and len(missed) < 2:  # the fast and the careful try
            missed.append(address)
            return None
        return real(address)

    monkeypatch.setattr(email_contacts, "contact_by_email", not_there_yet)

    results = email_ingest_many(
        mailbox=mailbox, messages=[RawMail(mail(sender="Ольга <olga@shop-ural.ru>"))]
    )

    assert [r.outcome for r in results] == ["created"]
    assert len(missed) == 2
    assert Ticket.objects.get().requester == other
    assert ContactEmail.objects.filter(address="olga@shop-ural.ru").count() == 1


def test_a_batch_writes_its_history_and_clocks_with_one_insert_per_table(mailbox: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from servicedesk.channels.email.intake import RawMail, email_ingest_many
    from servicedesk.sla.models import SlaClock
    from servicedesk.tickets.models import TicketEvent

    email_ingest(mailbox=mailbox, raw=mail(message_id="first@shop-ural.ru"))  # a model exists
    batch = [mail(sender=f"Кассир <k{n}@shop-ural.ru>", subject=f"Касса {n}") for n in range(4)]

    with CaptureQueriesContext(connection) as queries:
        results = email_ingest_many(mailbox=mailbox, messages=[RawMail(raw) for raw in batch])

    assert [r.outcome for r in results] == ["created"] * 4
    written = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    for table in ("tickets_ticketevent", "sla_slaclock", "sla_slaclockentry"):
        assert sum(1 for sql in written if sql.startswith(f'INSERT INTO "{table}"')) == 1, table
    assert TicketEvent.objects.filter(type="created").count() == 5
    subjects = [f"Касса {n}" for n in range(4)]
    per_ticket = SlaClock.objects.filter(ticket__subject="Касса не печатает чек").count()
    assert per_ticket >= 2  # reaction and resolution at least
    assert SlaClock.objects.filter(ticket__subject__in=subjects).count() == 4 * per_ticket


def test_a_copy_in_a_batch_leaves_no_raw_file_behind(mailbox: Any) -> None:
    """A batch writes its raw files ahead, while it works; a copy's file is deleted."""
    from django.core.files.storage import default_storage

    from servicedesk.channels.email.intake import RawMail, email_ingest_many

    inbound_dir = Path(default_storage.path("mail/inbound"))
    files_before = set(inbound_dir.rglob("*.eml"))
    raw = mail(message_id="twice@shop-ural.ru")

    results = email_ingest_many(
        mailbox=mailbox, messages=[RawMail(raw), RawMail(raw), RawMail(mail(subject="Другое"))]
    )

    assert [r.outcome for r in results] == ["created", "duplicate", "created"]
    new_files = set(inbound_dir.rglob("*.eml")) - files_before
    assert sorted(f.name for f in new_files) == sorted(
        Path(name).name for name in InboundMessage.objects.values_list("raw", flat=True)
    )
    assert len(new_files) == 2


def test_a_retry_racing_another_process_for_the_sender_finds_its_contact(
    mailbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from servicedesk.accounts import email_contacts
    from servicedesk.accounts.models import Contact

    real_handler = handling._append_or_create

    def fail(*args: Any) -> Any:
        raise RuntimeError("обработчик упал")

    monkeypatch.setattr(handling, "_append_or_create", fail)
    email_ingest(mailbox=mailbox, raw=mail(sender="Ольга <olga@shop-ural.ru>"))
    kept = InboundMessage.objects.get(status=InboundStatus.QUARANTINED)
    monkeypatch.setattr(handling, "_append_or_create", real_handler)
    other = Contact.objects.create(kind=ContactKind.GUEST, full_name="Ольга", client=mailbox.client)
    ContactEmail.objects.create(contact=other, address="olga@shop-ural.ru")
    real_lookup = email_contacts.contact_by_email
    missed: list[str] = []

    def not_there_yet(address: str | None) -> Any:
        if address == "olga@shop-ural.ru" and not missed:
            missed.append(address)
            return None
        return real_lookup(address)

    monkeypatch.setattr(email_contacts, "contact_by_email", not_there_yet)

    result = email_inbound_retry(inbound=kept)

    assert result.outcome == "created"
    assert missed == ["olga@shop-ural.ru"]
    assert Ticket.objects.get().requester == other


def test_a_reply_in_the_same_batch_as_its_request_is_added_to_that_ticket(
    mailbox: Any,
) -> None:
    """Replies find their ticket from what the batch read at its start and what it wrote
    since, with one look-up of Message-IDs for the whole batch."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from servicedesk.channels.email.intake import RawMail, email_ingest_many

    email_ingest(mailbox=mailbox, raw=mail(message_id="old@shop-ural.ru", subject="Старая"))
    batch = [
        mail(message_id="new@shop-ural.ru", subject="Новая"),
        mail(message_id="r1@shop-ural.ru", subject="Re: Новая", in_reply_to="new@shop-ural.ru"),
        mail(message_id="r2@shop-ural.ru", subject="Re: Старая", in_reply_to="old@shop-ural.ru"),
        mail(
            message_id="r3@shop-ural.ru",
            subject="Re: Re: Новая",
            in_reply_to="r1@shop-ural.ru",
            references=["new@shop-ural.ru", "r1@shop-ural.ru"],
        ),
    ]

    with CaptureQueriesContext(connection) as queries:
        results = email_ingest_many(mailbox=mailbox, messages=[RawMail(raw) for raw in batch])

    assert [r.outcome for r in results] == ["created", "appended", "appended", "appended"]
    new, old = Ticket.objects.get(subject="Новая"), Ticket.objects.get(subject="Старая")
    assert [r.ticket_number for r in results] == [new.display_number, new.display_number,
                                                  old.display_number, new.display_number]  # fmt: skip
    assert new.comments.count() == 2 and old.comments.count() == 1
    looked_up = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and '"channels_ticketmessageid"' in q["sql"]
    ]
    assert len(looked_up) == 1


def test_a_reply_to_a_message_rolled_back_in_its_batch_opens_a_ticket_of_its_own(
    mailbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from servicedesk.channels.email.intake import RawMail, email_ingest_many

    poison_fails_after_its_ticket(monkeypatch)
    batch = [
        mail(message_id="poison@shop-ural.ru", subject="яд"),
        mail(message_id="r@shop-ural.ru", subject="Re: яд", in_reply_to="poison@shop-ural.ru"),
    ]

    results = email_ingest_many(mailbox=mailbox, messages=[RawMail(raw) for raw in batch])

    assert [r.outcome for r in results] == ["quarantined", "created"]
    only = Ticket.objects.get()  # the poison's ticket was rolled back
    assert results[1].ticket_number == only.display_number
    assert only.comments.filter(is_public=True).count() == 0
