"""Concurrent ticket creation on PostgreSQL: unique numbers, no lost tickets."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from servicedesk.tickets import services
from servicedesk.tickets.models import Ticket
from servicedesk.tickets.numbers import parse_ticket_number


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_creators_get_unique_numbers(world) -> None:
    agent, client_code = world["agent"], world["mega"].code

    def create(index: int) -> int:
        try:
            ticket = services.ticket_create(
                actor=agent,
                data=services.NewTicket(
                    subject=f"Параллельно {index}",
                    client=client_code,
                    channel="api",
                    service="incident",
                ),
            )
            return ticket.number
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(create, range(80)))
    assert len(set(numbers)) == 80
    assert Ticket.objects.count() == 80
    assert sorted(Ticket.objects.values_list("number", flat=True)) == sorted(numbers)


@pytest.mark.parametrize(
    ("raw", "number"),
    [("SD-000123", 123), ("sd-7", 7), ("123", 123), ("#45", 45), (" SD-000001 ", 1)],
)
def test_ticket_numbers_parse_in_every_usual_spelling(raw: str, number: int, settings) -> None:
    assert parse_ticket_number(raw) == number


@pytest.mark.parametrize("raw", ["XX-12", "SD-", "abc", "", "SD-12a"])
def test_unknown_number_spellings_are_not_found(raw: str) -> None:
    from servicedesk.core.errors import NotFound

    with pytest.raises(NotFound):
        parse_ticket_number(raw)
