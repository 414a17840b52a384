"""Consultation hours against the contract's monthly cap; managers are told once."""

from __future__ import annotations

from datetime import date

import pytest

from servicedesk.accounts.roles import Role
from servicedesk.reports.domain.periods import Month
from servicedesk.sla.models import Notification
from servicedesk.worklogs.selectors import consultation_usage
from tests import factories
from tests.worklogs.builders import log_time, msk, new_ticket

pytestmark = pytest.mark.django_db


def cap_notices(user) -> list[str]:
    return list(
        Notification.objects.filter(user=user, kind="consultation_cap_exceeded")
        .order_by("pk")
        .values_list("title", flat=True)
    )


def test_the_log_that_crosses_the_cap_is_flagged_with_its_part_above_it(desk) -> None:
    ticket = new_ticket(desk["agent"], desk["mega"], "consultation", msk(2026, 2, 2, 10))
    first = log_time(desk["agent"], ticket, 500, msk(2026, 2, 3, 12))
    crossing = log_time(desk["agent"], ticket, 200, msk(2026, 2, 4, 12))
    later = log_time(desk["agent"], ticket, 60, msk(2026, 2, 5, 12))

    assert [first.over_cap_minutes, crossing.over_cap_minutes, later.over_cap_minutes] == [
        0,
        100,
        60,
    ]
    usage = consultation_usage(desk["mega"], Month(2026, 2))
    assert (usage.used_minutes, usage.cap_minutes, usage.over_minutes) == (760, 600, 160)
    assert str(usage.used_hours) == "12.67"
    assert str(usage.cap_hours) == "10.00"
    assert usage.percent == 127


def test_service_managers_are_notified_once_per_client_and_month(desk) -> None:
    second_manager = factories.staff(Role.SERVICE_MANAGER, username="manager2")
    ticket = new_ticket(desk["agent"], desk["mega"], "consultation", msk(2026, 2, 2, 10))
    log_time(desk["agent"], ticket, 590, msk(2026, 2, 3, 12))
    assert cap_notices(desk["manager"]) == []
    log_time(desk["agent"], ticket, 20, msk(2026, 2, 3, 13))
    log_time(desk["agent"], ticket, 20, msk(2026, 2, 3, 14))
    title = f"{desk['mega'].name}: превышен лимит консультаций за февраль 2026"
    assert cap_notices(desk["manager"]) == [title]
    assert cap_notices(second_manager) == [title]
    assert cap_notices(desk["agent"]) == []

    march = new_ticket(desk["agent"], desk["mega"], "consultation", msk(2026, 3, 2, 10))
    log_time(desk["agent"], march, 700, msk(2026, 3, 2, 12))
    assert cap_notices(desk["manager"])[-1].endswith("за март 2026")
    assert len(cap_notices(desk["manager"])) == 2


def test_consultations_of_a_client_without_a_cap_are_never_over(desk) -> None:
    unlimited = factories.client_with_contract(consultation_hours_cap=None)
    ticket = new_ticket(desk["agent"], unlimited, "consultation", msk(2026, 2, 2, 10))
    log = log_time(desk["agent"], ticket, 1400, msk(2026, 2, 3, 12))
    usage = consultation_usage(unlimited, Month(2026, 2))
    assert log.over_cap_minutes == 0
    assert (usage.used_minutes, usage.cap_minutes, usage.over_minutes) == (1400, None, 0)
    assert cap_notices(desk["manager"]) == []


def test_usage_counts_the_month_of_the_work_date_in_moscow(desk) -> None:
    ticket = new_ticket(desk["agent"], desk["mega"], "consultation", msk(2026, 1, 30, 10))
    # Logged on 1 February at 00:30 Moscow time (31 January 21:30 UTC) for 31 January.
    log_time(desk["agent"], ticket, 30, msk(2026, 2, 1, 0, 30), work_date=date(2026, 1, 31))
    log_time(desk["agent"], ticket, 45, msk(2026, 2, 1, 0, 40))
    assert consultation_usage(desk["mega"], Month(2026, 1)).used_minutes == 30
    assert consultation_usage(desk["mega"], Month(2026, 2)).used_minutes == 45
