"""manage.py classifier_train and classifier_evaluate, and the weekly huey task."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from servicedesk.classification.models import ClassifierModel

pytestmark = pytest.mark.django_db


def test_train_command_prints_version_size_sources_and_time(plastek: None) -> None:
    out = StringIO()
    call_command("classifier_train", stdout=out)

    model = ClassifierModel.objects.get(is_active=True)
    text = out.getvalue()
    assert f"Модель: {model.version} (активна)" in text
    assert "Примеров: 801 — начальный набор 801, исправления 0, решённые обращения 0" in text
    assert "Время:" in text


def test_evaluate_command_prints_cross_validated_figures(plastek: None) -> None:
    out = StringIO()
    call_command("classifier_evaluate", "--seed-only", "--folds", "2", stdout=out)

    text = out.getvalue()
    assert "Набор: 801 примеров (seed 801)" in text
    assert "Stratified 2-fold cross-validation: 801 requests, 16 services" in text
    accuracy = float(text.split("Accuracy:")[1].split()[0])
    top3 = float(text.split("Top-3 accuracy:")[1].split()[0])
    assert 0.7 < accuracy <= top3 <= 1.0
    assert "Confusion matrix" in text


def test_evaluate_command_refuses_one_fold(plastek: None) -> None:
    with pytest.raises(CommandError):
        call_command("classifier_evaluate", "--folds", "1", stdout=StringIO())


def test_weekly_task_trains_when_there_is_no_model(plastek: None, quick_training: Any) -> None:
    from servicedesk.classification.tasks import retrain_classifier_weekly

    version = retrain_classifier_weekly.call_local()

    assert version == ClassifierModel.objects.get(is_active=True).version


def test_train_command_can_record_cross_validated_accuracy(
    plastek: None, quick_training: Any
) -> None:
    out = StringIO()
    call_command("classifier_train", "--evaluate", "2", stdout=out)

    model = ClassifierModel.objects.get(is_active=True)
    assert model.accuracy is not None
    assert model.top3_accuracy is not None
    assert 0 < model.accuracy <= model.top3_accuracy <= 1
    assert f"точность {model.accuracy:.3f}" in out.getvalue()
