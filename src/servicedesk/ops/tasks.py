"""Background work of operations: the worker heartbeat, every minute."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, on_startup

from servicedesk.core.runtime import freeze_startup_objects
from servicedesk.ops.services import heartbeat_beat


@on_startup()
def settle_worker() -> None:
    """Each worker, once started: start-up's objects are left out of garbage collection."""
    freeze_startup_objects()


@db_periodic_task(crontab(minute="*"))
def worker_heartbeat() -> None:
    """Prove a consumer takes tasks off the queue (read by /readyz and /metrics)."""
    heartbeat_beat()
