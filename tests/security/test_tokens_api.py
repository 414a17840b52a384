"""API tokens through the API: named, expiring, revocable, last use shown, secret shown once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from servicedesk.accounts.models import ApiToken
from servicedesk.accounts.services import api_token_issue, hash_token
from servicedesk.core import clock

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_a_token_is_issued_once_and_listed_without_its_secret(world, api_as) -> None:
    api = api_as(world["agent"])
    issued = api.post("/tokens", {"name": "Интеграция с 1С", "days": 30})
    assert issued.status_code == 201, issued.content
    body = issued.json()
    assert body["token"].startswith("sdt_")
    assert body["name"] == "Интеграция с 1С"
    assert body["prefix"] == body["token"][:12]
    assert body["active"] is True
    stored = ApiToken.objects.get(pk=body["id"])
    assert stored.key_hash == hash_token(body["token"])
    assert body["token"] not in str(vars(stored))

    listing = api.get("/tokens").json()
    assert {row["name"] for row in listing} == {"tests", "Интеграция с 1С"}
    assert all("token" not in row for row in listing)


def test_tokens_expire_after_ninety_days_unless_told_otherwise(world, api_as) -> None:
    api = api_as(world["agent"])
    body = api.post("/tokens", {"name": "по умолчанию"}).json()
    expires = clock.now() + timedelta(days=90)
    assert abs((ApiToken.objects.get(pk=body["id"]).expires_at - expires).total_seconds()) < 60
    explicit = api.post("/tokens", {"name": "до даты", "expires_at": "2099-01-01T00:00:00+03:00"})
    assert explicit.status_code == 422  # more than ten years
    soon = (clock.now() + timedelta(days=1)).isoformat()
    assert api.post("/tokens", {"name": "на день", "expires_at": soon}).status_code == 201


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x", "days": 0}, "days"),
        ({"name": "x", "days": 5, "expires_at": "2030-01-01T00:00:00+03:00"}, "days"),
        ({"name": "x", "expires_at": "2020-01-01T00:00:00+03:00"}, "expires_at"),
        ({"name": "x", "expires_at": "2030-01-01T00:00:00"}, "expires_at"),
        ({"name": "x", "owner": "boss"}, "owner"),
    ],
)
def test_bad_token_requests_are_refused_with_the_field(world, api_as, payload, field) -> None:
    response = api_as(world["agent"]).post("/tokens", payload)
    assert response.status_code == 422, response.content
    assert field in str(response.json()["detail"][0]["loc"])


def test_an_expired_token_is_refused(world, client) -> None:
    _, raw = api_token_issue(
        user=world["agent"], name="короткий", expires_at=clock.now() + timedelta(hours=1)
    )
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 200
    with clock.frozen_at(clock.now() + timedelta(hours=2)):
        refused = client.get("/api/v1/me", headers=bearer(raw))
    assert refused.status_code == 401
    assert refused.json()["code"] == "unauthorized"


def test_a_revoked_token_is_refused_and_shown_as_revoked(world, api_as, client) -> None:
    api = api_as(world["agent"])
    body = api.post("/tokens", {"name": "ноутбук"}).json()
    assert client.get("/api/v1/me", headers=bearer(body["token"])).status_code == 200
    assert api.delete(f"/tokens/{body['id']}").status_code == 204
    assert client.get("/api/v1/me", headers=bearer(body["token"])).status_code == 401
    row = next(r for r in api.get("/tokens").json() if r["id"] == body["id"])
    assert row["active"] is False
    assert row["revoked_at"] is not None
    assert api.delete(f"/tokens/{body['id']}").status_code == 204  # revoking twice is fine


def test_nobody_revokes_or_sees_someone_elses_tokens(world, api_as) -> None:
    theirs, _ = api_token_issue(user=world["head"], name="руководитель")
    api = api_as(world["agent"])
    assert api.delete(f"/tokens/{theirs.pk}").status_code == 404
    assert theirs.pk not in {row["id"] for row in api.get("/tokens").json()}
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_last_use_is_recorded_at_most_once_a_minute(world, client) -> None:
    token, raw = api_token_issue(user=world["agent"], name="скрипт")
    assert token.last_used_at is None
    start = clock.now()
    with clock.frozen_at(start):
        client.get("/api/v1/me", headers=bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at == start
    with clock.frozen_at(start + timedelta(seconds=30)):
        client.get("/api/v1/me", headers=bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at == start
    with clock.frozen_at(start + timedelta(minutes=5)):
        client.get("/api/v1/me", headers=bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at == start + timedelta(minutes=5)


def test_the_admin_lists_tokens_with_last_use(world, client) -> None:
    api_token_issue(user=world["agent"], name="Интеграция кассы")
    client.force_login(world["head"])
    page = client.get("/admin/accounts/apitoken/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Интеграция кассы" in html
    assert "использован" in html.lower()
