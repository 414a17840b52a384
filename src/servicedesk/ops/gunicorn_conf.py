"""gunicorn settings for production: `gunicorn -c python:servicedesk.ops.gunicorn_conf …`.

Bind address and worker count stay on the command line (see docs/deploy.md); this file
adds what every machine needs: an access log line per request with the request id,
and clean-up of a worker's Prometheus files when it exits (PROMETHEUS_MULTIPROC_DIR).
"""

from __future__ import annotations

import os
from typing import Any

accesslog = "-"
# One JSON object per request; the id matches the application's log lines.
access_log_format = (
    '{"logger": "gunicorn.access", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", '
    '"status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, "request_id": "%({x-request-id}o)s"}'
)
control_socket_disable = True  # several instances on one machine must not share it
timeout = 60
graceful_timeout = 30


def child_exit(server: Any, worker: Any) -> None:
    """Tell prometheus_client a worker died, so its live gauges stop counting."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
