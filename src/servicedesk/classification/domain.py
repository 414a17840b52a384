"""Rules of service suggestion that need no database: confidence, retraining, versions.

Imports nothing from Django: the services read the facts, these functions decide.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from servicedesk.routing.classifier import Prediction

SUGGESTED_COUNT = 3

# Local hour (settings.TIME_ZONE) from which the weekly retraining may run on its weekday:
# a quiet hour, and a worker that was down then still retrains later the same day.
RETRAIN_HOUR = 3

# What the classifier reads of a request. The service shows in the first lines of a
# request; a 100,000-character paste would cost ~100 ms to read and add nothing.
# Training clips the same way, so the model sees the same kind of text it learnt from.
SUBJECT_CHARS = 300
TEXT_CHARS = 4000


@dataclass(frozen=True)
class Suggestion:
    """The services suggested for a request, most probable first, and the model behind them.

    `auto_applicable` holds the services that may be set without a person: active in the
    catalogue and part of the classifier (Консультация, for one, is only ever suggested).
    """

    predictions: tuple[Prediction, ...]
    model_version: str
    threshold: float
    auto_applicable: frozenset[str] = frozenset()

    @property
    def confident(self) -> Prediction | None:
        """Return the top prediction when it may be applied without a person, else None."""
        if not self.predictions:
            return None
        top = self.predictions[0]
        if top.probability >= self.threshold and top.service in self.auto_applicable:
            return top
        return None


def clip_for_classification(subject: str, text: str) -> tuple[str, str]:
    """Return the part of a request's subject and text that the classifier reads."""
    return subject[:SUBJECT_CHARS], text[:TEXT_CHARS]


def suggestable(
    predictions: Iterable[Prediction], active_services: frozenset[str], count: int = SUGGESTED_COUNT
) -> tuple[Prediction, ...]:
    """Keep the `count` most probable predictions of services that are active now.

    A model trained before a service was switched off still knows it; it must not be
    suggested, and the next active services move up instead.
    """
    kept = [prediction for prediction in predictions if prediction.service in active_services]
    return tuple(kept[:count])


def retrain_due(
    *,
    now_local: datetime,
    retrain_weekday: int,
    active_trained_at: datetime | None,
    newest_label_at: datetime | None,
) -> bool:
    """Decide whether the periodic job retrains the model now.

    Always when there is no model. Otherwise only on the configured weekday from
    `RETRAIN_HOUR` local time, and only when a person labelled a request after the active
    model was trained: retraining on the same data would give the same model.
    """
    if active_trained_at is None:
        return True
    if now_local.weekday() != retrain_weekday or now_local.hour < RETRAIN_HOUR:
        return False
    return newest_label_at is not None and newest_label_at > active_trained_at


def model_version_for(trained_at: datetime, training_size: int, taken: Iterable[str]) -> str:
    """Return a new model version: UTC training time and size, e.g. `20261125T210405Z-n1234`.

    Readable in the admin and sortable; a suffix keeps two models trained within the
    same second apart. No colons, because the version is also the model's file name.
    """
    if trained_at.utcoffset() is None:
        raise ValueError("trained_at must be timezone-aware")
    base = f"{trained_at.astimezone(UTC):%Y%m%dT%H%M%SZ}-n{training_size}"
    existing = set(taken)
    if base not in existing:
        return base
    suffix = 2
    while f"{base}-{suffix}" in existing:
        suffix += 1
    return f"{base}-{suffix}"
