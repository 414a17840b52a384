"""Suggestion rules without a database: confidence, filtering, retraining, versions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from servicedesk.classification.domain import (
    Suggestion,
    clip_for_classification,
    model_version_for,
    retrain_due,
    suggestable,
)
from servicedesk.routing.classifier import Prediction

MOSCOW = ZoneInfo("Europe/Moscow")


def _suggestion(probability: float, service: str = "report", threshold: float = 0.6) -> Suggestion:
    return Suggestion(
        predictions=(Prediction(service, probability), Prediction("testing", 0.1)),
        model_version="v1",
        threshold=threshold,
        auto_applicable=frozenset({"report", "testing"}),
    )


def test_top_prediction_at_the_threshold_is_confident() -> None:
    assert _suggestion(0.6).confident == Prediction("report", 0.6)


def test_top_prediction_below_the_threshold_is_left_to_a_person() -> None:
    assert _suggestion(0.59).confident is None


def test_service_outside_the_classifier_is_never_confident() -> None:
    assert _suggestion(0.99, service="consultation").confident is None


def test_empty_suggestion_has_no_confident_service() -> None:
    assert Suggestion(predictions=(), model_version="v1", threshold=0.0).confident is None


def test_inactive_services_are_dropped_and_the_next_ones_move_up() -> None:
    ranked = [Prediction(code, 0.5 / (n + 1)) for n, code in enumerate("abcde")]
    kept = suggestable(ranked, frozenset({"b", "c", "d", "e"}))
    assert [p.service for p in kept] == ["b", "c", "d"]


def test_long_requests_are_clipped_to_what_the_classifier_reads() -> None:
    subject, text = clip_for_classification("т" * 1000, "x" * 200_000)
    assert (len(subject), len(text)) == (300, 4000)


MONDAY_4AM = datetime(2026, 11, 23, 4, 0, tzinfo=MOSCOW)
TRAINED = datetime(2026, 11, 16, 3, 7, tzinfo=MOSCOW)


@pytest.mark.parametrize(
    ("now_local", "newest_label", "expected"),
    [
        (MONDAY_4AM, TRAINED + timedelta(days=2), True),
        (MONDAY_4AM, TRAINED - timedelta(days=2), False),  # nothing new since the model
        (MONDAY_4AM, None, False),  # nobody labelled anything
        (MONDAY_4AM.replace(hour=2), TRAINED + timedelta(days=2), False),  # before 03:00
        (MONDAY_4AM + timedelta(days=1), TRAINED + timedelta(days=2), False),  # Tuesday
    ],
)
def test_retraining_waits_for_new_labels_on_the_configured_day(
    now_local: datetime, newest_label: datetime | None, expected: bool
) -> None:
    assert (
        retrain_due(
            now_local=now_local,
            retrain_weekday=0,
            active_trained_at=TRAINED,
            newest_label_at=newest_label,
        )
        is expected
    )


def test_without_a_model_retraining_is_due_at_any_time() -> None:
    assert retrain_due(
        now_local=MONDAY_4AM + timedelta(days=3),
        retrain_weekday=0,
        active_trained_at=None,
        newest_label_at=None,
    )


def test_model_versions_are_readable_and_unique() -> None:
    at = datetime(2026, 11, 25, 21, 4, 5, tzinfo=UTC)
    assert model_version_for(at, 801, []) == "20261125T210405Z-n801"
    assert model_version_for(at, 801, ["20261125T210405Z-n801"]) == "20261125T210405Z-n801-2"
    with pytest.raises(ValueError, match="aware"):
        model_version_for(at.replace(tzinfo=None), 801, [])
