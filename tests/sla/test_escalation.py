"""The escalation ladder: who is told what, when, and only once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connection

from servicedesk.accounts.roles import Role
from servicedesk.core import clock
from servicedesk.sla.escalation import sla_sweep
from servicedesk.sla.models import EscalationFired, Notification
from servicedesk.tickets import services
from tests import factories
from tests.sla.conftest import msk

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(desk):
    desk["manager"] = factories.staff(Role.SERVICE_MANAGER, username="manager")
    desk["agent"].email = "agent@plastek.local"
    desk["agent"].save()
    return desk


def incident(desk, service="incident", at=None):
    with clock.frozen_at(at or msk(2026, 11, 23, 9, 0)):  # Monday 09:00
        ticket = services.ticket_create(
            actor=desk["agent"],
            data=services.NewTicket(
                subject="Процессинг не отвечает",
                client=desk["apteka"].code,
                channel="phone",
                service=service,
                assignee="agent",
            ),
        )
    return ticket


def titles(user) -> list[str]:
    return list(
        Notification.objects.filter(user=user).order_by("pk").values_list("title", flat=True)
    )


def sweep_at(*args):
    return sla_sweep(now=msk(*args))


def test_ladder_warns_the_assignee_then_the_manager_then_the_head(
    people, django_capture_on_commit_callbacks
) -> None:
    ticket = incident(people)  # SL_2, reaction 4 h: 75 % 12:00, 100 % 13:00, 150 % 15:00
    number = ticket.display_number
    sweep_at(2026, 11, 23, 11, 59)
    assert titles(people["agent"]) == []
    with django_capture_on_commit_callbacks(execute=True):
        sweep_at(2026, 11, 23, 12, 0)
    assert titles(people["agent"]) == [f"{number}: прошло 75% срока (реакция)"]
    sweep_at(2026, 11, 23, 12, 30)
    assert len(titles(people["agent"])) == 1  # once per ticket, clock and threshold
    sweep_at(2026, 11, 23, 13, 0)
    assert titles(people["manager"]) == [f"{number}: нарушен срок (реакция)"]
    assert titles(people["head"]) == []
    sweep_at(2026, 11, 23, 15, 0)
    assert titles(people["head"]) == [f"{number}: 150% срока (реакция) — эскалация"]
    # The e-mail copy went out through Django's mail backend after the commit.
    assert any(m.to == ["agent@plastek.local"] for m in mail.outbox)


def test_services_without_escalation_only_warn_the_assignee(people) -> None:
    incident(people, service="testing")  # escalation = нет, SL_2
    sweep_at(2026, 11, 25, 18, 0)  # far beyond every reaction threshold
    assert len(titles(people["agent"])) == 2  # 75 % of reaction and of resolution
    assert titles(people["manager"]) == []
    assert titles(people["head"]) == []


def test_reacting_in_time_cancels_the_rest_of_the_ladder(people) -> None:
    ticket = incident(people)
    with clock.frozen_at(msk(2026, 11, 23, 10, 0)):
        services.ticket_take(actor=people["agent"], number=ticket.number)
    sweep_at(2026, 11, 23, 16, 0)
    assert titles(people["manager"]) == []
    assert not any("реакция" in t for t in titles(people["agent"]))


def test_paused_clock_is_not_escalated_while_waiting(people) -> None:
    ticket = incident(people, service="report")  # SL_1: resolution 4 h, 75 % at 12:00
    with clock.frozen_at(msk(2026, 11, 23, 9, 30)):
        services.ticket_take(actor=people["agent"], number=ticket.number)
    with clock.frozen_at(msk(2026, 11, 23, 10, 0)):
        services.ticket_transition(
            actor=people["agent"], number=ticket.number, status="pending_requester"
        )
    sweep_at(2026, 11, 24, 17, 0)
    assert titles(people["agent"]) == []


def test_breach_is_recorded_even_without_a_recipient(people) -> None:
    ticket = incident(people, service="testing")
    sweep_at(2026, 11, 23, 13, 1)
    reaction = ticket.sla_clocks.get(target="reaction")
    assert reaction.breached_at == msk(2026, 11, 23, 13, 0)
    assert EscalationFired.objects.filter(clock=reaction, percent=100).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_notify_exactly_once(desk) -> None:
    from servicedesk.core.setup import load_plastek_configuration

    load_plastek_configuration()
    manager = factories.staff(Role.SERVICE_MANAGER, username="manager2")
    tickets = [incident(desk) for _ in range(25)]
    when = msk(2026, 11, 23, 15, 0)  # 75 %, 100 % and 150 % of reaction have all passed

    def sweep(_: int) -> int:
        try:
            return sla_sweep(now=when).notifications
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        sent = sum(pool.map(sweep, range(4)))
    reaction_ids = [t.sla_clocks.get(target="reaction").pk for t in tickets]
    assert EscalationFired.objects.filter(clock_id__in=reaction_ids).count() == 25 * 3
    assert Notification.objects.filter(user=manager).count() == 25
    assert Notification.objects.filter(user=desk["agent"]).count() == 25
    assert Notification.objects.filter(user=desk["head"]).count() == 25
    assert sent == Notification.objects.count()
