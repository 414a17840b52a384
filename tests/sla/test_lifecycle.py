"""A ticket's clocks through a whole life, checked against deadlines computed by hand."""

from __future__ import annotations

from typing import Any

import pytest

from servicedesk.core import clock
from servicedesk.sla.models import SlaClock
from servicedesk.sla.selectors import ticket_clocks
from servicedesk.tickets import services
from tests.sla.conftest import msk

pytestmark = pytest.mark.django_db


def views(ticket) -> dict[str, Any]:
    return {view.target: view for view in ticket_clocks(ticket)}


def create(desk, client_key: str, service: str, at, **extra):
    with clock.frozen_at(at):
        return services.ticket_create(
            actor=desk["agent"],
            data=services.NewTicket(
                subject="Не начислились баллы",
                client=desk[client_key].code,
                channel="phone",
                service=service,
                **extra,
            ),
        )


def test_full_lifecycle_with_a_pause_and_a_reopen_on_the_5_2_calendar(desk) -> None:
    # Аптека has no L1: reaction and resolution on "5/2 МСК". Incident = SL_2 (4 h / 24 h).
    ticket = create(desk, "apteka", "incident", msk(2026, 11, 23, 16, 0))  # Monday 16:00
    with clock.frozen_at(msk(2026, 11, 23, 16, 0)):
        clocks = views(ticket)
    assert set(clocks) == {"reaction", "resolution"}
    # Reaction: Mon 16–18 (2 h) + Tue 09–11 (2 h).
    assert clocks["reaction"].due_at == msk(2026, 11, 24, 11, 0)
    # Resolution: Mon 2 h + Tue 9 h + Wed 9 h + Thu 09–13 (4 h) = 24 h.
    assert clocks["resolution"].due_at == msk(2026, 11, 26, 13, 0)

    with clock.frozen_at(msk(2026, 11, 24, 10, 0)):
        services.ticket_take(actor=desk["agent"], number=ticket.number)
    with clock.frozen_at(msk(2026, 11, 24, 12, 0)):
        services.ticket_transition(
            actor=desk["agent"], number=ticket.number, status="pending_requester"
        )
        paused = views(ticket)
    assert paused["reaction"].state == "met"
    assert paused["reaction"].elapsed_seconds == 3 * 3600
    assert paused["resolution"].state == "paused"
    assert paused["resolution"].due_at is None
    assert paused["resolution"].elapsed_seconds == 5 * 3600  # Mon 2 h + Tue 09–12

    with clock.frozen_at(msk(2026, 11, 26, 15, 0)):  # the requester answers on Thursday
        services.ticket_comment(
            actor=desk["apteka_user"], number=ticket.number, body="Чек приложил"
        )
        resumed = views(ticket)
    assert resumed["resolution"].state == "running"
    # 19 h left: Thu 15–18 (3), Fri 9 h (12), Mon 30 Nov 09–16 (7).
    assert resumed["resolution"].due_at == msk(2026, 11, 30, 16, 0)

    with clock.frozen_at(msk(2026, 11, 30, 10, 0)):
        services.ticket_transition(actor=desk["agent"], number=ticket.number, status="resolved")
        resolved = views(ticket)
    assert resolved["resolution"].state == "met"
    assert resolved["resolution"].elapsed_seconds == 18 * 3600

    with clock.frozen_at(msk(2026, 12, 1, 9, 30)):  # reopened by the requester
        services.ticket_comment(
            actor=desk["apteka_user"], number=ticket.number, body="Снова не начисляются"
        )
        reopened = views(ticket)
    # Resolution goes on where it stopped: 6 h left from Tue 09:30.
    assert reopened["resolution"].due_at == msk(2026, 12, 1, 15, 30)

    with clock.frozen_at(msk(2026, 12, 1, 17, 0)):
        services.ticket_transition(actor=desk["agent"], number=ticket.number, status="resolved")
        final = views(ticket)
    assert final["resolution"].state == "breached"
    assert final["resolution"].breached_at == msk(2026, 12, 1, 15, 30)
    assert final["resolution"].elapsed_seconds == int(25.5 * 3600)
    entries = list(
        SlaClock.objects.get(ticket=ticket, target="resolution").entries.values_list(
            "kind", flat=True
        )
    )
    assert entries == ["started", "paused", "resumed", "stopped", "resumed", "stopped"]


def test_holidays_and_short_days_move_the_deadline(desk) -> None:
    # Mon 2026-11-02 17:00; Tue 3 Nov is short (09–17), Wed 4 Nov is a holiday.
    ticket = create(desk, "apteka", "incident", msk(2026, 11, 2, 17, 0))
    with clock.frozen_at(msk(2026, 11, 2, 17, 0)):
        clocks = views(ticket)
    assert clocks["reaction"].due_at == msk(2026, 11, 3, 12, 0)  # 1 h Mon + 3 h Tue
    # 24 h: Mon 1 + Tue 8 (short) + Thu 5 Nov 9 + Fri 6 Nov 09–15 (6).
    assert clocks["resolution"].due_at == msk(2026, 11, 6, 15, 0)


def test_l1_client_gets_an_acknowledgement_clock_and_escalation_changes_the_calendar(desk) -> None:
    # Мега bought L1. A consultation (SL_1: 2 h / 4 h) is an L1 request: all clocks 24/7.
    ticket = create(desk, "mega", "consultation", msk(2026, 11, 28, 10, 0))  # Saturday
    with clock.frozen_at(msk(2026, 11, 28, 10, 0)):
        clocks = views(ticket)
    assert clocks["acknowledgement"].due_at == msk(2026, 11, 28, 12, 0)
    assert clocks["reaction"].due_at == msk(2026, 11, 28, 12, 0)
    assert clocks["resolution"].due_at == msk(2026, 11, 28, 14, 0)
    assert clocks["resolution"].calendar == "24/7"

    # At 11:00 L1 hands the request to L2: reaction and resolution continue on 5/2.
    with clock.frozen_at(msk(2026, 11, 28, 11, 0)):
        services.ticket_update(
            actor=desk["agent"],
            number=ticket.number,
            version=ticket.version,
            patch=services.TicketPatch(line="L2"),
        )
        moved = views(ticket)
    assert moved["reaction"].calendar == "5/2 МСК"
    assert moved["reaction"].due_at == msk(2026, 11, 30, 10, 0)  # 1 h used, 1 h on Monday
    assert moved["resolution"].due_at == msk(2026, 11, 30, 12, 0)  # 1 h used, 3 h on Monday
    # The staff change acknowledged the request (the L1 clock stopped at 11:00, met).
    assert moved["acknowledgement"].state == "met"


def test_raising_priority_while_paused_keeps_the_paused_time(desk) -> None:
    ticket = create(desk, "apteka", "mailing", msk(2026, 11, 23, 9, 0))  # SL_2: 24 h
    with clock.frozen_at(msk(2026, 11, 23, 11, 0)):
        services.ticket_transition(
            actor=desk["agent"], number=ticket.number, status="pending_requester"
        )
    with clock.frozen_at(msk(2026, 11, 23, 12, 0)):
        services.ticket_raise_priority(
            actor=desk["agent"],
            number=ticket.number,
            sla_level="SL_1",
            reason="Рассылка завтра утром",
        )
        raised = views(ticket)
    assert raised["resolution"].target_seconds == 4 * 3600
    assert raised["resolution"].remaining_seconds == 2 * 3600  # 2 h used before the pause
    assert raised["resolution"].state == "paused"
    with clock.frozen_at(msk(2026, 11, 23, 14, 0)):
        services.ticket_transition(actor=desk["agent"], number=ticket.number, status="open")
        resumed = views(ticket)
    assert resumed["resolution"].due_at == msk(2026, 11, 23, 16, 0)
    kinds = list(
        SlaClock.objects.get(ticket=ticket, target="resolution").entries.values_list(
            "kind", "reason"
        )
    )
    assert ("target_changed", "Рассылка завтра утром") in kinds


def test_waiting_on_development_pauses_nothing(desk) -> None:
    ticket = create(desk, "apteka", "incident", msk(2026, 11, 23, 9, 0))
    with clock.frozen_at(msk(2026, 11, 23, 10, 0)):
        services.ticket_transition(
            actor=desk["agent"], number=ticket.number, status="pending_development"
        )
    with clock.frozen_at(msk(2026, 11, 23, 13, 0)):
        clocks = views(ticket)
    assert clocks["resolution"].state == "running"
    assert clocks["resolution"].elapsed_seconds == 4 * 3600


def test_cancelled_ticket_stops_measuring(desk) -> None:
    ticket = create(desk, "apteka", "incident", msk(2026, 11, 23, 9, 0))
    with clock.frozen_at(msk(2026, 11, 23, 10, 0)):
        services.ticket_transition(
            actor=desk["apteka_user"], number=ticket.number, status="cancelled"
        )
        clocks = views(ticket)
    assert {v.state for v in clocks.values()} == {"cancelled"}
    assert not SlaClock.objects.filter(ticket=ticket, due_at__isnull=False).exists()


def test_unclassified_ticket_runs_on_the_default_level_until_a_service_is_set(desk) -> None:
    with clock.frozen_at(msk(2026, 11, 23, 9, 0)):
        ticket = services.ticket_create(
            actor=desk["agent"],
            data=services.NewTicket(
                subject="Непонятно что", client=desk["apteka"].code, channel="email"
            ),
        )
        clocks = views(ticket)
    assert clocks["resolution"].target_seconds == 24 * 3600  # default SL_2
    with clock.frozen_at(msk(2026, 11, 23, 10, 0)):
        services.ticket_set_service(actor=desk["agent"], number=ticket.number, service="report")
        clocks = views(ticket)
    assert clocks["resolution"].target_seconds == 4 * 3600  # report = SL_1
    assert clocks["resolution"].due_at == msk(2026, 11, 23, 13, 0)
