"""SLA on the pages: badges follow the clocks, queues follow the breaches, previews say when."""

from __future__ import annotations

import re

import pytest

from servicedesk.core import clock
from servicedesk.sla.notifications import notify_users
from servicedesk.tickets import services
from tests.web.conftest import msk
from tests.web.helpers import make_ticket, text_of

pytestmark = pytest.mark.django_db
MONDAY_10 = msk(2026, 11, 23, 10, 0)


def apteka_ticket(desk, at, **fields):
    # Аптека has no L1: reaction and resolution on "5/2 МСК"; incident = SL_2 (4 h / 24 h).
    with clock.frozen_at(at):
        return make_ticket(desk, client=desk["apteka"].code, **fields)


def badge(page: str, label: str) -> str:
    """Return the class list of the badge whose short label is `label`."""
    found = re.search(rf'class="sla ([^"]+)"[^>]*>(?:<b>{label}</b>)', page)
    assert found, f"no badge {label}"
    return found.group(1)


def test_badges_turn_amber_at_risk_red_when_breached_green_when_met_grey_when_paused(
    client, sla_desk
) -> None:
    ticket = apteka_ticket(sla_desk, MONDAY_10)
    client.force_login(sla_desk["agent"])
    url = "/tickets/?queue=all"
    with clock.frozen_at(msk(2026, 11, 23, 11, 0)):
        assert badge(text_of(client.get(url)), "Реакц.") == "sla-running"
    with clock.frozen_at(msk(2026, 11, 23, 13, 30)):  # 3.5 h of 4 h: past 75 %
        page = text_of(client.get(url))
    assert badge(page, "Реакц.") == "sla-risk"
    assert 'data-remaining="1800" data-counting="1"' in page
    with clock.frozen_at(msk(2026, 11, 23, 14, 30)):
        page = text_of(client.get(url))
    assert badge(page, "Реакц.") == "sla-breached"
    assert "−30 мин" in page
    with clock.frozen_at(msk(2026, 11, 23, 14, 40)):
        services.ticket_take(actor=sla_desk["agent"], number=ticket.number)
    with clock.frozen_at(msk(2026, 11, 23, 15, 0)):
        services.ticket_transition(
            actor=sla_desk["agent"], number=ticket.number, status="pending_requester"
        )
        page = text_of(client.get(url))
    assert badge(page, "Реакц.") == "sla-breached"  # met late is still a breach
    assert badge(page, "Реш.") == "sla-paused"


def test_a_clock_counts_down_in_the_browser_only_during_working_hours(client, sla_desk) -> None:
    apteka_ticket(sla_desk, MONDAY_10)
    client.force_login(sla_desk["agent"])
    with clock.frozen_at(msk(2026, 11, 23, 11, 0)):
        assert 'data-counting="1"' in text_of(client.get("/tickets/?queue=all"))
    with clock.frozen_at(msk(2026, 11, 23, 20, 0)):  # after hours: the figure stands still
        page = text_of(client.get("/tickets/?queue=all"))
    assert 'data-counting="1"' not in page and 'data-counting="0"' in page


def test_at_risk_and_breached_queues_and_the_default_order_follow_the_clocks(
    client, sla_desk
) -> None:
    late = apteka_ticket(sla_desk, msk(2026, 11, 23, 9, 0))  # reaction due 13:00
    risky = apteka_ticket(sla_desk, MONDAY_10)  # reaction due 14:00, warned from 13:00
    calm = apteka_ticket(sla_desk, msk(2026, 11, 23, 13, 0), service="consultation")
    client.force_login(sla_desk["agent"])
    with clock.frozen_at(msk(2026, 11, 23, 13, 30)):
        at_risk = text_of(client.get("/tickets/?queue=at_risk"))
        breached = text_of(client.get("/tickets/?queue=breached"))
        by_due = text_of(client.get("/tickets/?queue=all&ordering=due"))
        newest_first = text_of(client.get("/tickets/?queue=all"))
        counts = text_of(client.get("/queues/counts/?queue=all"))
    assert risky.display_number in at_risk
    assert late.display_number not in at_risk and calm.display_number not in at_risk
    assert late.display_number in breached and risky.display_number not in breached
    mine = {late.display_number, risky.display_number, calm.display_number}

    def order(page: str) -> list[str]:
        rows = re.findall(
            r'<td class="col-num" data-label="№"><a href="[^"]+">(SD-\d{6})</a>', page
        )
        return [number for number in rows if number in mine]

    # Resolution due: consultation (SL_1, 4 h) Mon 17:00, then Wed 15:00, Wed 16:00.
    assert order(by_due) == [calm.display_number, late.display_number, risky.display_number]
    assert order(newest_first) == [calm.display_number, risky.display_number, late.display_number]
    assert re.search(r'Просрочены<span class="count count-bad">1</span>', counts)
    assert re.search(r'Под угрозой<span class="count count-warn">1</span>', counts)


def test_the_ticket_header_shows_each_clock_with_its_due_time(client, sla_desk) -> None:
    ticket = apteka_ticket(sla_desk, MONDAY_10)
    client.force_login(sla_desk["agent"])
    with clock.frozen_at(msk(2026, 11, 23, 11, 0)):
        page = text_of(client.get(f"/tickets/{ticket.display_number}/"))
    assert "<b>Реакция</b>" in page and "сегодня 14:00" in page
    assert "<b>Решение</b>" in page and "ср 25 ноя 16:00" in page


def test_the_call_card_preview_says_when_reaction_and_resolution_are_due(client, sla_desk) -> None:
    client.force_login(sla_desk["agent"])
    url = f"/calls/preview/?service=incident&client={sla_desk['apteka'].code}"
    with clock.frozen_at(MONDAY_10):
        page = text_of(client.get(url))
    assert "SL_2 · Средний" in page
    assert "реакция до сегодня 14:00, решение до ср 25 ноя 16:00" in page
    with clock.frozen_at(MONDAY_10):  # Мега bought L1: it must be acknowledged 24/7 too
        page = text_of(
            client.get(f"/calls/preview/?service=incident&client={sla_desk['mega'].code}")
        )
    assert "подтверждение до сегодня 14:00" in page


def test_the_service_change_preview_counts_from_registration(client, sla_desk) -> None:
    ticket = apteka_ticket(sla_desk, MONDAY_10)
    client.force_login(sla_desk["agent"])
    with clock.frozen_at(msk(2026, 11, 23, 12, 0)):
        page = text_of(
            client.get(f"/tickets/{ticket.display_number}/service/preview/?service=report")
        )
    assert "SL_1 · Критический" in page and "решение до сегодня 14:00" in page


def test_the_bell_counts_unread_notifications_and_the_dashboard_lists_them(
    client, sla_desk
) -> None:
    ticket = make_ticket(sla_desk)
    notify_users(
        [sla_desk["agent"]],
        ticket=ticket,
        kind="sla_warning",
        title="Реакция под угрозой",
        send_email=False,
    )
    client.force_login(sla_desk["agent"])
    home = text_of(client.get("/"))
    assert '<span class="bell-count">1</span>' in home
    assert f'<a href="/tickets/{ticket.display_number}/">Реакция под угрозой</a>' in home
    client.post("/notifications/read/")
    assert "bell-count" not in text_of(client.get("/"))


def test_a_preview_the_sla_app_cannot_answer_shows_no_due_times(client, sla_desk) -> None:
    client.force_login(sla_desk["agent"])
    page = text_of(client.get("/calls/preview/?service=incident&client=nobody"))
    assert "SL_2 · Средний" in page and "реакция 4 ч, решение 24 ч рабочего времени" in page
