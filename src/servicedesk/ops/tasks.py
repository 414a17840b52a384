"""Background work of operations: the worker heartbeat, every minute."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from servicedesk.ops.services import heartbeat_beat


@db_periodic_task(crontab(minute="*"))
def worker_heartbeat() -> None:
    """Prove a consumer takes tasks off the queue (read by /readyz and /metrics)."""
    heartbeat_beat()
