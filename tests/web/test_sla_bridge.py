"""The workspace reads SLA data only through its bridge; badges follow the clocks' state."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.apps import apps

from servicedesk.core import clock
from servicedesk.tickets.selectors import Queue, TicketFilters, queue_tickets
from servicedesk.web import sla_view
from tests.web.fake_sla import FakeClock, FakePreview, FakeSla, install
from tests.web.helpers import make_ticket, text_of

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 1, 12, 8, 0, tzinfo=UTC)  # Monday 11:00 in Moscow


@pytest.mark.skipif(apps.is_installed("servicedesk.sla"), reason="the SLA app is merged")
def test_without_the_sla_app_the_bridge_knows_nothing(world) -> None:
    ticket = make_ticket(world)
    assert sla_view.clocks_for_tickets([ticket]) == {}
    assert sla_view.sla_preview(service="incident") is None
    assert sla_view.unread_notification_count(world["agent"]) == 0
    assert sla_view.notifications_for(world["agent"]) == []
    assert list(queue_tickets(world["agent"], Queue.AT_RISK, TicketFilters())) == []


def test_badges_are_amber_at_risk_red_breached_grey_paused_green_met(
    client, world, monkeypatch
) -> None:
    install(
        monkeypatch,
        FakeSla(
            clocks=[
                FakeClock("reaction", "Реакция", NOW, 600, at_risk=True),
                FakeClock("resolution", "Решение", NOW, -3900, state="breached"),
                FakeClock(
                    "acknowledgement", "Подтверждение", NOW, 300, state="paused", counting_now=False
                ),
                FakeClock("reaction", "Реакция", NOW, 0, state="met", counting_now=False),
            ]
        ),
    )
    make_ticket(world)
    client.force_login(world["agent"])
    with clock.frozen_at(NOW):
        page = text_of(client.get("/tickets/?queue=all"))
    assert 'class="sla sla-risk" data-remaining="600" data-counting="1"' in page
    assert 'class="sla sla-breached" data-remaining="-3900" data-counting="1"' in page
    assert "−1 ч 05 мин" in page
    assert 'class="sla sla-paused" data-remaining="300" data-counting="0"' in page
    assert 'class="sla sla-met"' in page


def test_the_ticket_header_shows_each_clock_with_its_due_time(client, world, monkeypatch) -> None:
    due = datetime(2026, 1, 12, 11, 30, tzinfo=UTC)
    install(monkeypatch, FakeSla(clocks=[FakeClock("resolution", "Решение", due, 5400)]))
    ticket = make_ticket(world)
    client.force_login(world["agent"])
    with clock.frozen_at(NOW):
        page = text_of(client.get(f"/tickets/{ticket.display_number}/"))
    assert "<b>Решение</b>" in page and "1 ч 30 мин" in page and "сегодня 14:30" in page


def test_at_risk_and_breached_queues_and_the_bell_use_the_sla_app(
    client, world, monkeypatch
) -> None:
    risky, late, calm = make_ticket(world), make_ticket(world), make_ticket(world)
    install(
        monkeypatch,
        FakeSla(
            at_risk={risky.pk},
            breached={late.pk},
            unread=3,
            notes=[{"message": "Просрочена реакция", "url": "/"}],
        ),
    )
    client.force_login(world["agent"])
    at_risk = text_of(client.get("/tickets/?queue=at_risk"))
    assert risky.display_number in at_risk and calm.display_number not in at_risk
    breached = text_of(client.get("/tickets/?queue=breached"))
    assert late.display_number in breached and risky.display_number not in breached
    home = text_of(client.get("/"))
    assert '<span class="bell-count">3</span>' in home
    assert "Просрочена реакция" in home


def test_the_call_card_preview_says_when_reaction_and_resolution_are_due(
    client, world, monkeypatch
) -> None:
    fake = install(
        monkeypatch,
        FakeSla(
            preview=FakePreview(
                sla_level="SL_2",
                priority="Средний",
                calendar="5/2 МСК",
                acknowledgement_due=None,
                reaction_due=datetime(2026, 1, 12, 11, 30, tzinfo=UTC),
                resolution_due=datetime(2026, 1, 13, 9, 0, tzinfo=UTC),
            )
        ),
    )
    client.force_login(world["agent"])
    with clock.frozen_at(NOW):
        page = text_of(client.get(f"/calls/preview/?service=incident&client={world['mega'].code}"))
    assert "реакция до сегодня 14:30, решение до завтра 12:00" in page
    assert fake.calls == [f"preview incident {world['mega'].code} False"]


def test_without_due_times_the_preview_shows_the_level_targets(client, world) -> None:
    client.force_login(world["agent"])
    page = text_of(client.get("/calls/preview/?service=report"))
    assert "SL_1 · Критический" in page
    assert "реакция 2 ч, решение 4 ч рабочего времени" in page
