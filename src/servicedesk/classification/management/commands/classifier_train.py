"""Train a new classifier model on the seed set, labels and finished tickets; activate it."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from servicedesk.classification.services import classification_train, classifier_dir


class Command(BaseCommand):
    help = "Обучить классификатор услуг и сделать новую модель активной"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--evaluate",
            type=int,
            default=0,
            metavar="FOLDS",
            help="Ещё и оценить на том же наборе кросс-валидацией (FOLDS блоков, например 5) "
            "и записать точность в модель",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folds: int = options["evaluate"]
        if folds == 1 or folds < 0:
            raise CommandError("--evaluate: не меньше 2 блоков")
        started = time.perf_counter()
        model = classification_train(actor_label="Команда classifier_train", evaluate_folds=folds)
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Модель: {model.version} (активна)")
        self.stdout.write(f"Файл: {classifier_dir() / model.file_name}")
        self.stdout.write(
            f"Примеров: {model.training_size} — начальный набор {model.seed_count}, "
            f"исправления {model.label_count}, решённые обращения {model.ticket_count}"
        )
        if model.accuracy is not None and model.top3_accuracy is not None:
            self.stdout.write(
                f"Кросс-валидация ({folds} блоков): точность {model.accuracy:.3f}, "
                f"точность топ-3 {model.top3_accuracy:.3f}"
            )
        self.stdout.write(f"Время: {elapsed:.1f} с (обучение {model.duration_seconds:.1f} с)")
