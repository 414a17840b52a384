"""Demo work time: logs on the demo tickets, a few L3 estimates, so reports have figures."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from servicedesk.accounts.models import User
from servicedesk.core import clock
from servicedesk.tickets.domain.statuses import StatusCategory
from servicedesk.tickets.models import Ticket
from servicedesk.worklogs.models import WorkLog
from servicedesk.worklogs.services import (
    NewWorkLog,
    estimate_decide,
    estimate_propose,
    worklog_add,
)

NOTES = (
    "Разобрал обращение, проверил данные в процессинге",
    "Подготовил выгрузку",
    "Консультация по телефону",
    "Проверил настройки акции",
    "Созвон с клиентом",
)


def load_demo_worklogs(seed: int = 2026) -> int:
    """Log time on worked demo tickets once; return how many logs were added."""
    if WorkLog.objects.exists():
        return 0
    rng = random.Random(seed)  # noqa: S311  (repeatable demo data, not security)
    now = clock.now()
    added = 0
    tickets = (
        Ticket.objects.filter(assignee__isnull=False)
        .exclude(status_category__in=[StatusCategory.NEW, StatusCategory.CANCELLED])
        .select_related("assignee", "client", "service")
        .order_by("number")
    )
    for ticket in tickets:
        worker = ticket.assignee
        if worker is None:
            continue
        at = min(now, ticket.created_at + timedelta(hours=rng.randint(1, 30)))
        if ticket.line == "L3" and rng.random() < 0.5:
            _estimate(ticket, worker, at, rng)
        for index in range(rng.randint(1, 3)):
            with clock.frozen_at(min(now, at + timedelta(hours=index * 3))):
                worklog_add(
                    actor=worker,
                    number=ticket.number,
                    data=NewWorkLog(
                        minutes=rng.choice([15, 30, 45, 60, 90, 120, 180]), note=rng.choice(NOTES)
                    ),
                )
            added += 1
    return added


def _estimate(ticket: Ticket, worker: User, at: datetime, rng: random.Random) -> None:
    client_user = User.objects.filter(client_id=ticket.client_id, is_active=True).first()
    with clock.frozen_at(at):
        estimate = estimate_propose(
            actor=worker,
            number=ticket.number,
            hours=rng.choice(["1", "2", "4"]),
            note="Оценка работ",
        )
        if client_user is not None:
            estimate_decide(
                actor=client_user,
                number=ticket.number,
                estimate_id=estimate.pk,
                approve=rng.random() < 0.8,
            )
