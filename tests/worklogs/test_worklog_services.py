"""Logging time on tickets: defaults, validation, events, corrections by the head."""

from __future__ import annotations

from datetime import date

import pytest

from servicedesk.core import clock
from servicedesk.core.errors import Forbidden, ValidationFailed
from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.models import Ticket
from servicedesk.worklogs.models import WorkLogPosting
from servicedesk.worklogs.services import NewWorkLog, worklog_add, worklog_correct
from tests.worklogs.builders import log_time, msk, new_ticket

pytestmark = pytest.mark.django_db


def postings(log):
    return [
        (p.month.isoformat(), p.billable_minutes, p.consultation_minutes)
        for p in WorkLogPosting.objects.filter(worklog=log).order_by("month", "pk")
    ]


def test_time_on_an_l3_ticket_is_billable_by_default_and_recorded_in_history(desk) -> None:
    ticket = new_ticket(desk["agent"], desk["mega"], "report", msk(2026, 2, 2, 10))
    assert ticket.line == "L3"
    log = log_time(desk["agent"], ticket, 90, msk(2026, 2, 3, 12), note="Собрал выгрузку")

    assert log.billable is True
    assert log.work_date == date(2026, 2, 3)
    assert log.author == desk["agent"]
    assert postings(log) == [("2026-02-01", 90, 0)]
    event = ticket.events.get(type=TicketEventType.WORKLOG_ADDED)
    assert TicketEventType(event.type).label == "Списано время"
    assert event.data["minutes"] == 90
    assert event.data["month"] == "2026-02"
    assert Ticket.objects.get(pk=ticket.pk).version == ticket.version + 1


def test_time_on_an_l2_ticket_is_not_billable_unless_marked(desk) -> None:
    ticket = new_ticket(desk["agent"], desk["mega"], "incident", msk(2026, 2, 2, 10))
    plain = log_time(desk["agent"], ticket, 30, msk(2026, 2, 2, 11))
    marked = log_time(desk["agent"], ticket, 45, msk(2026, 2, 2, 12), billable=True)

    assert plain.billable is False
    assert postings(plain) == []
    assert marked.billable is True
    assert postings(marked) == [("2026-02-01", 45, 0)]


def test_time_on_a_consultation_counts_as_consultation_and_cannot_be_marked_billable(
    desk,
) -> None:
    ticket = new_ticket(desk["agent"], desk["mega"], "consultation", msk(2026, 2, 2, 10))
    log = log_time(desk["agent"], ticket, 40, msk(2026, 2, 2, 11))
    assert log.kind == "consultation"
    assert log.billable is False
    assert postings(log) == [("2026-02-01", 0, 40)]

    with pytest.raises(ValidationFailed) as refused:
        log_time(desk["agent"], ticket, 40, msk(2026, 2, 2, 11), billable=True)
    assert refused.value.field == "billable"


@pytest.mark.parametrize(
    ("minutes", "work_date", "field"),
    [
        (0, None, "minutes"),
        (1441, None, "minutes"),
        (30, date(2026, 2, 4), "work_date"),  # tomorrow
        (30, date(2026, 2, 1), "work_date"),  # before the ticket was registered
    ],
)
def test_bad_work_logs_are_refused_with_the_field_named(desk, minutes, work_date, field) -> None:
    ticket = new_ticket(desk["agent"], desk["mega"], "report", msk(2026, 2, 2, 10))
    with pytest.raises(ValidationFailed) as refused:
        log_time(desk["agent"], ticket, minutes, msk(2026, 2, 3, 12), work_date=work_date)
    assert refused.value.field == field
    assert not ticket.worklogs.exists()


def test_client_users_cannot_log_time(desk) -> None:
    ticket = new_ticket(desk["agent"], desk["mega"], "report", msk(2026, 2, 2, 10))
    with pytest.raises(Forbidden):
        log_time(desk["mega_user"], ticket, 30, msk(2026, 2, 2, 12))


def test_a_stale_version_is_refused(desk) -> None:
    from servicedesk.core.errors import StaleVersion

    ticket = new_ticket(desk["agent"], desk["mega"], "report", msk(2026, 2, 2, 10))
    log_time(desk["agent"], ticket, 30, msk(2026, 2, 2, 12))
    with clock.frozen_at(msk(2026, 2, 2, 13)), pytest.raises(StaleVersion):
        worklog_add(
            actor=desk["agent"],
            number=ticket.number,
            data=NewWorkLog(minutes=30),
            expected_version=ticket.version,
        )


def test_the_head_corrects_a_log_with_a_reason_and_an_event(desk) -> None:
    ticket = new_ticket(desk["agent"], desk["mega"], "report", msk(2026, 2, 2, 10))
    log = log_time(desk["agent"], ticket, 120, msk(2026, 2, 2, 12))
    with clock.frozen_at(msk(2026, 2, 5, 9)):
        corrected = worklog_correct(
            actor=desk["head"], worklog_id=log.pk, minutes=60, reason="Половина — обучение"
        )
    assert corrected.minutes == 60
    assert postings(corrected) == [("2026-02-01", 60, 0)]
    event = ticket.events.get(type=TicketEventType.WORKLOG_CORRECTED)
    assert event.data["changes"] == {"minutes": {"old": 120, "new": 60}}
    assert event.data["reason"] == "Половина — обучение"
    assert event.actor == desk["head"]


def test_correcting_to_zero_takes_the_time_off_the_bill_but_keeps_the_log(desk) -> None:
    ticket = new_ticket(desk["agent"], desk["mega"], "report", msk(2026, 2, 2, 10))
    log = log_time(desk["agent"], ticket, 120, msk(2026, 2, 2, 12))
    with clock.frozen_at(msk(2026, 2, 5, 9)):
        worklog_correct(actor=desk["head"], worklog_id=log.pk, minutes=0, reason="Ошибка")
    assert ticket.worklogs.get().minutes == 0
    assert postings(log) == []


def test_only_the_head_corrects_logs_and_needs_a_reason(desk) -> None:
    ticket = new_ticket(desk["agent"], desk["mega"], "report", msk(2026, 2, 2, 10))
    log = log_time(desk["agent"], ticket, 120, msk(2026, 2, 2, 12))
    with clock.frozen_at(msk(2026, 2, 5, 9)):
        with pytest.raises(Forbidden):
            worklog_correct(actor=desk["agent"], worklog_id=log.pk, minutes=10, reason="x")
        with pytest.raises(Forbidden):
            worklog_correct(actor=desk["manager"], worklog_id=log.pk, minutes=10, reason="x")
        with pytest.raises(ValidationFailed) as no_reason:
            worklog_correct(actor=desk["head"], worklog_id=log.pk, minutes=10, reason="  ")
        with pytest.raises(ValidationFailed):
            worklog_correct(actor=desk["head"], worklog_id=log.pk, minutes=120, reason="то же")
    assert no_reason.value.field == "reason"
    assert ticket.worklogs.get().minutes == 120
