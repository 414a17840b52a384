"""`manage.py ingest_email --jobs N`: an import of old mail shared between processes.

The database must be shared by the processes: these tests run on PostgreSQL as they
are; on the in-memory SQLite of the test run the command says it works in one process
(test_import_jobs_sqlite_file.py runs real processes on an SQLite file).
"""

from __future__ import annotations

import os
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection

from servicedesk.channels.email import import_jobs
from servicedesk.channels.email.import_jobs import MailFile, ingest_batch
from servicedesk.channels.email.models import InboundMessage
from servicedesk.tickets.models import Ticket

from .messages import mail

pytestmark = pytest.mark.django_db(transaction=True)


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("ingest_email", "--mailbox", "support", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(directory: Path, name: str, raw: bytes) -> str:
    path = directory / name
    path.write_bytes(raw)
    return str(path)


def conversations(directory: Path, count: int = 60) -> list[str]:
    """Requests, a colleague's replies to them, and the requesters' answers to those.

    A request's three messages lie far apart (in different batches) and come from two
    senders, so only the Message-IDs tie them together.
    """
    files = []
    for i in range(count):
        raw = mail(subject=f"Касса {i}", sender=f"kassa{i}@shop.ru", message_id=f"req{i}@x.ru")
        files.append(write(directory, f"a{i:03d}.eml", raw))
    for i in range(count):
        raw = mail(
            subject=f"Re: Касса {i}",
            sender=f"boss{i}@shop.ru",
            message_id=f"boss{i}@x.ru",
            in_reply_to=f"req{i}@x.ru",
        )
        files.append(write(directory, f"b{i:03d}.eml", raw))
    for i in range(count):
        raw = mail(
            subject=f"Re: Re: Касса {i}",
            sender=f"kassa{i}@shop.ru",
            message_id=f"again{i}@x.ru",
            in_reply_to=f"boss{i}@x.ru",
            references=[f"req{i}@x.ru", f"boss{i}@x.ru"],
        )
        files.append(write(directory, f"c{i:03d}.eml", raw))
    return files


def ticket_of(message_id: str) -> int | None:
    return InboundMessage.objects.get(message_id=message_id).ticket_id


def test_an_import_in_two_processes_keeps_every_conversation_on_its_ticket(
    mailbox: Any, tmp_path: Path
) -> None:
    old = write(tmp_path, "old.eml", mail(subject="Старое", message_id="old@x.ru"))
    run(old)
    old_ticket = Ticket.objects.get()
    files = conversations(tmp_path)
    files.append(
        write(
            tmp_path,
            "tagged.eml",
            mail(subject=f"Re: {old_ticket.display_number} Старое", message_id="tag@x.ru"),
        )
    )
    files.append(
        write(
            tmp_path,
            "anna.eml",
            mail(sender="anna@shop-ural.ru", message_id="anna@x.ru", in_reply_to="old@x.ru"),
        )
    )
    files.append(files[55])  # the same file twice

    out, err = run("--jobs", "2", *files)

    if connection.vendor == "postgresql":
        assert "письма принимают процессов: 2" in err
    else:
        assert "письма принимает один процесс: база SQLite в памяти" in err
    lines = out.splitlines()
    assert sorted(line.split(": ", 1)[0] for line in lines) == sorted(files)
    assert sum("создано обращение" in line for line in lines) == 60
    assert sum("уже принято ранее (Message-ID req55@x.ru)" in line for line in lines) == 1
    assert Ticket.objects.count() == 61
    for i in range(60):
        assert (
            ticket_of(f"req{i}@x.ru") == ticket_of(f"boss{i}@x.ru") == ticket_of(f"again{i}@x.ru")
        )
    assert ticket_of("tag@x.ru") == ticket_of("anna@x.ru") == old_ticket.pk
    assert old_ticket.comments.count() == 2


def disk_fails() -> None:
    raise RuntimeError("диск отвалился")


def process_dies() -> None:
    os._exit(9)


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("failure", "said"),
    [(disk_fails, "RuntimeError: диск отвалился"), (process_dies, "завершился с кодом 9")],
    ids=["raises", "dies"],
)
def test_a_failed_process_stops_only_its_part_and_the_import_can_be_run_again(
    mailbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: Any, said: str
) -> None:
    files = conversations(tmp_path)
    real = import_jobs.email_ingest_many
    this_process = os.getpid()

    def failing_on_kassa_7(**kwargs: Any) -> Any:
        # kassa7's request is in the first batch, handled here before the processes start.
        in_worker = os.getpid() != this_process
        if in_worker and any(b"kassa7@shop.ru" in m.raw for m in kwargs["messages"]):
            failure()
        return real(**kwargs)

    monkeypatch.setattr(import_jobs, "email_ingest_many", failing_on_kassa_7)

    with pytest.raises(CommandError) as error:
        run("--jobs", "2", *files)

    assert "приём прерван" in str(error.value) and said in str(error.value)
    imported_before = InboundMessage.objects.count()
    assert 60 < imported_before < 180  # the other process went on to the end

    monkeypatch.undo()
    out, _ = run("--jobs", "2", *files)

    assert out.count("уже принято ранее") == imported_before
    assert InboundMessage.objects.count() == 180
    assert Ticket.objects.count() == 60


def test_a_busy_database_has_the_batch_done_again(
    mailbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = Path(write(tmp_path, "a.eml", mail(subject="Касса", message_id="a@x.ru")))
    real = import_jobs.email_ingest_many
    calls = []

    def locked_once(**kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real(**kwargs)

    monkeypatch.setattr(import_jobs, "email_ingest_many", locked_once)

    [imported] = ingest_batch(mailbox, [MailFile("a", path)])

    assert imported.description.endswith("создано обращение")
    assert len(calls) == 2


def test_a_lost_database_is_not_retried(
    mailbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = Path(write(tmp_path, "a.eml", mail()))

    def refused(**kwargs: Any) -> Any:
        raise OperationalError("connection refused")

    monkeypatch.setattr(import_jobs, "email_ingest_many", refused)

    with pytest.raises(OperationalError, match="refused"):
        ingest_batch(mailbox, [MailFile("a", path)])


def test_jobs_must_be_a_positive_number(mailbox: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--jobs"):
        run("--jobs", "0", write(tmp_path, "a.eml", mail()))


def test_the_write_turn_is_held_around_the_batch_transaction_only(mailbox: Any) -> None:
    from contextlib import contextmanager

    from servicedesk.channels.email.intake import RawMail, email_ingest_many

    seen = []

    @contextmanager
    def turn() -> Any:
        seen.append(("taken", connection.in_atomic_block, InboundMessage.objects.count()))
        yield
        seen.append(("given back", connection.in_atomic_block, InboundMessage.objects.count()))

    email_ingest_many(mailbox=mailbox, messages=[RawMail(mail())], write_turn=turn())

    assert seen == [("taken", False, 0), ("given back", False, 1)]


@pytest.mark.django_db(transaction=False)
def test_inside_a_transaction_the_import_stays_in_one_process(mailbox: Any, tmp_path: Path) -> None:
    files = conversations(tmp_path, count=40)

    out, err = run("--jobs", "2", *files)

    assert "письма принимает один процесс: приём идёт внутри транзакции" in err
    assert out.count("создано обращение") == 40
    assert out.count("добавлено к обращению") == 80
