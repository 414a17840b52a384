"""Rows kept by `inserts_deferred` are written per table, seen by every later read, and
never outlive the work that made them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from servicedesk.accounts.models import Contact, ContactEmail, ContactKind
from servicedesk.core.deferred import insert_rows, inserts_deferred

pytestmark = pytest.mark.django_db


def keep_contacts(client: Any, *addresses: str) -> None:
    """Two tables, the second pointing at the first: a contact and its address."""
    for address in addresses:
        contact = Contact(kind=ContactKind.GUEST, full_name=address, client=client)
        insert_rows(Contact, [contact])
        insert_rows(ContactEmail, [ContactEmail(contact=contact, address=address)])


def inserts(queries: CaptureQueriesContext, table: str) -> int:
    return sum(1 for q in queries.captured_queries if q["sql"].startswith(f'INSERT INTO "{table}"'))


def test_kept_rows_are_written_one_insert_per_table_when_a_read_names_their_table(
    world: dict[str, Any],
) -> None:
    addresses = [f"guest{n}@shop.test" for n in range(5)]
    with transaction.atomic(), inserts_deferred():
        with CaptureQueriesContext(connection) as queries:
            keep_contacts(world["mega"], *addresses)
        assert queries.captured_queries == []  # nothing written yet

        with CaptureQueriesContext(connection) as queries:
            found = sorted(ContactEmail.objects.values_list("address", "contact__full_name"))

        assert found == [(address, address) for address in addresses]
        # the addresses were read, so they were written, after the contacts they point at
        assert inserts(queries, "accounts_contact") == 1
        assert inserts(queries, "accounts_contactemail") == 1


def test_rows_nobody_read_are_written_when_the_block_ends(world: dict[str, Any]) -> None:
    with transaction.atomic():
        with inserts_deferred():
            keep_contacts(world["mega"], "a@shop.test", "b@shop.test")
        assert ContactEmail.objects.count() == 2
        assert all(email.contact.full_name == email.address for email in ContactEmail.objects.all())


def test_an_error_in_the_block_writes_none_of_its_rows(world: dict[str, Any]) -> None:
    with transaction.atomic(), pytest.raises(RuntimeError), inserts_deferred():
        keep_contacts(world["mega"], "a@shop.test")
        raise RuntimeError("упало")
    assert not ContactEmail.objects.exists()
    assert not Contact.objects.filter(full_name="a@shop.test").exists()


def test_a_savepoint_rolled_back_drops_the_rows_made_in_it_and_keeps_the_earlier_ones(
    world: dict[str, Any],
) -> None:
    with transaction.atomic(), inserts_deferred():
        keep_contacts(world["mega"], "before@shop.test")
        with pytest.raises(RuntimeError), transaction.atomic():
            keep_contacts(world["mega"], "inside@shop.test")
            raise RuntimeError("упало")
        keep_contacts(world["mega"], "after@shop.test")

    assert sorted(ContactEmail.objects.values_list("address", flat=True)) == [
        "after@shop.test",
        "before@shop.test",
    ]


def test_rows_read_inside_a_savepoint_then_rolled_back_are_gone_with_it(
    world: dict[str, Any],
) -> None:
    with transaction.atomic(), inserts_deferred():
        keep_contacts(world["mega"], "before@shop.test")
        with pytest.raises(RuntimeError), transaction.atomic():
            keep_contacts(world["mega"], "inside@shop.test")
            assert ContactEmail.objects.count() == 2  # written, inside the savepoint
            raise RuntimeError("упало")
        assert list(ContactEmail.objects.values_list("address", flat=True)) == ["before@shop.test"]


def test_outside_the_block_rows_are_written_at_once(world: dict[str, Any]) -> None:
    keep_contacts(world["mega"], "now@shop.test")
    assert ContactEmail.objects.get().contact.pk is not None


@pytest.mark.django_db(transaction=True)
def test_the_block_needs_a_transaction_to_write_its_rows_before() -> None:
    with pytest.raises(RuntimeError, match="transaction"), inserts_deferred():
        insert_rows(ContactEmail, [])
