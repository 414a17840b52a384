"""What the production hardening costs per API request.

Usage:  .venv/bin/python bench/ops_overhead.py [--requests 400]
Uses its own PostgreSQL database (BENCH_OPS_DATABASE_URL, default sd_bench_ops; created,
migrated and given the demo people if missing) and, when reachable, Redis on 127.0.0.1:6379/15 for the cache.
Times GET /api/v1/me and GET /api/v1/tickets?page_size=20 in-process (Django test client,
one thread) with the full middleware stack and without the issue-10 layers (request id,
metrics, TOTP gate, API rate limit, axes), with the local-memory cache and with Redis.
Prints one table: path, middleware, cache, p50 ms, p95 ms, requests/s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _setup

OURS = {
    "servicedesk.ops.requestid.RequestIdMiddleware",
    "servicedesk.ops.metrics.MetricsMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "servicedesk.security.otp.OtpVerificationMiddleware",
    "servicedesk.security.ratelimit.ApiClientLimitMiddleware",
    "axes.middleware.AxesMiddleware",
}
PATHS = ["/api/v1/me", "/api/v1/tickets?page_size=20"]


def time_requests(path: str, token: str, count: int) -> list[float]:
    from django.test import Client

    client = Client()
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(20):  # warm up: middleware loaded, connections open
        client.get(path, headers=headers)
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:300]
    return samples


def _migrated() -> bool:
    from django.db import connection

    return "accounts_user" in connection.introspection.table_names()


def redis_cache() -> dict[str, object] | None:
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return None
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"bench-{uuid.uuid4().hex[:8]}",
        }
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    url = os.environ.get(
        "BENCH_OPS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sd_bench_ops"
    )
    _setup.ensure_database(url)
    _setup.django_for(url)
    from django.conf import settings
    from django.test.utils import override_settings, setup_test_environment

    setup_test_environment()
    from servicedesk.accounts.models import User

    if not User.objects.exists() if _migrated() else True:
        _setup.migrate_and_configure()
    from servicedesk.accounts.services import api_token_issue

    user = User.objects.filter(is_superuser=False, client__isnull=True).order_by("pk").first()
    assert user is not None
    token = api_token_issue(user=user, name="bench ops_overhead")[1]
    full = list(settings.MIDDLEWARE)
    bare = [name for name in full if name not in OURS]
    caches = {"locmem": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}}
    redis = redis_cache()
    if redis is not None:
        caches["redis"] = redis
    rows = []
    with override_settings(API_RATE_LIMIT="10000000/minute"):
        for path in PATHS:
            for cache_name, cache in caches.items():
                for label, middleware in (("без слоёв issue 10", bare), ("полный", full)):
                    with override_settings(MIDDLEWARE=middleware, CACHES=cache):
                        samples = time_requests(path, token, args.requests)
                    p50 = statistics.median(samples)
                    p95 = statistics.quantiles(samples, n=20)[-1]
                    rows.append(
                        (path, label, cache_name, p50, p95, 1000 / statistics.mean(samples))
                    )
    print(f"{'путь':32} {'middleware':20} {'кеш':7} {'p50 мс':>7} {'p95 мс':>7} {'запр/с':>7}")
    for path, label, cache_name, p50, p95, rate in rows:
        print(f"{path:32} {label:20} {cache_name:7} {p50:7.2f} {p95:7.2f} {rate:7.0f}")


if __name__ == "__main__":
    main()
