"""Suggest a request's service from its text (pure Python and scikit-learn, no Django).

Typical use::

    classifier = train(load_seed_examples(), version="seed-1", created_at=now)
    classifier.save(path)
    ServiceClassifier.load(path).predict(subject, text, top_k=3)
"""

from servicedesk.routing.classifier.evaluate import (
    Evaluation,
    ServiceScores,
    cross_validate,
    format_evaluation,
    select_regularisation,
)
from servicedesk.routing.classifier.pipeline import (
    DEFAULT_REGULARISATION,
    MODEL_FORMAT,
    IncompatibleModelError,
    LabelledText,
    ModelMetadata,
    Prediction,
    ServiceClassifier,
    load_seed_examples,
    train,
)
from servicedesk.routing.classifier.text import normalise_for_classification

__all__ = [
    "DEFAULT_REGULARISATION",
    "MODEL_FORMAT",
    "Evaluation",
    "IncompatibleModelError",
    "LabelledText",
    "ModelMetadata",
    "Prediction",
    "ServiceClassifier",
    "ServiceScores",
    "cross_validate",
    "format_evaluation",
    "load_seed_examples",
    "normalise_for_classification",
    "select_regularisation",
    "train",
]
