"""Liveness (/healthz) and readiness (/readyz: database, Redis, worker heartbeat)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from huey.contrib.djhuey import HUEY

from servicedesk.core import clock
from servicedesk.ops.models import WorkerHeartbeat
from servicedesk.ops.services import heartbeat_beat

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_worker(monkeypatch):
    """Behave as in production: tasks go to a queue a separate worker must take them from."""
    monkeypatch.setattr(HUEY, "_immediate", False)


def test_healthz_answers_without_the_database(client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_reports_each_check(client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["worker"]["ok"] is True  # tests run tasks inline
    assert "redis" not in body["checks"] or body["checks"]["redis"]["ok"]


def test_readyz_fails_until_a_worker_has_beaten(client, real_worker) -> None:
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {
        "ok": False,
        "detail": "воркер ещё ни разу не отметился",
    }
    heartbeat_beat(worker="host-a:1")
    worker = client.get("/readyz").json()["checks"]["worker"]
    assert worker["ok"] is True
    assert worker["worker"] == "host-a:1"


def test_readyz_fails_when_the_last_heartbeat_is_over_three_minutes_old(
    client, real_worker
) -> None:
    start = clock.now()
    with clock.frozen_at(start):
        heartbeat_beat(worker="host-a:1")
    with clock.frozen_at(start + timedelta(minutes=2, seconds=59)):
        assert client.get("/readyz").status_code == 200
    with clock.frozen_at(start + timedelta(minutes=3, seconds=30)):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["age_seconds"] == 210.0


def test_the_heartbeat_task_records_this_worker(db) -> None:
    from servicedesk.ops.tasks import worker_heartbeat

    worker_heartbeat()
    worker_heartbeat()
    assert WorkerHeartbeat.objects.count() == 1


def test_readyz_fails_when_redis_is_configured_but_down(client, settings) -> None:
    settings.ENV = dataclasses.replace(django_settings.ENV, redis_url="redis://127.0.0.1:1/0")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["ok"] is False


def test_readyz_checks_a_configured_redis(client, settings) -> None:
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis на 127.0.0.1:6379 недоступен")
    settings.ENV = dataclasses.replace(django_settings.ENV, redis_url=url)
    assert client.get("/readyz").json()["checks"]["redis"] == {"ok": True, "detail": "pong"}


def test_probes_are_not_redirected_to_https(client, settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/metrics").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 301
