"""The intake and retry commands, as an MTA pipe and an operator use them."""

from __future__ import annotations

import io
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from servicedesk.channels.email import handling
from servicedesk.channels.email.models import InboundMessage, InboundStatus, Mailbox
from servicedesk.tickets.models import Ticket

from .messages import mail

CORPUS = Path(__file__).parent / "corpus"
pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("ingest_email", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_files_are_ingested_with_one_line_each(mailbox: Any, tmp_path: Path) -> None:
    first = tmp_path / "a.eml"
    first.write_bytes(mail(subject="Касса", message_id="a@x.ru"))
    auto = CORPUS / "20_out_of_office_auto_submitted.eml"

    out, _ = run("--mailbox", "support", str(first), str(auto), str(first))

    number = Ticket.objects.get().display_number
    assert out.splitlines() == [
        f"{first}: {number}: создано обращение",
        f"{auto}: —: пропущено — автоматическое письмо: Auto-Submitted: auto-replied",
        f"{first}: {number}: пропущено — уже принято ранее (Message-ID a@x.ru)",
    ]


def test_a_message_is_read_from_standard_input_as_an_mta_pipe_sends_it(
    mailbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(mail(subject="Из Postfix"))))

    out, _ = run("-")

    ticket = Ticket.objects.get()
    assert ticket.subject == "Из Postfix"
    assert out == f"stdin: {ticket.display_number}: создано обращение\n"
    assert InboundMessage.objects.get().source == "pipe"


def test_the_mailbox_must_be_named_when_there_are_several(
    mailbox: Any, world: dict[str, Any]
) -> None:
    Mailbox.objects.create(
        code="sales", name="Продажи", address="sales@plastek.ru", client=world["mega"]
    )
    with pytest.raises(CommandError, match="--mailbox"):
        run(str(CORPUS / "01_koi8r_body_and_subject.eml"))
    with pytest.raises(CommandError, match="не найден"):
        run("--mailbox", "nope", "-")


def test_a_missing_file_is_an_error(mailbox: Any) -> None:
    with pytest.raises(CommandError, match="Нет такого файла"):
        run("/nonexistent.eml")


def test_quarantined_mail_is_reported_and_retried_by_the_command(
    mailbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bad.eml"
    path.write_bytes(mail(subject="Сломанное"))

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("нет связи со справочником")

    monkeypatch.setattr(handling, "_append_or_create", broken)
    out, err = run(str(path))
    assert "в карантине — RuntimeError: нет связи со справочником" in out
    assert "в карантине: 1" in err

    monkeypatch.undo()
    out, _ = run("--retry-quarantined")

    inbound = InboundMessage.objects.get()
    assert inbound.status == InboundStatus.PROCESSED
    assert out == f"#{inbound.pk}: {Ticket.objects.get().display_number}: создано обращение\n"


def test_a_database_outage_asks_the_mta_to_try_again_later(
    mailbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import OperationalError

    from servicedesk.channels.management.commands import ingest_email

    def database_down(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection refused")

    monkeypatch.setattr(ingest_email, "email_ingest_many", database_down)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(mail())))

    with pytest.raises(SystemExit) as exit_info:
        run("-")

    assert exit_info.value.code == 75  # EX_TEMPFAIL: Postfix defers, never bounces


def test_an_import_of_many_files_keeps_start_up_objects_out_of_garbage_collection(
    mailbox: Any, tmp_path: Path
) -> None:
    import gc

    paths = []
    for n in range(51):  # more than one batch
        path = tmp_path / f"{n}.eml"
        path.write_bytes(mail(subject=f"Касса {n}", message_id=f"m{n}@x.ru"))
        paths.append(str(path))
    gc.unfreeze()
    try:
        out, _ = run("--mailbox", "support", *paths)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert out.count("создано обращение") == 51
    assert Ticket.objects.count() == 51
