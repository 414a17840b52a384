"""Cross-validate the classifier on the training set it would be trained on now."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from servicedesk.classification.selectors import training_set
from servicedesk.routing.classifier import cross_validate, format_evaluation


class Command(BaseCommand):
    help = (
        "Оценить классификатор стратифицированной кросс-валидацией: точность, точность "
        "топ-3, точность и полнота по услугам, матрица ошибок"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--folds", type=int, default=5, help="Число блоков (по умолчанию 5)")
        parser.add_argument(
            "--seed-only",
            action="store_true",
            help="Только начальный набор, без исправлений и решённых обращений",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folds: int = options["folds"]
        if folds < 2:
            raise CommandError("--folds: не меньше 2")
        started = time.perf_counter()
        training = training_set(seed_only=options["seed_only"])
        sources = ", ".join(f"{source} {count}" for source, count in training.counts.items())
        self.stdout.write(f"Набор: {len(training.examples)} примеров ({sources})")
        try:
            evaluation = cross_validate(training.examples, folds=folds)
        except ValueError as error:
            raise CommandError(f"Не удалось оценить: {error}") from error
        self.stdout.write(format_evaluation(evaluation))
        self.stdout.write(f"\nВремя: {time.perf_counter() - started:.1f} с")
