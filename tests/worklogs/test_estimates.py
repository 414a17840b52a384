"""L3 estimates: proposed by staff, decided by the client, excess approved by the manager."""

from __future__ import annotations

from decimal import Decimal

import pytest

from servicedesk.core import clock
from servicedesk.core.errors import Forbidden, NotFound, ValidationFailed
from servicedesk.sla.models import Notification
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.worklogs.models import EstimateState, WorkLogPosting
from servicedesk.worklogs.selectors import approved_estimate, pending_excess
from servicedesk.worklogs.services import (
    estimate_decide,
    estimate_propose,
    worklog_excess_decide,
)
from tests.worklogs.builders import log_time, msk, new_ticket

pytestmark = pytest.mark.django_db


def billed(ticket) -> int:
    return sum(p.billable_minutes for p in WorkLogPosting.objects.filter(ticket=ticket))


@pytest.fixture
def l3_ticket(desk):
    return new_ticket(desk["agent"], desk["mega"], "report", msk(2026, 2, 2, 10))


def propose(desk, ticket, hours="2", at=msk(2026, 2, 2, 11)):
    with clock.frozen_at(at):
        return estimate_propose(actor=desk["agent"], number=ticket.number, hours=hours)


def decide(user, ticket, estimate, approve=True, at=msk(2026, 2, 2, 12)):
    with clock.frozen_at(at):
        return estimate_decide(
            actor=user, number=ticket.number, estimate_id=estimate.pk, approve=approve
        )


def test_the_client_approves_an_estimate_and_it_is_recorded(desk, l3_ticket) -> None:
    estimate = propose(desk, l3_ticket, "6.5")
    assert estimate.state == EstimateState.PROPOSED
    assert approved_estimate(l3_ticket) is None

    decided = decide(desk["mega_user"], l3_ticket, estimate)
    assert decided.state == EstimateState.APPROVED
    assert decided.decided_by == desk["mega_user"]
    assert decided.decided_at == msk(2026, 2, 2, 12)
    assert approved_estimate(l3_ticket) == decided
    kinds = list(l3_ticket.events.values_list("type", flat=True))
    assert TicketEventType.ESTIMATE_PROPOSED in kinds
    event = l3_ticket.events.get(type=TicketEventType.ESTIMATE_DECIDED)
    assert event.data["decision"] == "approved"
    assert event.data["hours"] == "6.50"


def test_a_declined_estimate_is_not_in_force(desk, l3_ticket) -> None:
    estimate = propose(desk, l3_ticket)
    declined = decide(desk["mega_user"], l3_ticket, estimate, approve=False)
    assert declined.state == EstimateState.DECLINED
    assert approved_estimate(l3_ticket) is None
    with pytest.raises(ValidationFailed):
        decide(desk["mega_user"], l3_ticket, estimate)


def test_a_new_proposal_replaces_the_pending_one(desk, l3_ticket) -> None:
    first = propose(desk, l3_ticket, "2")
    second = propose(desk, l3_ticket, "3")
    first.refresh_from_db()
    assert first.state == EstimateState.SUPERSEDED
    with pytest.raises(ValidationFailed):
        decide(desk["mega_user"], l3_ticket, first)
    assert decide(desk["mega_user"], l3_ticket, second).state == EstimateState.APPROVED


def test_only_the_tickets_own_client_decides(desk, l3_ticket) -> None:
    estimate = propose(desk, l3_ticket)
    with pytest.raises(NotFound):
        decide(desk["apteka_user"], l3_ticket, estimate)
    with pytest.raises(Forbidden):
        decide(desk["agent"], l3_ticket, estimate)
    with pytest.raises(NotFound):
        decide(desk["mega_user"], l3_ticket, type("E", (), {"pk": 999_999})())


def test_estimates_are_for_l3_tickets_and_sensible_hours(desk, l3_ticket) -> None:
    l2 = new_ticket(desk["agent"], desk["mega"], "incident", msk(2026, 2, 2, 10))
    with pytest.raises(ValidationFailed) as not_l3:
        propose(desk, l2)
    assert "3-й линии" in not_l3.value.message
    for bad in ("0", "-1", "abc", "5000"):
        with pytest.raises(ValidationFailed) as refused:
            propose(desk, l3_ticket, bad)
        assert refused.value.field == "hours"
    with clock.frozen_at(msk(2026, 2, 2, 11)), pytest.raises(Forbidden):
        estimate_propose(actor=desk["mega_user"], number=l3_ticket.number, hours="2")


def test_time_above_the_approved_estimate_waits_for_the_service_manager(desk, l3_ticket) -> None:
    decide(desk["mega_user"], l3_ticket, propose(desk, l3_ticket, "2"))  # 120 minutes
    within = log_time(desk["agent"], l3_ticket, 90, msk(2026, 2, 3, 12))
    crossing = log_time(desk["agent"], l3_ticket, 60, msk(2026, 2, 3, 15))
    after = log_time(desk["agent"], l3_ticket, 30, msk(2026, 2, 3, 16))

    assert (within.excess_minutes, within.excess_state) == (0, "")
    assert (crossing.excess_minutes, crossing.excess_state) == (30, "pending")
    assert (after.excess_minutes, after.excess_state) == (30, "pending")
    assert billed(l3_ticket) == 120  # pending excess is not billed
    assert list(pending_excess(desk["manager"])) == [crossing, after]
    assert (
        Notification.objects.filter(user=desk["manager"], kind="worklog_excess_pending").count()
        == 2
    )

    with clock.frozen_at(msk(2026, 2, 4, 10)):
        worklog_excess_decide(actor=desk["manager"], worklog_id=crossing.pk, approve=True)
        worklog_excess_decide(
            actor=desk["manager"], worklog_id=after.pk, approve=False, note="Не согласовано"
        )
    assert billed(l3_ticket) == 150
    assert list(pending_excess(desk["manager"])) == []
    decisions = l3_ticket.events.filter(type=TicketEventType.WORKLOG_EXCESS_DECIDED)
    assert [e.data["decision"] for e in decisions] == ["approved", "rejected"]


def test_only_a_service_manager_or_the_head_decides_on_excess(desk, l3_ticket) -> None:
    decide(desk["mega_user"], l3_ticket, propose(desk, l3_ticket, "1"))
    log = log_time(desk["agent"], l3_ticket, 90, msk(2026, 2, 3, 12))
    with clock.frozen_at(msk(2026, 2, 4, 10)):
        with pytest.raises(Forbidden):
            worklog_excess_decide(actor=desk["agent"], worklog_id=log.pk, approve=True)
        with pytest.raises(Forbidden):
            pending_excess(desk["agent"])
        worklog_excess_decide(actor=desk["head"], worklog_id=log.pk, approve=True)
        with pytest.raises(ValidationFailed):
            worklog_excess_decide(actor=desk["manager"], worklog_id=log.pk, approve=False)


def test_without_an_approved_estimate_nothing_waits(desk, l3_ticket) -> None:
    propose(desk, l3_ticket, "1")  # proposed, never approved
    log = log_time(desk["agent"], l3_ticket, 300, msk(2026, 2, 3, 12))
    assert log.excess_state == ""
    assert billed(l3_ticket) == 300


def test_estimate_hours_are_kept_exactly(desk, l3_ticket) -> None:
    assert propose(desk, l3_ticket, 1.25).hours == Decimal("1.25")
