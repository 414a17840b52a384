"""Prometheus metrics at /metrics: requests, latency, queue depth and registered gauges.

Counters and the latency histogram live in each web process; with several gunicorn
workers set PROMETHEUS_MULTIPROC_DIR (see docs/deploy.md) so a scrape sums them all.
Gauges are computed when scraped, from the database and the queue, so any process
answers the same. Other apps add theirs with `register_gauge`, e.g. in `AppConfig.ready`:

    register_gauge("servicedesk_mail_ingest_lag_seconds", "Age of the oldest unread mail",
                   oldest_unread_mail_age)
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

GaugeValue = float | int | Mapping[tuple[str, ...], float | int]

REQUESTS = Counter(
    "servicedesk_http_requests",
    "HTTP requests by view (URL route), method and status",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "servicedesk_http_request_duration_seconds",
    "Time to answer an HTTP request, by view (URL route) and method",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


@dataclass(frozen=True)
class Gauge:
    """A value computed at scrape time: a number, or {label values: number}."""

    name: str
    help: str
    fn: Callable[[], GaugeValue]
    labels: tuple[str, ...] = ()


_gauges: dict[str, Gauge] = {}


def register_gauge(
    name: str, help: str, fn: Callable[[], GaugeValue], labels: Sequence[str] = ()
) -> None:
    """Add (or replace) a gauge that `fn` computes on each scrape.

    `fn` returns a number, or, when `labels` are given, a mapping from a tuple of label
    values to a number. A gauge whose function fails is left out of that scrape (logged).
    """
    _gauges[name] = Gauge(name=name, help=help, fn=fn, labels=tuple(labels))


def registered_gauges() -> list[Gauge]:
    return list(_gauges.values())


class GaugeCollector(Collector):
    """Collect every registered gauge when Prometheus scrapes."""

    def collect(self) -> Iterator[Metric]:
        for gauge in registered_gauges():
            try:
                value = gauge.fn()
            except Exception:
                logger.exception("metrics: gauge %s failed", gauge.name)
                continue
            family = GaugeMetricFamily(gauge.name, gauge.help, labels=list(gauge.labels))
            if isinstance(value, Mapping):
                for label_values, number in value.items():
                    family.add_metric(list(label_values), float(number))
            else:
                family.add_metric([], float(value))
            yield family


_collector = GaugeCollector()
REGISTRY.register(_collector)


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unmatched>"
    return "/" + str(match.route)


class MetricsMiddleware:
    """Count each request and time it, labelled by its URL route (bounded cardinality)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in _METHODS else "OTHER"
        view = _route(request)
        LATENCY.labels(view, method).observe(time.perf_counter() - started)
        REQUESTS.labels(view, method, str(response.status_code)).inc()
        return response


def render_metrics() -> bytes:
    """Return the text exposition of every metric (all processes in multiprocess mode)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        registry.register(_collector)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def metrics_view(request: HttpRequest) -> HttpResponse:
    """Serve /metrics; with METRICS_TOKEN set, only to `Authorization: Bearer <token>`."""
    expected = settings.METRICS_TOKEN
    if expected:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), expected.encode()):
            response = HttpResponse("Нужен токен метрик\n", status=401, content_type="text/plain")
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
    return HttpResponse(render_metrics(), content_type=CONTENT_TYPE_LATEST)


def register_builtin_gauges() -> None:
    """Register the desk's own gauges (queue, tickets, worker, SLA when installed)."""
    from servicedesk.ops import gauges

    register_gauge(
        "servicedesk_huey_queue_depth",
        "Tasks waiting in the background queue",
        gauges.queue_depth,
    )
    register_gauge(
        "servicedesk_huey_scheduled_tasks",
        "Tasks scheduled for later (retries, delayed)",
        gauges.scheduled_tasks,
    )
    register_gauge(
        "servicedesk_worker_heartbeat_age_seconds",
        "Seconds since a background worker last ran the heartbeat task",
        gauges.heartbeat_age,
    )
    register_gauge(
        "servicedesk_tickets",
        "Tickets by status category",
        gauges.tickets_by_category,
        labels=("category",),
    )
    if gauges.sla_installed():
        register_gauge(
            "servicedesk_sla_breached_tickets",
            "Active tickets with at least one breached SLA clock, by clock target",
            gauges.sla_breached_tickets,
            labels=("target",),
        )
