"""The ticket API end to end, as a program using a token would."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def create(api: Any, world: dict[str, Any], **fields: Any) -> dict[str, Any]:
    body = {
        "subject": "Касса не принимает карту",
        "client": world["mega"].code,
        "service": "incident",
        "outlet": "M-01",
    } | fields
    response = api.post("/tickets", body)
    assert response.status_code == 201, response.content
    return response.json()


def test_create_read_update_and_list_a_ticket(world, api_as) -> None:
    api = api_as(world["agent"])
    created = create(api, world, description="Ошибка 0x15 на кассе 3")
    assert created["number"].startswith("SD-")
    assert created["status"] == {"code": "new", "name": "Новое", "category": "new"}
    assert created["sla_level"] == {"code": "SL_2", "priority": "Средний"}
    assert created["outlet"]["code"] == "M-01"
    assert created["channel"] == "api"

    detail = api.get(f"/tickets/{created['number']}").json()
    assert detail["description"] == "Ошибка 0x15 на кассе 3"

    patched = api.patch(
        f"/tickets/{created['number']}",
        {
            "version": detail["version"],
            "subject": "Касса №3 не принимает карты",
            "assignee": "agent",
        },
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["assignee"]["username"] == "agent"
    assert patched.json()["version"] == detail["version"] + 1

    listing = api.get("/tickets?q=Касса №3").json()
    assert listing["count"] == 1
    assert listing["results"][0]["number"] == created["number"]


def test_list_filters_order_and_paginates_with_a_total(world, api_as) -> None:
    api = api_as(world["agent"])
    numbers = [create(api, world, subject=f"Обращение {i}")["number"] for i in range(5)]
    create(api, world, client=world["apteka"].code, outlet=None, service="report")
    page = api.get("/tickets?client=" + world["mega"].code + "&page_size=2&ordering=number").json()
    assert page["count"] == 5
    assert page["pages"] == 3
    assert page["next_page"] == 2
    assert [r["number"] for r in page["results"]] == numbers[:2]
    assert api.get("/tickets?service=report").json()["count"] == 1
    assert api.get("/tickets?category=new,open").json()["count"] == 6
    assert api.get("/tickets?assignee=none").json()["count"] == 6
    assert api.get("/tickets?line=L3").json()["count"] == 1


def test_pages_keep_their_order_and_cover_every_ticket_once(world, api_as) -> None:
    api = api_as(world["agent"])
    numbers = [create(api, world, subject=f"Обращение {i}")["number"] for i in range(7)]
    seen = []
    for page in (1, 2, 3):
        body = api.get(f"/tickets?page_size=3&page={page}&ordering=-number").json()
        assert body["count"] == 7 and body["count_exact"] is True
        seen += [row["number"] for row in body["results"]]
    assert seen == list(reversed(numbers))
    beyond = api.get("/tickets?page_size=3&page=4").json()
    assert beyond["results"] == [] and beyond["next_page"] is None


def test_a_large_result_reports_an_estimated_total_unless_exact_is_asked(
    world, api_as, monkeypatch
) -> None:
    from servicedesk.api import pagination

    api = api_as(world["agent"])
    for i in range(6):
        create(api, world, subject=f"Обращение {i}")
    monkeypatch.setattr(pagination, "EXACT_COUNT_LIMIT", 4)
    body = api.get("/tickets?page_size=2").json()
    if connection.vendor == "postgresql":
        # More than the limit matched: the planner's figure, never below what was counted.
        assert body["count_exact"] is False
        assert body["count"] >= 5
        # Known to be large a moment ago: its estimate is reused, nothing is counted again.
        with CaptureQueriesContext(connection) as queries:
            again = api.get("/tickets?page_size=2&page=2").json()
        assert (again["count"], again["count_exact"]) == (body["count"], False)
        assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    else:
        assert body == body | {"count": 6, "count_exact": True}
    assert len(body["results"]) == 2
    exact = api.get("/tickets?page_size=2&exact_count=true").json()
    assert (exact["count"], exact["count_exact"], exact["pages"]) == (6, True, 3)


def test_card_and_row_name_people_as_everywhere_else(world, api_as) -> None:
    from tests import factories

    api = api_as(world["agent"])
    world["agent"].first_name, world["agent"].last_name = "Анна", "Белова"
    world["agent"].save()
    unnamed = factories.guest(world["mega"], phone="+79160000001")
    unnamed.full_name = ""
    unnamed.save()
    created = create(api, world, requester_id=unnamed.pk, assignee="agent")
    card = api.get(f"/tickets/{created['number']}").json()
    assert card["requester"] == {"id": unnamed.pk, "name": str(unnamed), "kind": "guest"}
    assert str(unnamed) == f"Гость #{unnamed.pk}"
    assert card["assignee"] == {"username": "agent", "name": "Анна Белова"}
    row = api.get(f"/tickets?q={created['number']}").json()["results"][0]
    assert row["assignee"] == card["assignee"]
    assert {key: row[key] for key in row} == {key: card[key] for key in row}


def test_stale_version_answers_409_with_the_current_version(world, api_as) -> None:
    api = api_as(world["agent"])
    ticket = create(api, world)
    path = f"/tickets/{ticket['number']}"
    assert api.patch(path, {"version": 1, "subject": "Первая"}).status_code == 200
    response = api.patch(path, {"version": 1, "subject": "Вторая"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "stale_version"
    assert body["current_version"] == 2
    assert "изменил кто-то другой" in body["message"]
    assert api.get(path).json()["subject"] == "Первая"


def test_transition_comment_and_events_flow(world, api_as) -> None:
    api = api_as(world["agent"])
    number = create(api, world)["number"]
    allowed = {s["code"] for s in api.get(f"/tickets/{number}/transitions").json()}
    assert "closed" not in allowed
    assert "resolved" in allowed
    assert api.post(f"/tickets/{number}/take").json()["status"]["code"] == "open"
    reply = api.post(f"/tickets/{number}/comments", {"body": "Перезагрузите кассу"})
    assert reply.status_code == 201
    note = api.post(f"/tickets/{number}/comments", {"body": "Клиент недоволен", "public": False})
    assert note.json()["public"] is False
    resolved = api.post(f"/tickets/{number}/transitions", {"status": "resolved"})
    assert resolved.json()["resolved_at"] is not None
    refused = api.post(f"/tickets/{number}/transitions", {"status": "new"})
    assert refused.status_code == 422
    assert refused.json()["code"] == "transition_not_allowed"
    types = [e["type"] for e in api.get(f"/tickets/{number}/events").json()]
    assert types == [
        "created",
        "routed",
        "assigned",
        "status_changed",
        "first_reaction",
        "commented",
        "commented",
        "status_changed",
    ]


def test_raise_priority_through_the_api(world, api_as) -> None:
    api = api_as(world["agent"])
    number = create(api, world, service="mailing")["number"]
    missing_reason = api.post(f"/tickets/{number}/priority", {"sla_level": "SL_1"})
    assert missing_reason.status_code == 422
    ok = api.post(f"/tickets/{number}/priority", {"sla_level": "SL_1", "reason": "Запуск акции"})
    assert ok.json()["sla_level"]["code"] == "SL_1"
    assert ok.json()["priority_raised"] is True


def test_attachments_upload_list_and_download(world, api_as, client) -> None:
    api = api_as(world["agent"])
    number = create(api, world)["number"]
    upload = client.post(
        f"/api/v1/tickets/{number}/attachments",
        {"file": SimpleUploadedFile("чек кассы.txt", "ошибка 15".encode(), "text/plain")},
        headers=api.headers,
    )
    assert upload.status_code == 201, upload.content
    meta = upload.json()
    assert meta["filename"] == "чек кассы.txt"
    assert meta["size"] == len("ошибка 15".encode())
    listed = api.get(f"/tickets/{number}/attachments").json()
    assert [a["id"] for a in listed] == [meta["id"]]
    download = client.get(meta["url"], headers=api.headers)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == "ошибка 15".encode()
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_attachment_over_the_limit_is_refused(world, api_as, client, settings) -> None:
    settings.ATTACHMENT_MAX_BYTES = 10
    api = api_as(world["agent"])
    number = create(api, world)["number"]
    response = client.post(
        f"/api/v1/tickets/{number}/attachments",
        {"file": SimpleUploadedFile("big.bin", b"x" * 11, "application/octet-stream")},
        headers=api.headers,
    )
    assert response.status_code == 422
    assert "больше допустимых" in response.json()["message"]


def test_catalogue_levels_and_statuses_are_readable(world, api_as) -> None:
    api = api_as(world["mega_user"])
    services = {s["code"]: s for s in api.get("/catalog/services").json()}
    assert len(services) == 16
    assert services["hardware"]["impact"] == "Всеобъемлющее"
    assert services["studio"]["sla_level"] == "SL_2"
    assert services["studio"]["sla_level_is_default"] is True
    levels = api.get("/sla/levels").json()
    assert [(lv["code"], lv["reaction_minutes"], lv["resolution_minutes"]) for lv in levels] == [
        ("SL_1", 120, 240),
        ("SL_2", 240, 1440),
        ("SL_3", 360, 2880),
    ]


def test_ticket_list_costs_the_same_number_of_queries_for_any_page_size(world, api_as) -> None:
    api = api_as(world["agent"])
    for i in range(30):
        create(api, world, subject=f"Запрос {i}", assignee="agent")

    def queries(page_size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = api.get(f"/tickets?page_size={page_size}")
            assert response.status_code == 200
            assert len(response.json()["results"]) == page_size
        return len(captured.captured_queries)

    assert queries(2) == queries(30)


def test_openapi_schema_and_docs_are_served_without_auth(client) -> None:
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/tickets",
        "/api/v1/tickets/{number}",
        "/api/v1/tickets/{number}/events",
        "/api/v1/catalog/services",
        "/api/v1/sla/levels",
        "/api/v1/contacts/lookup",
    ):
        assert path in paths
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
