"""The queue page: filters, totals, pages, htmx refresh, constant cost."""

from __future__ import annotations

from itertools import cycle

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from servicedesk.accounts.roles import Role
from tests import factories
from tests.web.helpers import HTMX, make_ticket, text_of

pytestmark = pytest.mark.django_db


def add_varied_tickets(world, count: int) -> None:
    """Tickets that differ in every joined column, so an N+1 would show."""
    agents = [factories.staff(Role.SQL_ENGINEER) for _ in range(3)]
    services = cycle(["incident", "report", "access", None])
    clients = cycle(
        [
            (world["mega"], "M-01", world["mega_guest"]),
            (world["apteka"], "A-01", world["apteka_guest"]),
        ]
    )
    for index in range(count):
        client, outlet, guest = next(clients)
        make_ticket(
            world,
            client=client.code,
            outlet=outlet,
            requester_id=guest.pk,
            service=next(services),
            assignee=agents[index % 3].username,
        )


def queries_for(client, url: str) -> int:
    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_queue_page_costs_the_same_for_5_and_50_rows(client, world) -> None:
    client.force_login(world["agent"])
    url = "/tickets/?queue=all&page_size=50"
    add_varied_tickets(world, 5)
    few = queries_for(client, url)
    add_varied_tickets(world, 45)
    many = queries_for(client, url)
    assert few == many
    assert many <= 30


def test_each_row_shows_number_subject_client_service_priority_status_assignee(
    client, world
) -> None:
    ticket = make_ticket(world, subject="Касса не принимает карту", assignee="agent")
    client.force_login(world["agent"])
    page = text_of(client.get("/tickets/?queue=mine"))
    for text in (
        ticket.display_number,
        "Касса не принимает карту",
        world["mega"].name,
        "Инцидент",
        "Средний",
        "Новое",
        str(world["agent"]),
    ):
        assert text in page


def test_filters_narrow_the_list_and_totals_say_how_many(client, world) -> None:
    make_ticket(world, subject="Касса не работает")
    make_ticket(world, subject="Отчёт по акциям", service="report")
    make_ticket(world, client=world["apteka"].code, subject="Аптечная касса")
    client.force_login(world["agent"])
    page = text_of(client.get(f"/tickets/?queue=all&client={world['mega'].code}&q=касса"))
    assert "1–1 из 1" in page
    assert "Касса не работает" in page and "Аптечная касса" not in page
    page = text_of(client.get("/tickets/?queue=all&service=report"))
    assert "Отчёт по акциям" in page and "Касса не работает" not in page
    assert "Сбросить фильтры" in page


def test_pages_have_totals_and_links(client, world) -> None:
    for index in range(30):
        make_ticket(world, subject=f"Обращение {index}")
    client.force_login(world["agent"])
    first = text_of(client.get("/tickets/?queue=all&page_size=25"))
    assert "1–25 из 30" in first and "Страница 1 из 2" in first
    second = text_of(client.get("/tickets/?queue=all&page_size=25&page=2"))
    assert "26–30 из 30" in second


def test_htmx_asks_get_only_the_results_with_a_minute_refresh(client, world) -> None:
    make_ticket(world)
    client.force_login(world["agent"])
    partial = text_of(client.get("/tickets/?queue=all&q=баллы", **HTMX))
    assert partial.lstrip().startswith('<div id="queue-results"')
    assert 'hx-trigger="every 60s"' in partial
    assert "<html" not in partial


def test_an_unknown_queue_or_ordering_falls_back_to_defaults(client, world) -> None:
    client.force_login(world["agent"])
    page = text_of(client.get("/tickets/?queue=nonsense&ordering=drop"))
    assert "<h1>Мои" in page
