"""Background work of problems: the daily reminder about long development hand-offs."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from servicedesk.problems.services import handoff_send_reminders


# Every 15 minutes; the service sends only after the configured local time (09:30 Moscow
# by default) and claims each hand-off once a day, so a worker that was down at 09:30
# still reminds on its first run after it, and extra runs send nothing.
@db_periodic_task(crontab(minute="*/15"))
def remind_about_development_handoffs() -> int:
    return handoff_send_reminders()
