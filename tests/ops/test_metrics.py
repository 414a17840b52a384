"""Prometheus metrics: requests, latency, queue depth, tickets, and gauges other apps add."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from servicedesk.ops import gauges
from servicedesk.ops.metrics import _gauges, register_gauge

pytestmark = pytest.mark.django_db


def scrape(client, **headers) -> dict[str, list]:
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    families = text_string_to_metric_families(response.content.decode())
    return {family.name: family.samples for family in families}


def value(samples, **labels) -> float:
    return sum(s.value for s in samples if all(s.labels.get(k) == v for k, v in labels.items()))


def test_requests_are_counted_by_route_method_and_status(world, api_as, client) -> None:
    api = api_as(world["agent"])
    route = "/api/v1/tickets/<number>"
    before = scrape(client)
    old = value(before.get("servicedesk_http_requests", []), view=route, status="404")
    api.get("/tickets/SD-999999")
    api.get("/tickets/SD-999998")
    after = scrape(client)
    samples = after["servicedesk_http_requests"]
    assert value(samples, view=route, method="GET", status="404") == old + 2
    latency = after["servicedesk_http_request_duration_seconds"]
    assert value(latency, view=route, method="GET") > 0


def test_tickets_and_the_queue_are_gauges(world, api_as, client) -> None:
    api = api_as(world["agent"])
    api.post("/tickets", {"subject": "Касса", "client": world["mega"].code})
    metrics = scrape(client)
    assert value(metrics["servicedesk_tickets"], category="new") == 1
    assert value(metrics["servicedesk_huey_queue_depth"]) == 0
    assert value(metrics["servicedesk_worker_heartbeat_age_seconds"]) == -1


def test_sla_breaches_are_reported_only_when_the_sla_app_is_installed(client) -> None:
    metrics = scrape(client)
    assert ("servicedesk_sla_breached_tickets" in metrics) is gauges.sla_installed()


def test_other_apps_register_their_gauges(client) -> None:
    register_gauge(
        "servicedesk_mail_ingest_lag_seconds", "Age of the oldest unprocessed mail", lambda: 42
    )
    register_gauge(
        "servicedesk_mailbox_unread",
        "Unread mail per mailbox",
        lambda: {("support",): 3, ("billing",): 0},
        labels=("mailbox",),
    )

    def broken() -> float:
        raise RuntimeError("нет соединения с IMAP")

    register_gauge("servicedesk_broken_gauge", "Always fails", broken)
    try:
        metrics = scrape(client)
        assert value(metrics["servicedesk_mail_ingest_lag_seconds"]) == 42
        assert value(metrics["servicedesk_mailbox_unread"], mailbox="support") == 3
        assert "servicedesk_broken_gauge" not in metrics
        assert "servicedesk_tickets" in metrics  # one failing gauge spoils nothing else
    finally:
        for name in (
            "servicedesk_mail_ingest_lag_seconds",
            "servicedesk_mailbox_unread",
            "servicedesk_broken_gauge",
        ):
            _gauges.pop(name, None)


def test_metrics_can_require_a_bearer_token(client, settings) -> None:
    settings.METRICS_TOKEN = "scrape-secret"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert scrape(client, Authorization="Bearer scrape-secret")
