"""Classification endpoints: suggest services for a text, and show the serving model."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router
from pydantic import Field

from servicedesk.api.auth import current_user
from servicedesk.api.schemas import ERRORS, Out, StrictIn
from servicedesk.classification import selectors
from servicedesk.classification.services import classification_suggest
from servicedesk.core.errors import Conflict, Forbidden, NotFound, ValidationFailed

router = Router(tags=["Классификация"])

MAX_CHARS = 100_000


class ClassifyIn(StrictIn):
    subject: str = Field("", max_length=MAX_CHARS, description="Тема обращения")
    text: str = Field("", max_length=MAX_CHARS, description="Текст обращения")


class PredictionOut(Out):
    service: str = Field(description="Код услуги")
    probability: float = Field(ge=0, le=1)


class ClassifyOut(Out):
    predictions: list[PredictionOut] = Field(description="До трёх услуг, самая вероятная первой")
    model_version: str
    threshold: float = Field(description="Порог автоприменения из настроек")
    confident: str | None = Field(
        description="Код услуги, которую можно поставить без человека (уверенность не ниже "
        "порога), иначе null"
    )


class ModelOut(Out):
    version: str
    trained_at: datetime
    training_size: int
    seed_count: int
    label_count: int
    ticket_count: int


class ClassificationDisabled(Conflict):
    code = "classification_disabled"


def _require_staff(request: HttpRequest) -> None:
    if not current_user(request).is_support_staff:
        raise Forbidden("Классификатор доступен только сотрудникам поддержки")


@router.post(
    "/classify", response={200: ClassifyOut, **ERRORS}, summary="Подсказать услугу по тексту"
)
def classify(request: HttpRequest, payload: ClassifyIn) -> Any:
    _require_staff(request)
    if not (payload.subject.strip() or payload.text.strip()):
        raise ValidationFailed("Укажите тему или текст обращения", field="text")
    suggestion = classification_suggest(payload.subject, payload.text)
    if suggestion is None:
        raise ClassificationDisabled("Классификация выключена в настройках")
    confident = suggestion.confident
    return {
        "predictions": [
            {"service": prediction.service, "probability": round(prediction.probability, 4)}
            for prediction in suggestion.predictions
        ],
        "model_version": suggestion.model_version,
        "threshold": suggestion.threshold,
        "confident": confident.service if confident else None,
    }


@router.get("/classify/model", response={200: ModelOut, **ERRORS}, summary="Активная модель")
def active_model(request: HttpRequest) -> Any:
    _require_staff(request)
    model = selectors.active_model()
    if model is None:
        raise NotFound("Модель ещё не обучена: она появится с первой подсказкой")
    return {name: getattr(model, name) for name in ModelOut.model_fields}
