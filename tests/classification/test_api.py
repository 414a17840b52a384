"""POST /api/v1/classify and GET /api/v1/classify/model."""

from __future__ import annotations

from typing import Any

import pytest

from servicedesk.classification.models import ClassifierSettings
from tests.classification.conftest import REPORT_SUBJECT, REPORT_TEXT

pytestmark = pytest.mark.django_db


def test_staff_gets_three_services_with_probabilities(world: dict[str, Any], api_as: Any) -> None:
    response = api_as(world["agent"]).post(
        "/classify", {"subject": REPORT_SUBJECT, "text": REPORT_TEXT}
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["predictions"][0]["service"] == "report"
    assert len(body["predictions"]) == 3
    assert all(0 <= p["probability"] <= 1 for p in body["predictions"])
    assert body["model_version"].startswith("seed-")
    assert body["threshold"] == 0.6
    assert body["confident"] == "report"

    model = api_as(world["agent"]).get("/classify/model")
    assert model.status_code == 200
    assert model.json()["version"] == body["model_version"]
    assert model.json()["training_size"] == 801


def test_text_alone_is_enough(world: dict[str, Any], api_as: Any) -> None:
    response = api_as(world["agent"]).post("/classify", {"text": "Не работает касса на точке"})
    assert response.status_code == 200


def test_empty_request_is_refused_in_russian(world: dict[str, Any], api_as: Any) -> None:
    response = api_as(world["agent"]).post("/classify", {"subject": " ", "text": ""})

    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "Укажите тему или текст обращения"
    assert body["detail"][0]["loc"] == ["body", "text"]


def test_text_over_100000_characters_is_refused(world: dict[str, Any], api_as: Any) -> None:
    response = api_as(world["agent"]).post("/classify", {"subject": "Тема", "text": "а" * 100_001})

    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "Не длиннее 100000 символов"


def test_unknown_field_is_refused(world: dict[str, Any], api_as: Any) -> None:
    response = api_as(world["agent"]).post("/classify", {"subject": "Тема", "body": "x"})
    assert response.status_code == 422


def test_client_user_may_not_classify(world: dict[str, Any], api_as: Any) -> None:
    caller = api_as(world["mega_user"])
    assert caller.post("/classify", {"subject": "Тема"}).status_code == 403
    assert caller.get("/classify/model").status_code == 403


def test_anonymous_caller_is_refused(world: dict[str, Any], client: Any) -> None:
    response = client.post("/api/v1/classify", {"subject": "Тема"}, content_type="application/json")
    assert response.status_code == 401


def test_switched_off_classification_answers_409(world: dict[str, Any], api_as: Any) -> None:
    ClassifierSettings.objects.filter(pk=1).update(enabled=False)
    response = api_as(world["agent"]).post("/classify", {"subject": REPORT_SUBJECT})
    assert response.status_code == 409
    assert response.json()["code"] == "classification_disabled"


def test_model_before_the_first_suggestion_is_not_found(world: dict[str, Any], api_as: Any) -> None:
    assert api_as(world["head"]).get("/classify/model").status_code == 404
