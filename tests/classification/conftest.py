"""Fixtures of the classification tests: model files in a temporary folder, a fresh cache.

Training on the 801 seed requests takes about a second. The services train the
seed-only model once per process and reuse it for every fresh database, so most tests
pay only for saving it; tests that need labels train their own model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

REPORT_SUBJECT = "Отчет по начислениям за октябрь"
REPORT_TEXT = (
    "Добрый день! Прошу подготовить отчет по начисленным и списанным баллам за октябрь "
    "в разрезе торговых точек. Нужны колонки: ТТ, количество чеков, сумма начислений."
)


@pytest.fixture(autouse=True)
def model_dir(settings: Any, tmp_path: Path) -> Iterator[Path]:
    from servicedesk.classification.services import classification_reset_cache

    folder = tmp_path / "classifier"
    settings.CLASSIFIER_DIR = folder
    classification_reset_cache()
    yield folder
    classification_reset_cache()


@pytest.fixture
def make_ticket(world: dict[str, Any]) -> Callable[..., Any]:
    """Return a function that registers a ticket, optionally finished with a service."""
    from servicedesk.tickets import services
    from servicedesk.tickets.models import Ticket

    def make(
        subject: str, description: str = "", service: str | None = None, finished: bool = False
    ) -> Ticket:
        ticket = services.ticket_create(
            actor=world["agent"],
            data=services.NewTicket(
                subject=subject,
                description=description,
                client=world["mega"].code,
                channel="email",
                service=service,
            ),
        )
        if finished:
            # Test data: the finished state is all the training set reads.
            Ticket.objects.filter(pk=ticket.pk).update(status_category="closed")
        return ticket

    return make


@pytest.fixture
def quick_training(monkeypatch: pytest.MonkeyPatch) -> None:
    """Train on five seed requests per service (plus labels and tickets): ~0.1 s a model.

    For tests about versions, activation and files, where what the model knows is beside
    the point.
    """
    from collections import Counter

    from servicedesk.classification import selectors

    full_training_set = selectors.training_set

    def small_training_set(**kwargs: Any) -> selectors.TrainingSet:
        full = full_training_set(**kwargs)
        seed_count = full.counts[selectors.SOURCE_SEED]
        per_service: Counter[str] = Counter()
        kept = []
        for example in full.examples[:seed_count]:
            if per_service[example.service] < 5:
                per_service[example.service] += 1
                kept.append(example)
        return selectors.TrainingSet(
            examples=kept + full.examples[seed_count:],
            counts=full.counts | Counter({selectors.SOURCE_SEED: len(kept)}),
            label_ids=full.label_ids,
        )

    monkeypatch.setattr(selectors, "training_set", small_training_set)
