"""Suggest the service of a request from its subject and text.

A scikit-learn pipeline: character n-gram TF-IDF (robust to typos, inflection and
transliteration) joined with word uni/bigram TF-IDF (whole terms such as "выборка",
"рассылка", "vpn"), then a class-balanced logistic regression, which gives
probabilities for a top-3 suggestion. Pure Python and scikit-learn: the Django side
decides what to do with a suggestion (auto-apply above a threshold, or show it).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

# threadpoolctl comes with scikit-learn and ships no type information.
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped,unused-ignore]

from servicedesk.routing.classifier.text import normalise_for_classification

# Bump when the saved file layout or the text normalisation changes: a model trained
# on differently normalised text would load fine and then silently predict worse.
MODEL_FORMAT = 1

# Inverse regularisation strength, chosen by 5-fold cross-validation on the seed set
# (`evaluate.select_regularisation`): accuracy is flat, 0.896-0.901 for C from 3 to
# 100 (a difference of four requests), and 20 sits in the middle of that plateau.
DEFAULT_REGULARISATION = 20.0

SEED_PACKAGE = "servicedesk.routing.classifier.seed"
SEED_FILE = "seed_ru.jsonl"


class IncompatibleModelError(Exception):
    """Raised when a saved model cannot be used by this version of the code."""


@dataclass(frozen=True)
class LabelledText:
    """A request's subject and text with the service a person assigned to it."""

    subject: str
    text: str
    service: str


@dataclass(frozen=True)
class Prediction:
    """One suggested service with the model's probability for it."""

    service: str
    probability: float


@dataclass(frozen=True)
class ModelMetadata:
    """Facts about a trained model, saved beside it."""

    version: str
    training_size: int
    labels: tuple[str, ...]
    created_at: datetime | None
    sklearn_version: str


def build_pipeline(regularisation: float = DEFAULT_REGULARISATION) -> Pipeline:
    """Return an untrained pipeline from normalised text to service probabilities."""
    features = FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1
                ),
            ),
            ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
        ]
    )
    # newton-cg minimises the same multinomial loss as lbfgs, but on these wide sparse
    # features it converges in about 7 iterations and trains three times faster.
    # Balanced class weights keep a service with few labelled tickets from being
    # drowned by the frequent ones once the team's own history is added.
    model = LogisticRegression(
        C=regularisation, class_weight="balanced", solver="newton-cg", max_iter=1000
    )
    return Pipeline([("features", features), ("model", model)])


def fit_pipeline(pipeline: Pipeline, documents: list[str], services: list[str]) -> Pipeline:
    """Fit `pipeline` on normalised documents and their services, single-threaded.

    The problem is small (hundreds to thousands of texts): spreading the solver's
    BLAS/OpenMP work over threads costs more than it saves, and on a busy 2-core host
    it made training two to three times slower than one thread.
    """
    with threadpool_limits(limits=1):
        return pipeline.fit(documents, services)


class ServiceClassifier:
    """A trained service classifier with its metadata; create it with `train`."""

    def __init__(self, pipeline: Pipeline, metadata: ModelMetadata) -> None:
        """Wrap a fitted pipeline; use `train` or `load` rather than calling this."""
        self._pipeline = pipeline
        self._metadata = metadata

    @property
    def version(self) -> str:
        """Return the version string given at training time."""
        return self._metadata.version

    @property
    def labels(self) -> tuple[str, ...]:
        """Return the service codes the model can suggest, in sorted order."""
        return self._metadata.labels

    @property
    def metadata(self) -> ModelMetadata:
        """Return the training facts saved with the model."""
        return self._metadata

    def predict(self, subject: str, text: str, top_k: int = 3) -> tuple[Prediction, ...]:
        """Return the `top_k` most probable services, most probable first."""
        return self.predict_documents([normalise_for_classification(subject, text)], top_k)[0]

    def predict_documents(
        self, documents: Sequence[str], top_k: int = 3
    ) -> list[tuple[Prediction, ...]]:
        """Rank the services for each normalised document, in one call to the model.

        One call for fifty texts costs about what four single calls do: most of a single
        prediction is sklearn's per-call work, not the text.
        """
        if top_k < 1:
            raise ValueError(f"top_k must be at least 1, got {top_k}")
        if not documents:
            return []
        # The input is always strings we built ourselves: sklearn's input checks would
        # cost a sixth of a single prediction.
        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            probabilities = self._pipeline.predict_proba(list(documents))
        classes = self._pipeline.classes_
        ranked_rows = []
        for row in probabilities:
            # A stable sort on the negated probabilities keeps ties in label order, so
            # the same input always gives the same ranking.
            ranked = np.argsort(-row, kind="stable")[:top_k]
            ranked_rows.append(
                tuple(
                    Prediction(service=str(classes[index]), probability=float(row[index]))
                    for index in ranked
                )
            )
        return ranked_rows

    def save(self, path: Path) -> None:
        """Write the model to `path` atomically, so a reader never sees half a file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "format": MODEL_FORMAT,
            "metadata": _metadata_to_dict(self._metadata),
            "pipeline": self._pipeline,
        }
        handle, temporary_name = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        os.close(handle)
        try:
            joblib.dump(payload, temporary_name)
            os.replace(temporary_name, path)
        except BaseException:
            Path(temporary_name).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> ServiceClassifier:
        """Read a model saved by `save`; refuse files of another format or library.

        The file is a pickle: load only models this service wrote itself.
        """
        try:
            payload = joblib.load(path)
        except FileNotFoundError:
            raise  # a missing model is a set-up problem, not an incompatible file
        except Exception as error:
            raise IncompatibleModelError(
                f"{path} is not a readable classifier model ({error}); retrain the model."
            ) from error
        if not isinstance(payload, dict) or "format" not in payload:
            raise IncompatibleModelError(
                f"{path} is not a classifier model saved by ServiceClassifier.save."
            )
        if payload["format"] != MODEL_FORMAT:
            raise IncompatibleModelError(
                f"{path} has model format {payload['format']!r}, this code reads format "
                f"{MODEL_FORMAT}; retrain the model."
            )
        metadata = _metadata_from_dict(payload["metadata"])
        if metadata.sklearn_version != sklearn.__version__:
            # Pickled estimators are only guaranteed to behave the same under the
            # scikit-learn version that wrote them.
            raise IncompatibleModelError(
                f"{path} was trained with scikit-learn {metadata.sklearn_version}, "
                f"installed is {sklearn.__version__}; retrain the model."
            )
        return cls(payload["pipeline"], metadata)


def train(
    examples: Sequence[LabelledText],
    *,
    version: str,
    created_at: datetime | None = None,
    regularisation: float = DEFAULT_REGULARISATION,
) -> ServiceClassifier:
    """Fit a classifier on labelled requests.

    `created_at` is stored as given: the caller owns the clock, which keeps training
    reproducible and testable.
    """
    labels = sorted({example.service for example in examples})
    if len(labels) < 2:
        raise ValueError(f"training needs at least two services, got {labels}")
    if created_at is not None and created_at.utcoffset() is None:
        raise ValueError("created_at must be timezone-aware")
    documents = [normalise_for_classification(ex.subject, ex.text) for ex in examples]
    pipeline = fit_pipeline(
        build_pipeline(regularisation), documents, [example.service for example in examples]
    )
    metadata = ModelMetadata(
        version=version,
        training_size=len(examples),
        labels=tuple(labels),
        created_at=created_at,
        sklearn_version=sklearn.__version__,
    )
    return ServiceClassifier(pipeline, metadata)


def parse_seed_line(line: str) -> LabelledText:
    """Read one JSON line of the seed set into a labelled text."""
    record = json.loads(line)
    return LabelledText(
        subject=str(record["subject"]), text=str(record["text"]), service=str(record["service"])
    )


def load_seed_examples() -> list[LabelledText]:
    """Return the seed requests shipped with the package for the first day's model."""
    content = resources.files(SEED_PACKAGE).joinpath(SEED_FILE).read_text(encoding="utf-8")
    return [parse_seed_line(line) for line in content.splitlines() if line.strip()]


def _metadata_to_dict(metadata: ModelMetadata) -> dict[str, Any]:
    """Store metadata as plain values so that it never depends on our classes."""
    return {
        "version": metadata.version,
        "training_size": metadata.training_size,
        "labels": list(metadata.labels),
        "created_at": metadata.created_at.isoformat() if metadata.created_at else None,
        "sklearn_version": metadata.sklearn_version,
    }


def _metadata_from_dict(data: dict[str, Any]) -> ModelMetadata:
    """Rebuild metadata stored by `_metadata_to_dict`."""
    created_at = data["created_at"]
    return ModelMetadata(
        version=str(data["version"]),
        training_size=int(data["training_size"]),
        labels=tuple(str(label) for label in data["labels"]),
        created_at=datetime.fromisoformat(created_at) if created_at else None,
        sklearn_version=str(data["sklearn_version"]),
    )
