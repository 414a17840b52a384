"""Train a new classifier model on the seed set, labels and finished tickets; activate it."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from servicedesk.classification.services import classification_train, classifier_dir


class Command(BaseCommand):
    help = "Обучить классификатор услуг и сделать новую модель активной"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        model = classification_train(actor_label="Команда classifier_train")
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Модель: {model.version} (активна)")
        self.stdout.write(f"Файл: {classifier_dir() / model.file_name}")
        self.stdout.write(
            f"Примеров: {model.training_size} — начальный набор {model.seed_count}, "
            f"исправления {model.label_count}, решённые обращения {model.ticket_count}"
        )
        self.stdout.write(f"Время: {elapsed:.1f} с (обучение {model.duration_seconds:.1f} с)")
