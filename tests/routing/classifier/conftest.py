"""Shared fixtures for the classifier tests: one model trained on the seed set."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from servicedesk.routing.classifier import (
    LabelledText,
    ServiceClassifier,
    load_seed_examples,
    train,
)

TRAINED_AT = datetime(2025, 11, 20, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="session")
def seed_examples() -> list[LabelledText]:
    return load_seed_examples()


@pytest.fixture(scope="session")
def trained_at() -> datetime:
    return TRAINED_AT


@pytest.fixture(scope="session")
def seed_classifier(seed_examples: list[LabelledText], trained_at: datetime) -> ServiceClassifier:
    # Training takes about a second; every read-only test shares this one model.
    return train(seed_examples, version="seed-test", created_at=trained_at)
