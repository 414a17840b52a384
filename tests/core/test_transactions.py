"""Services skip their savepoint only inside a block that is rolled back whole."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from servicedesk.core.errors import ValidationFailed
from servicedesk.core.transactions import rolled_back_whole
from servicedesk.tickets import services
from servicedesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def new(world: dict[str, Any], subject: str) -> services.NewTicket:
    return services.NewTicket(subject=subject, client=world["mega"].code, channel="phone")


def savepoints(queries: CaptureQueriesContext) -> int:
    return sum(1 for q in queries.captured_queries if q["sql"].startswith("SAVEPOINT"))


def test_a_caller_may_catch_a_service_error_and_go_on(world: dict[str, Any]) -> None:
    with CaptureQueriesContext(connection) as queries:
        services.ticket_create(actor=None, data=new(world, "Первое"))
    assert savepoints(queries) >= 1  # nested in the test's transaction: its own savepoint
    with pytest.raises(ValidationFailed):
        services.ticket_create(actor=None, data=new(world, ""))
    assert Ticket.objects.count() == 1  # the transaction is still usable


def test_inside_a_block_rolled_back_whole_services_open_no_savepoint(
    world: dict[str, Any],
) -> None:
    services.ticket_create(actor=None, data=new(world, "Первое"))  # trains the first model
    with CaptureQueriesContext(connection) as queries, rolled_back_whole():
        services.ticket_create(actor=None, data=new(world, "Второе"))
    assert savepoints(queries) == 1  # the block's own, nothing per service

    with pytest.raises(RuntimeError), rolled_back_whole():
        services.ticket_create(actor=None, data=new(world, "Третье"))
        raise RuntimeError("после создания")
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["Второе", "Первое"]


def test_a_service_that_fails_after_saving_a_file_leaves_no_file_behind(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from servicedesk.tickets.services import effects

    ticket = services.ticket_create(actor=None, data=new(world, "С файлом"))
    folder = Path(default_storage.path("attachments"))
    before = set(folder.rglob("*.*")) if folder.exists() else set()

    def fail(change: Any) -> None:
        raise RuntimeError("упало после записи файла")

    monkeypatch.setattr(effects, "after_change", fail)
    with pytest.raises(RuntimeError):
        services.ticket_attach(
            actor=world["agent"],
            number=ticket.number,
            content=ContentFile(b"receipt", name="check.txt"),
            filename="check.txt",
            content_type="text/plain",
            size=7,
        )

    after = set(folder.rglob("*.*")) if folder.exists() else set()
    assert after == before
