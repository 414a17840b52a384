"""The demo desk comes with work time, so reports and the billing page have figures."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from servicedesk.tickets.domain.events import TicketEventType
from servicedesk.tickets.models import TicketEvent
from servicedesk.worklogs.models import Estimate, WorkLog, WorkLogPosting

pytestmark = pytest.mark.django_db


def test_the_demo_logs_time_on_worked_tickets_once() -> None:
    call_command("load_demo", "--tickets", "60", stdout=StringIO())
    logs = WorkLog.objects.count()
    assert logs > 0
    assert TicketEvent.objects.filter(type=TicketEventType.WORKLOG_ADDED).count() == logs
    assert WorkLogPosting.objects.exists()
    assert Estimate.objects.exists()
    call_command("load_demo", "--tickets", "60", stdout=StringIO())
    assert WorkLog.objects.count() == logs
