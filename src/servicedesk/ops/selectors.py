"""Reads for operations: heartbeat and readiness checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection

from servicedesk.core import clock
from servicedesk.ops.models import WorkerHeartbeat


def last_heartbeat() -> WorkerHeartbeat | None:
    return WorkerHeartbeat.objects.order_by("-beat_at").first()


@dataclass(frozen=True)
class Check:
    """The result of one readiness check."""

    ok: bool
    detail: str
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "detail": self.detail, **self.extra}


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return Check(False, f"{type(error).__name__}: {error}")
    return Check(True, connection.vendor)


def check_redis(url: str) -> Check:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        client.ping()
    except Exception as error:
        return Check(False, f"{type(error).__name__}: {error}")
    return Check(True, "pong")


def check_worker(max_age: timedelta) -> Check:
    """Pass when a worker ran the heartbeat task within `max_age`."""
    from huey.contrib.djhuey import HUEY

    if HUEY.immediate:
        return Check(True, "задачи выполняются в веб-процессе (HUEY_IMMEDIATE)")
    try:
        beat = last_heartbeat()
    except Exception as error:
        return Check(False, f"{type(error).__name__}: {error}")
    if beat is None:
        return Check(False, "воркер ещё ни разу не отметился")
    age = (clock.now() - beat.beat_at).total_seconds()
    extra = {"age_seconds": round(age, 1), "worker": beat.worker}
    if age > max_age.total_seconds():
        return Check(False, f"последний сигнал {int(age)} с назад", extra)
    return Check(True, "работает", extra)


def readiness() -> dict[str, Check]:
    """Return every readiness check: database, Redis when configured, worker heartbeat."""
    checks = {"database": check_database()}
    redis_url = settings.ENV.redis_url
    if redis_url:
        checks["redis"] = check_redis(redis_url)
    checks["worker"] = check_worker(settings.WORKER_HEARTBEAT_MAX_AGE)
    return checks
