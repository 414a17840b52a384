"""Every malformed input gets a structured 422 with Russian messages; auth errors are JSON."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from servicedesk.accounts.services import api_token_issue, api_token_revoke
from servicedesk.core import clock

pytestmark = pytest.mark.django_db

GOOD = {"subject": "Тема", "client": "?", "service": "incident"}


def body(world: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = GOOD | {"client": world["mega"].code} | changes
    return {k: v for k, v in data.items() if v is not ...}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"subject": ...}, "subject", "Обязательное поле"),
        ({"subject": ""}, "subject", "Не короче 1"),
        ({"subject": "я" * 301}, "subject", "Не длиннее 300"),
        ({"description": "я" * 100_001}, "description", "Не длиннее 100000"),
        ({"subject": 42}, "subject", "Ожидается строка"),
        ({"subject": ["a"]}, "subject", "Ожидается строка"),
        ({"requester_id": "abc"}, "requester_id", "Ожидается целое число"),
        ({"requester_id": 0}, "requester_id", "Не меньше 1"),
        ({"channel": "fax"}, "channel", "Допустимые значения"),
        ({"line": "L9"}, "line", "'L1', 'L2' или 'L3'"),
        ({"surprise": 1}, "surprise", "Неизвестное поле"),
        ({"client": ...}, "client", "Обязательное поле"),
    ],
)
def test_malformed_ticket_is_refused_with_field_errors(world, api_as, changes, field, message):
    response = api_as(world["agent"]).post("/tickets", body(world, **changes))
    assert response.status_code == 422
    payload = response.json()
    assert payload["code"] == "invalid"
    matching = [d for d in payload["detail"] if d["loc"][-1] == field]
    assert matching, payload
    assert message in matching[0]["msg"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"client": "nobody"}, "client", "Клиент «nobody» не найден"),
        ({"service": "teleport"}, "service", "Услуга «teleport» не найдена"),
        ({"outlet": "NOPE"}, "outlet", "Торговая точка «NOPE» не найдена"),
        ({"assignee": "ghost"}, "assignee", "Сотрудник «ghost» не найден"),
        ({"requester_id": 999999}, "requester", "Контакт #999999 не найден"),
        ({"subject": "   "}, "subject", "Заполните поле «Тема»"),
    ],
)
def test_unknown_codes_are_refused_naming_the_field(world, api_as, changes, field, message):
    response = api_as(world["agent"]).post("/tickets", body(world, **changes))
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["body", field]
    assert message in detail["msg"]


def test_broken_json_is_a_422_not_a_500(world, api_as, client) -> None:
    api = api_as(world["agent"])
    response = client.post(
        "/api/v1/tickets", data="{not json", content_type="application/json", headers=api.headers
    )
    assert response.status_code in (400, 422)
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page_size=1000",
        "page=abc",
        "created_from=вчера",
        "ordering=password",
        "q=" + "я" * 201,
    ],
)
def test_bad_list_parameters_are_refused(world, api_as, query) -> None:
    response = api_as(world["agent"]).get(f"/tickets?{query}")
    assert response.status_code == 422
    assert response.json()["detail"]


def test_patch_without_version_or_with_unknown_fields_is_refused(world, api_as) -> None:
    api = api_as(world["agent"])
    number = api.post("/tickets", body(world)).json()["number"]
    no_version = api.patch(f"/tickets/{number}", {"subject": "x"})
    assert no_version.status_code == 422
    assert no_version.json()["detail"][0]["loc"][-1] == "version"
    unknown = api.patch(f"/tickets/{number}", {"version": 1, "number": "SD-1"})
    assert unknown.status_code == 422


def test_missing_wrong_revoked_and_expired_tokens_answer_401(world, client) -> None:
    assert client.get("/api/v1/tickets").status_code == 401
    wrong = client.get("/api/v1/tickets", headers={"Authorization": "Bearer sdt_nope"})
    assert wrong.status_code == 401
    assert wrong.json()["code"] == "unauthorized"
    token, raw = api_token_issue(user=world["agent"], name="x")
    ok = client.get("/api/v1/tickets", headers={"Authorization": f"Bearer {raw}"})
    assert ok.status_code == 200
    api_token_revoke(token=token)
    assert (
        client.get("/api/v1/tickets", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    )
    _, short = api_token_issue(
        user=world["agent"], name="y", expires_at=clock.now() + timedelta(seconds=30)
    )
    with clock.frozen_at(clock.now() + timedelta(minutes=1)):
        expired = client.get("/api/v1/tickets", headers={"Authorization": f"Bearer {short}"})
    assert expired.status_code == 401


def test_only_the_token_hash_is_stored(world) -> None:
    token, raw = api_token_issue(user=world["agent"], name="x")
    assert raw not in token.key_hash
    assert len(token.key_hash) == 64
    assert raw.startswith(token.prefix)


def test_unknown_ticket_is_404_json(world, api_as) -> None:
    response = api_as(world["agent"]).get("/tickets/SD-999999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_body_that_is_not_json_is_a_422_in_russian(world, api_as) -> None:
    api = api_as(world["agent"])
    response = api.client.post(
        "/api/v1/tickets", data=b"\xff\xfe{", content_type="application/json", headers=api.headers
    )
    assert response.status_code == 422
    assert response.json()["detail"][0] == {
        "loc": ["body"],
        "msg": "Некорректный JSON в теле запроса (или в нём символ NUL)",
        "type": "json_invalid",
    }


def test_an_unknown_api_address_answers_json_404(world, api_as, client) -> None:
    response = api_as(world["agent"]).get("/contacts/not-a-number")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.get("/no-such-page/")["Content-Type"].startswith("text/html")


def test_a_nul_character_is_refused_in_bodies_and_dropped_from_queries(world, api_as) -> None:
    """PostgreSQL cannot store U+0000; it used to end in a 500 there (found by schemathesis)."""
    api = api_as(world["agent"])
    refused = api.post("/tickets", {"subject": "Касса\u0000", "client": world["mega"].code})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["type"] == "json_invalid"
    assert api.get("/tickets?q=%00Касса").status_code == 200
    login = api.client.post(
        "/api/v1/auth/token",
        {"username": "x\u0000", "password": "y", "name": "z"},
        content_type="application/json",
    )
    assert login.status_code == 422


def test_any_iso_offset_is_accepted_in_filters(world, api_as) -> None:
    """An offset PostgreSQL cannot store (-18:14) used to be a 500 (found by schemathesis)."""
    api = api_as(world["agent"])
    response = api.get("/tickets", data={"created_from": "1510-03-07T11:33:15-18:14"})
    assert response.status_code == 200
    token = api.post("/tokens", {"name": "x", "expires_at": "2030-01-01T00:00:00-18:14"})
    assert token.status_code == 201
    expires = datetime.fromisoformat(token.json()["expires_at"])
    assert expires == datetime(2030, 1, 1, 18, 14, tzinfo=UTC)
