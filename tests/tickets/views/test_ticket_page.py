"""The ticket page: header, conversation, files, timeline; constant cost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from servicedesk.tickets import services
from tests.web.helpers import make_ticket, text_of

pytestmark = pytest.mark.django_db


def test_public_replies_and_internal_notes_look_different(client, world) -> None:
    ticket = make_ticket(world, requester_id=world["mega_guest"].pk)
    services.ticket_comment(actor=world["agent"], number=ticket.number, body="Ответ гостю")
    services.ticket_comment(
        actor=world["agent"], number=ticket.number, body="Только для нас", is_public=False
    )
    client.force_login(world["agent"])
    page = text_of(client.get(f"/tickets/{ticket.display_number}/"))
    assert 'class="msg msg-public msg-staff"' in page
    assert 'class="msg msg-note msg-staff"' in page
    assert "Внутренняя заметка" in page and "Только для нас" in page


def test_email_quotes_are_collapsed(client, world) -> None:
    ticket = make_ticket(world)
    services.ticket_comment(
        actor=None,
        number=ticket.number,
        channel="email",
        body="Спасибо!\n\n> Здравствуйте, баллы начислены.",
    )
    client.force_login(world["agent"])
    page = text_of(client.get(f"/tickets/{ticket.display_number}/"))
    assert '<details class="quote"><summary>Цитата из переписки</summary>' in page
    assert "&gt; Здравствуйте, баллы начислены." in page


def test_ticket_numbers_in_messages_become_links_and_html_is_escaped(client, world) -> None:
    other = make_ticket(world)
    ticket = make_ticket(world, description=f"См. {other.display_number} <script>x</script>")
    client.force_login(world["agent"])
    page = text_of(client.get(f"/tickets/{ticket.display_number}/"))
    assert f'<a href="/tickets/{other.display_number}/">{other.display_number}</a>' in page
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page


def test_timeline_speaks_russian(client, world) -> None:
    ticket = make_ticket(world)
    services.ticket_take(actor=world["agent"], number=ticket.number)
    client.force_login(world["agent"])
    page = text_of(client.get(f"/tickets/{ticket.display_number}/"))
    assert "Изменён статус" in page and "Статус: Новое → В работе" in page
    assert f"Исполнитель: — → {world['agent']}" in page
    assert "Создано" in page


def test_actions_offer_only_allowed_moves(client, world) -> None:
    ticket = make_ticket(world, service="access")  # no escalation, no priority raise
    client.force_login(world["agent"])
    page = text_of(client.get(f"/tickets/{ticket.display_number}/"))
    assert "Взять в работу" in page
    assert "Повысить приоритет" not in page
    assert "Передать в разработку" not in page  # not a service manager
    assert 'value="l3" disabled' in page
    assert 'value="pending_development"' not in page  # only with a tracker key
    services.ticket_transition(actor=world["agent"], number=ticket.number, status="cancelled")
    page = text_of(client.get(f"/tickets/{ticket.display_number}/"))
    assert "Взять в работу" not in page and 'id="reply"' not in page


def test_unknown_or_malformed_numbers_are_404(client, world) -> None:
    client.force_login(world["agent"])
    assert client.get("/tickets/SD-999999/").status_code == 404
    assert client.get("/tickets/XX-1/").status_code == 404


def fill(world, ticket, count: int) -> None:
    for index in range(count):
        services.ticket_comment(
            actor=world["agent"],
            number=ticket.number,
            body=f"Ответ {index}",
            is_public=index % 2 == 0,
        )
        services.ticket_assign(
            actor=world["agent"],
            number=ticket.number,
            assignee=world["head" if index % 2 else "agent"].username,
        )


def queries_for(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_ticket_page_costs_the_same_for_5_and_50_comments_and_events(client, world) -> None:
    small, large = make_ticket(world), make_ticket(world)
    fill(world, small, 5)
    fill(world, large, 50)
    client.force_login(world["agent"])
    few = queries_for(client, f"/tickets/{small.display_number}/")
    many = queries_for(client, f"/tickets/{large.display_number}/")
    assert few == many
    assert many <= 30
