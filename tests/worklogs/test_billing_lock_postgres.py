"""A log posted while the head closes its month lands in the next month, never lost."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from django.db import connection, transaction

from servicedesk.core import clock
from servicedesk.reports.domain.periods import Month
from servicedesk.reports.models import BillingSnapshot
from servicedesk.reports.services import billing_month_close
from servicedesk.worklogs.models import WorkLogPosting
from tests.worklogs.builders import log_time, msk, new_ticket

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_log_racing_the_month_close_is_billed_in_the_next_month(desk) -> None:
    ticket = new_ticket(desk["agent"], desk["mega"], "report", msk(2026, 1, 12, 10))
    log_time(desk["agent"], ticket, 60, msk(2026, 1, 12, 12))
    closing = threading.Event()

    def close_slowly() -> None:
        try:
            with clock.frozen_at(msk(2026, 2, 2, 10)), transaction.atomic():
                billing_month_close(actor=desk["head"], month=Month(2026, 1))
                closing.set()
                time.sleep(0.5)  # the poster below must wait for this commit
        finally:
            connection.close()

    closer = threading.Thread(target=close_slowly)
    closer.start()
    assert closing.wait(10)
    late = log_time(desk["agent"], ticket, 30, msk(2026, 2, 2, 10), work_date=date(2026, 1, 30))
    closer.join(10)

    assert list(WorkLogPosting.objects.filter(worklog=late).values_list("month", flat=True)) == [
        date(2026, 2, 1)
    ]
    bill = BillingSnapshot.objects.get(client=desk["mega"], closed_month__month=date(2026, 1, 1))
    assert bill.l3_minutes == 60
