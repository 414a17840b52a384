"""Background work of routing (huey): hand out the off-shift queue when a shift starts."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from servicedesk.routing.services import routing_assign_waiting


@db_periodic_task(crontab(minute="*/5"))
def assign_tickets_waiting_for_shift() -> None:
    """Give tickets queued while their role was off shift to whoever is on shift now."""
    routing_assign_waiting()
