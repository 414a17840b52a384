"""Writes for operations: the worker heartbeat."""

from __future__ import annotations

import os
import socket

from servicedesk.core import clock
from servicedesk.ops.models import WorkerHeartbeat


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def heartbeat_beat(*, worker: str | None = None) -> WorkerHeartbeat:
    """Record that `worker` (this process by default) is alive and running tasks."""
    beat, _ = WorkerHeartbeat.objects.update_or_create(
        worker=worker or worker_name(), defaults={"beat_at": clock.now()}
    )
    return beat
