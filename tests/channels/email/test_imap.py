"""Polling a real Dovecot server: UID based, flagged only after commit, exactly once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from servicedesk.channels.email import imap, intake
from servicedesk.channels.email.imap import mailbox_poll
from servicedesk.channels.email.intake import email_inbound_retry
from servicedesk.channels.email.models import InboundMessage, InboundStatus, Mailbox
from servicedesk.tickets.models import Ticket

from .messages import mail

CORPUS = Path(__file__).parent / "corpus"
SEEN = b"\\Seen"

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


class Killed(BaseException):
    """Stands for the process being killed: nothing in the code catches it."""


def connected(mailbox: Mailbox) -> Mailbox:
    """Make the first poll (which only records where the folder starts) and reload."""
    report = mailbox_poll(mailbox)
    assert report.error == ""
    return Mailbox.objects.get(pk=mailbox.pk)


def flagged(dovecot: Any, folder: str) -> list[bool]:
    return [SEEN in flags for _, flags in sorted(dovecot.flags(folder).items())]


def test_new_mail_becomes_tickets_and_is_flagged_seen(imap_mailbox: Mailbox, dovecot: Any) -> None:
    mailbox = connected(imap_mailbox)
    dovecot.deliver(mailbox.folder, mail(subject="Первое"), mail(subject="Второе"))

    report = mailbox_poll(mailbox)

    assert report.error == ""
    assert [r.outcome for r in report.results] == ["created", "created"]
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["Второе", "Первое"]
    assert flagged(dovecot, mailbox.folder) == [True, True]
    mailbox.refresh_from_db()
    assert mailbox.last_uid == 2
    assert mailbox.last_polled_at is not None
    assert InboundMessage.objects.filter(imap_uid=1, source="imap").exists()
    assert mailbox_poll(mailbox).fetched == 0


def test_a_mailbox_connected_without_history_skips_the_mail_already_there(
    imap_mailbox: Mailbox, dovecot: Any
) -> None:
    dovecot.deliver(imap_mailbox.folder, mail(subject="Старое 1"), mail(subject="Старое 2"))

    first = mailbox_poll(imap_mailbox)
    dovecot.deliver(imap_mailbox.folder, mail(subject="Новое"))
    second = mailbox_poll(Mailbox.objects.get(pk=imap_mailbox.pk))

    assert first.fetched == 0
    assert second.fetched == 1
    assert list(Ticket.objects.values_list("subject", flat=True)) == ["Новое"]
    assert flagged(dovecot, imap_mailbox.folder) == [False, False, True]


def test_a_mailbox_can_import_its_history_from_a_given_uid(
    imap_mailbox: Mailbox, dovecot: Any
) -> None:
    dovecot.deliver(
        imap_mailbox.folder,
        mail(subject="Очень старое"),
        mail(subject="Старое"),
        mail(subject="Вчера"),
    )
    imap_mailbox.import_history = True
    imap_mailbox.start_uid = 2
    imap_mailbox.save()

    report = mailbox_poll(imap_mailbox)

    assert report.fetched == 2
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["Вчера", "Старое"]


def test_killed_between_fetch_and_commit_the_message_is_read_again_and_taken_once(
    imap_mailbox: Mailbox, dovecot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    mailbox = connected(imap_mailbox)
    dovecot.deliver(mailbox.folder, mail(subject="Касса"))
    real = InboundMessage.objects.bulk_create  # the batch writes its log rows so

    def die_before_commit(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)  # the ticket and the row exist inside the transaction…
        raise Killed  # …and the process dies before COMMIT

    monkeypatch.setattr(InboundMessage.objects, "bulk_create", die_before_commit)
    with pytest.raises(Killed):
        mailbox_poll(mailbox)

    assert not Ticket.objects.exists()
    assert not InboundMessage.objects.exists()
    assert flagged(dovecot, mailbox.folder) == [False]

    monkeypatch.setattr(InboundMessage.objects, "bulk_create", real)
    report = mailbox_poll(Mailbox.objects.get(pk=mailbox.pk))

    assert [r.outcome for r in report.results] == ["created"]
    assert Ticket.objects.count() == 1
    assert flagged(dovecot, mailbox.folder) == [True]


def test_killed_between_commit_and_flag_the_message_is_not_taken_twice(
    imap_mailbox: Mailbox, dovecot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    mailbox = connected(imap_mailbox)
    dovecot.deliver(mailbox.folder, mail(subject="Касса"), mail(subject="Сканер"))

    def die_before_flag(*args: Any, **kwargs: Any) -> None:
        raise Killed

    monkeypatch.setattr(imap, "mark_done", die_before_flag)
    with pytest.raises(Killed):
        mailbox_poll(mailbox)

    assert Ticket.objects.count() == 2  # the batch is committed
    assert flagged(dovecot, mailbox.folder) == [False, False]

    monkeypatch.undo()
    report = mailbox_poll(Mailbox.objects.get(pk=mailbox.pk))

    assert [r.outcome for r in report.results] == ["duplicate", "duplicate"]
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["Касса", "Сканер"]
    assert InboundMessage.objects.count() == 2
    assert flagged(dovecot, mailbox.folder) == [True, True]


def test_a_bad_message_is_quarantined_and_the_rest_of_the_batch_goes_on(
    imap_mailbox: Mailbox, dovecot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from servicedesk.channels.email import handling

    mailbox = connected(imap_mailbox)
    dovecot.deliver(mailbox.folder, mail(subject="До"), mail(subject="яд"), mail(subject="После"))
    real = handling._append_or_create

    def explode_on_poison(message: Any, *rest: Any) -> Any:
        if message.parsed.subject == "яд":
            raise RuntimeError("сломалось на этом письме")
        return real(message, *rest)

    monkeypatch.setattr(handling, "_append_or_create", explode_on_poison)
    report = mailbox_poll(mailbox)

    assert [r.outcome for r in report.results] == ["created", "quarantined", "created"]
    assert flagged(dovecot, mailbox.folder) == [True, True, True]
    kept = InboundMessage.objects.get(status=InboundStatus.QUARANTINED)
    assert kept.subject == "яд"
    assert "сломалось на этом письме" in kept.error

    monkeypatch.undo()
    assert email_inbound_retry(inbound=kept).outcome == "created"
    assert Ticket.objects.count() == 3
    assert mailbox_poll(Mailbox.objects.get(pk=mailbox.pk)).fetched == 0


def test_the_whole_ugly_corpus_goes_through_imap_without_loss(
    imap_mailbox: Mailbox, dovecot: Any
) -> None:
    mailbox = connected(imap_mailbox)
    paths = sorted(p for p in CORPUS.glob("*.eml") if p.stat().st_size > 0)  # IMAP refuses 0 bytes
    dovecot.deliver(mailbox.folder, *(p.read_bytes() for p in paths))

    report = mailbox_poll(mailbox)

    assert report.fetched == len(paths)
    assert "quarantined" not in [r.outcome for r in report.results]
    assert InboundMessage.objects.count() == len(paths)
    assert all(flagged(dovecot, mailbox.folder))


def test_a_changed_uidvalidity_rereads_the_folder_without_duplicates(
    imap_mailbox: Mailbox, dovecot: Any
) -> None:
    mailbox = connected(imap_mailbox)
    messages = [
        mail(subject="Раз", message_id="uv1@x.ru"),
        mail(subject="Два", message_id="uv2@x.ru"),
    ]
    dovecot.deliver(mailbox.folder, *messages)
    mailbox_poll(mailbox)
    old_validity = Mailbox.objects.get(pk=mailbox.pk).uidvalidity
    with dovecot.client() as client:  # the server rebuilds the folder: new UIDVALIDITY
        client.delete_folder(mailbox.folder)
        client.create_folder(mailbox.folder)
    dovecot.deliver(mailbox.folder, *messages, mail(subject="Три", message_id="uv3@x.ru"))

    report = mailbox_poll(Mailbox.objects.get(pk=mailbox.pk))

    assert report.rescanned
    assert [r.outcome for r in report.results] == ["duplicate", "duplicate", "created"]
    assert Ticket.objects.count() == 3
    assert Mailbox.objects.get(pk=mailbox.pk).uidvalidity != old_validity
    assert all(flagged(dovecot, mailbox.folder))


def test_processed_mail_can_be_moved_to_another_folder(imap_mailbox: Mailbox, dovecot: Any) -> None:
    done = dovecot.new_folder()
    imap_mailbox.processed_folder = done
    imap_mailbox.save()
    mailbox = connected(imap_mailbox)
    dovecot.deliver(mailbox.folder, mail())

    mailbox_poll(mailbox)

    assert dovecot.count(mailbox.folder) == 0
    assert dovecot.count(done) == 1
    assert Ticket.objects.count() == 1


def test_a_wrong_password_is_shown_on_the_mailbox_and_breaks_nothing(
    imap_mailbox: Mailbox,
) -> None:
    imap_mailbox.set_password("wrong")
    imap_mailbox.save()

    report = mailbox_poll(imap_mailbox)

    imap_mailbox.refresh_from_db()
    assert report.error
    assert (
        "LoginError" in imap_mailbox.last_error or "AUTHENTICATIONFAILED" in imap_mailbox.last_error
    )
    assert imap_mailbox.last_error_at is not None


def test_an_unreachable_server_is_shown_on_the_mailbox(imap_mailbox: Mailbox) -> None:
    from tests.channels.conftest import free_port

    imap_mailbox.imap_port = free_port()
    imap_mailbox.save()

    report = mailbox_poll(imap_mailbox)

    imap_mailbox.refresh_from_db()
    assert "ConnectionRefusedError" in report.error
    assert imap_mailbox.last_error


def test_the_periodic_task_polls_every_active_mailbox(imap_mailbox: Mailbox, dovecot: Any) -> None:
    from servicedesk.channels.email.tasks import email_poll_mailboxes

    connected(imap_mailbox)
    dovecot.deliver(imap_mailbox.folder, mail(subject="Из фоновой задачи"))

    email_poll_mailboxes.call_local()

    assert Ticket.objects.get().subject == "Из фоновой задачи"


def test_the_admin_can_check_the_connection(imap_mailbox: Mailbox) -> None:
    from servicedesk.channels.email.imap import mailbox_check

    assert mailbox_check(imap_mailbox).startswith("подключение работает")


def test_big_messages_are_fetched_in_small_batches(
    imap_mailbox: Mailbox, dovecot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imap, "BATCH_BYTES", 3000)
    batches: list[int] = []
    real = intake.email_ingest_many

    def counting(*, mailbox: Any, messages: Any) -> Any:
        batches.append(len(messages))
        return real(mailbox=mailbox, messages=messages)

    monkeypatch.setattr(imap, "email_ingest_many", counting)
    mailbox = connected(imap_mailbox)
    big = mail(subject="Большое", body="Текст. " * 400)
    dovecot.deliver(mailbox.folder, mail(subject="1"), mail(subject="2"), big, mail(subject="3"))

    report = mailbox_poll(mailbox)

    assert report.fetched == 4
    assert batches == [2, 1, 1]
    assert all(flagged(dovecot, mailbox.folder))
