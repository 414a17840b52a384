"""Same-cause suggestions on the ticket page: recent open tickets that look alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from servicedesk.core import clock
from servicedesk.problems import services
from servicedesk.problems.selectors import similar_open_tickets
from servicedesk.tickets import services as tickets

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_recent_same_outlet_and_similar_text_are_suggested_best_first(world, new_ticket) -> None:
    with clock.frozen_at(NOON - timedelta(hours=2)):
        same_outlet = new_ticket(subject="Касса №2 не видит карты", outlet="M-01")
        same_text_other_client = new_ticket(
            subject="Не начисляются баллы по карте",
            client=world["apteka"].code,
            service="consultation",
        )
        unrelated = new_ticket(subject="Нужен отчёт по акции за февраль", service="report")
    with clock.frozen_at(NOON):
        target = new_ticket(subject="Не начисляются баллы по картам", outlet="M-01")
        found = similar_open_tickets(target)
    numbers = [item.ticket.pk for item in found]
    assert set(numbers) == {same_outlet.pk, same_text_other_client.pk}
    assert unrelated.pk not in numbers
    assert found[0].similarity.score >= found[-1].similarity.score
    assert "та же торговая точка" in next(
        i.similarity.reasons for i in found if i.ticket.pk == same_outlet.pk
    )


def test_old_and_closed_tickets_are_not_suggested(world, new_ticket) -> None:
    with clock.frozen_at(NOON - timedelta(hours=9)):
        too_old = new_ticket(subject="Не начисляются баллы")
    with clock.frozen_at(NOON - timedelta(hours=1)):
        closed = new_ticket(subject="Не начисляются баллы")
        tickets.ticket_transition(actor=world["agent"], number=closed.number, status="cancelled")
    with clock.frozen_at(NOON):
        target = new_ticket(subject="Не начисляются баллы")
        assert similar_open_tickets(target, hours=6) == []
        assert [i.ticket.pk for i in similar_open_tickets(target, hours=12)] == [too_old.pk]


def test_similar_api_shows_scores_reasons_and_existing_links(
    world, manager, new_ticket, api_as
) -> None:
    with clock.frozen_at(NOON - timedelta(minutes=30)):
        earlier = new_ticket(subject="Процессинг не отвечает, баллы не начисляются")
        problem = services.problem_create(actor=manager, title="Процессинг")
        services.problem_link_ticket(actor=manager, problem_id=problem.pk, number=earlier.number)
    with clock.frozen_at(NOON):
        target = new_ticket(subject="Баллы не начисляются: процессинг не отвечает")
        response = api_as(world["agent"]).get(f"/tickets/{target.number}/similar?limit=5")
    assert response.status_code == 200, response.content
    [item] = response.json()
    assert item["number"] == earlier.display_number
    assert item["problem"] == problem.display_number
    assert item["score"] > 0.5
    assert any(reason.startswith("похожий текст") for reason in item["reasons"])
    assert (
        api_as(world["agent"]).get(f"/tickets/{target.number}/similar?hours=0").status_code == 422
    )
