"""Work-time events read as Russian sentences in the ticket's history."""

from __future__ import annotations

import pytest

from servicedesk.core import clock
from servicedesk.tickets.domain.timeline import Names, describe_event
from servicedesk.worklogs.services import (
    estimate_decide,
    estimate_propose,
    worklog_correct,
    worklog_excess_decide,
)
from tests.worklogs.builders import log_time, msk, new_ticket

pytestmark = pytest.mark.django_db


WORK_EVENTS = {
    "worklog_added",
    "worklog_corrected",
    "worklog_excess_decided",
    "estimate_proposed",
    "estimate_decided",
}


def history(ticket) -> list[tuple[str, tuple[str, ...]]]:
    events = ticket.events.filter(type__in=WORK_EVENTS).order_by("pk")
    lines = [describe_event(e.type, e.data, Names()) for e in events]
    return [(line.title, line.details) for line in lines]


def test_the_history_tells_the_whole_story_of_the_work(desk) -> None:
    ticket = new_ticket(desk["agent"], desk["mega"], "report", msk(2026, 2, 2, 10))
    at = msk(2026, 2, 2, 11)
    with clock.frozen_at(at):
        estimate = estimate_propose(
            actor=desk["agent"], number=ticket.number, hours="1", note="Отчёт по акциям"
        )
        estimate_decide(
            actor=desk["mega_user"], number=ticket.number, estimate_id=estimate.pk, approve=True
        )
    log = log_time(desk["agent"], ticket, 90, msk(2026, 2, 3, 12))
    with clock.frozen_at(msk(2026, 2, 4, 10)):
        worklog_excess_decide(actor=desk["manager"], worklog_id=log.pk, approve=False, note="Нет")
        worklog_correct(actor=desk["head"], worklog_id=log.pk, minutes=60, reason="Уточнение")
    assert history(ticket) == [
        ("Предложена оценка трудозатрат", ("Оценка: 1.00 ч", "Пояснение: Отчёт по акциям")),
        ("Решение клиента по оценке", ("Оценка 1.00 ч согласована",)),
        (
            "Списано время",
            (
                "90 мин за 03.02.2026, оплачивается",
                "Сверх согласованной оценки: 30 мин — ждёт согласования",
            ),
        ),
        ("Решение о превышении оценки", ("30 мин сверх оценки: отклонено", "Комментарий: Нет")),
        ("Исправлено списание времени", ("Минуты: 90 → 60", "Причина: Уточнение")),
    ]
