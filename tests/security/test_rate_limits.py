"""API rate limits: per token, and per address for failed or missing authentication."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from servicedesk.accounts.services import api_token_issue
from servicedesk.core import clock

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_a_token_over_its_limit_gets_429_with_retry_after(world, client, settings) -> None:
    settings.API_RATE_LIMIT = "3/minute"
    _, raw = api_token_issue(user=world["agent"], name="скрипт")
    _, other = api_token_issue(user=world["agent"], name="другой скрипт")
    start = clock.now().replace(second=10, microsecond=0)
    with clock.frozen_at(start):
        assert [client.get("/api/v1/me", headers=bearer(raw)).status_code for _ in range(3)] == [
            200,
            200,
            200,
        ]
        refused = client.get("/api/v1/me", headers=bearer(raw))
        assert refused.status_code == 429
        assert refused["Retry-After"] == "50"
        assert refused.json()["code"] == "too_many_requests"
        assert "токена" in refused.json()["message"]
        assert client.get("/api/v1/me", headers=bearer(other)).status_code == 200
    with clock.frozen_at(start + timedelta(minutes=1)):
        assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 200


def test_the_browser_session_is_limited_per_user(world, client, settings) -> None:
    settings.API_RATE_LIMIT = "2/minute"
    client.force_login(world["agent"])
    statuses = [client.get("/api/v1/me").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_guessing_tokens_blocks_the_address_even_for_a_good_token(world, client, settings) -> None:
    settings.API_ANON_RATE_LIMIT = "3/minute"
    _, good = api_token_issue(user=world["agent"], name="скрипт")
    for _ in range(3):
        guess = bearer("sdt_" + uuid.uuid4().hex)
        assert client.get("/api/v1/me", headers=guess).status_code == 401
    blocked = client.get("/api/v1/me", headers=bearer(good))
    assert blocked.status_code == 429
    assert "неудачных" in blocked.json()["message"]
    assert int(blocked["Retry-After"]) > 0
    other_address = client.get("/api/v1/me", headers=bearer(good), REMOTE_ADDR="10.1.2.3")
    assert other_address.status_code == 200


def test_requests_without_credentials_have_the_lower_limit(client, settings, db) -> None:
    settings.API_ANON_RATE_LIMIT = "2/minute"
    statuses = [client.get("/api/v1/tickets").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]


def test_the_schema_and_docs_are_never_limited(client, settings, db) -> None:
    settings.API_ANON_RATE_LIMIT = "1/minute"
    assert all(client.get("/api/v1/openapi.json").status_code == 200 for _ in range(5))


def test_behind_nginx_the_forwarded_client_address_counts(world, client, settings) -> None:
    settings.API_ANON_RATE_LIMIT = "1/minute"
    settings.PROXY_COUNT = 1
    nginx = {"REMOTE_ADDR": "127.0.0.1"}
    first = client.get("/api/v1/tickets", HTTP_X_FORWARDED_FOR="203.0.113.5", **nginx)
    second = client.get("/api/v1/tickets", HTTP_X_FORWARDED_FOR="203.0.113.5", **nginx)
    other = client.get("/api/v1/tickets", HTTP_X_FORWARDED_FOR="203.0.113.6", **nginx)
    assert [first.status_code, second.status_code, other.status_code] == [401, 429, 401]
    # A client cannot escape by writing its own X-Forwarded-For: nginx appends the real one.
    spoofed = client.get("/api/v1/tickets", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5", **nginx)
    assert spoofed.status_code == 429


def test_limits_are_shared_through_redis(world, client, settings) -> None:
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis на 127.0.0.1:6379 недоступен: общий счётчик не проверить")
    prefix = f"sd-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    settings.API_RATE_LIMIT = "2/minute"
    _, raw = api_token_issue(user=world["agent"], name="скрипт")
    statuses = [client.get("/api/v1/me", headers=bearer(raw)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    server = redis.Redis.from_url(url)
    keys = list(server.scan_iter(f"{prefix}:*rl:api:*"))
    assert len(keys) == 1
    server.delete(*keys)
