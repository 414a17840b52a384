"""A prepared lookup returns what the ORM returns, with its relations, without building SQL
again; a locked one still needs a transaction."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from servicedesk.core.errors import NotFound
from servicedesk.tickets.models import Ticket
from servicedesk.tickets.selectors import one_with_related, system_ticket
from tests.web.helpers import make_ticket

pytestmark = pytest.mark.django_db

RELATED = ("client", "outlet", "requester", "requester_user", "assignee", "service", "sla_level",
           "status")  # fmt: skip


def new(world: dict[str, Any], **fields: Any) -> Ticket:
    """A ticket with every relation the system fetch joins filled in."""
    everything = {"outlet": "M-01", "requester_id": world["mega_guest"].pk, "assignee": "agent"}
    return make_ticket(world, **(everything | fields))


def test_a_system_fetch_returns_the_ticket_with_every_relation_loaded(
    world: dict[str, Any],
) -> None:
    new(world, subject="Первое")
    ticket = new(world, subject="Второе")
    expected = one_with_related(Ticket.objects.all()).get(number=ticket.number)

    fetched = system_ticket(ticket.display_number)

    with CaptureQueriesContext(connection) as queries:
        related = {name: getattr(fetched, name) for name in RELATED}
        contract = fetched.client.contract
    assert queries.captured_queries == []
    assert {name: getattr(expected, name) for name in RELATED} == related
    assert contract == expected.client.contract
    for field in Ticket._meta.concrete_fields:
        assert getattr(fetched, field.attname) == getattr(expected, field.attname), field.name
    assert fetched.subject == "Второе" and fetched.outlet.code == "M-01"


def test_a_second_fetch_builds_no_sql(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = new(world), new(world)
    system_ticket(first.number)
    built: list[str] = []
    real = SQLCompiler.as_sql

    def counting(self: SQLCompiler, *args: Any, **kwargs: Any) -> Any:
        built.append(self.query.model.__name__ if self.query.model else "")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)

    with CaptureQueriesContext(connection) as queries:
        assert system_ticket(second.number).pk == second.pk
    assert built == []
    assert len(queries.captured_queries) == 1


@pytest.mark.django_db(transaction=True)  # the test's own transaction would hide the check
def test_a_locked_fetch_needs_a_transaction_where_the_database_locks_rows(
    world: dict[str, Any],
) -> None:
    ticket = new(world)
    with transaction.atomic():
        assert system_ticket(ticket.number, for_update=True).pk == ticket.pk
    if connection.features.has_select_for_update:  # PostgreSQL; SQLite locks the file
        with pytest.raises(TransactionManagementError):
            system_ticket(ticket.number, for_update=True)


def test_a_missing_ticket_is_not_found(world: dict[str, Any]) -> None:
    new(world)
    with pytest.raises(NotFound):
        system_ticket(999_999)
