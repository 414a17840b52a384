"""Measure the service classifier by stratified cross-validation.

Every fold trains the same pipeline as `train` on the other folds, so the figures
describe what a model trained on all the examples can be expected to do on requests
it has not seen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold

from servicedesk.routing.classifier.pipeline import (
    DEFAULT_REGULARISATION,
    LabelledText,
    build_pipeline,
    fit_pipeline,
)
from servicedesk.routing.classifier.text import normalise_for_classification

TOP_K = 3


@dataclass(frozen=True)
class ServiceScores:
    """Precision, recall and F1 of one service, with its number of true examples."""

    service: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Evaluation:
    """Cross-validated quality of the classifier on a set of labelled requests.

    `confusion[i][j]` counts requests of service `labels[i]` predicted as `labels[j]`.
    """

    labels: tuple[str, ...]
    folds: int
    size: int
    accuracy: float
    top3_accuracy: float
    per_service: tuple[ServiceScores, ...]
    confusion: tuple[tuple[int, ...], ...]

    def weakest(self, count: int = 3) -> tuple[ServiceScores, ...]:
        """Return the `count` services with the lowest F1, weakest first."""
        return tuple(sorted(self.per_service, key=lambda scores: scores.f1)[:count])

    def confused_pairs(self, count: int = 5) -> list[tuple[str, str, int]]:
        """Return the most frequent (true, predicted, count) mistakes."""
        mistakes = [
            (self.labels[row], self.labels[column], number)
            for row, counts in enumerate(self.confusion)
            for column, number in enumerate(counts)
            if row != column and number
        ]
        return sorted(mistakes, key=lambda mistake: -mistake[2])[:count]


def cross_validate(
    examples: Sequence[LabelledText],
    folds: int = 5,
    seed: int = 0,
    regularisation: float = DEFAULT_REGULARISATION,
) -> Evaluation:
    """Evaluate the pipeline with stratified K-fold cross-validation."""
    documents = np.array(
        [normalise_for_classification(ex.subject, ex.text) for ex in examples], dtype=object
    )
    truth = np.array([example.service for example in examples], dtype=object)
    labels = tuple(sorted(set(truth.tolist())))
    predicted = np.empty(len(examples), dtype=object)
    in_top_k = np.zeros(len(examples), dtype=bool)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_index, test_index in splitter.split(documents, truth):
        pipeline = fit_pipeline(
            build_pipeline(regularisation),
            documents[train_index].tolist(),
            truth[train_index].tolist(),
        )
        probabilities = pipeline.predict_proba(documents[test_index].tolist())
        ranked = np.argsort(-probabilities, axis=1, kind="stable")
        classes = pipeline.classes_
        predicted[test_index] = classes[ranked[:, 0]]
        top_k_classes = classes[ranked[:, :TOP_K]]
        in_top_k[test_index] = [
            truth[index] in row for index, row in zip(test_index, top_k_classes, strict=True)
        ]
    precision, recall, f1, support = precision_recall_fscore_support(
        truth.tolist(), predicted.tolist(), labels=list(labels), zero_division=0
    )
    matrix = confusion_matrix(truth.tolist(), predicted.tolist(), labels=list(labels))
    return Evaluation(
        labels=labels,
        folds=folds,
        size=len(examples),
        accuracy=float(np.mean(predicted == truth)),
        top3_accuracy=float(np.mean(in_top_k)),
        per_service=tuple(
            ServiceScores(
                service=label,
                precision=float(precision[index]),
                recall=float(recall[index]),
                f1=float(f1[index]),
                support=int(support[index]),
            )
            for index, label in enumerate(labels)
        ),
        confusion=tuple(tuple(int(number) for number in row) for row in matrix),
    )


def select_regularisation(
    examples: Sequence[LabelledText],
    candidates: Iterable[float] = (1.0, 3.0, 10.0, 20.0, 50.0, 100.0),
    folds: int = 5,
    seed: int = 0,
) -> tuple[float, dict[float, float]]:
    """Return the candidate C with the best cross-validated accuracy, and all scores.

    Ties go to the smaller C, the simpler model.
    """
    scores = {
        candidate: cross_validate(examples, folds, seed, candidate).accuracy
        for candidate in sorted(candidates)
    }
    best = max(scores, key=lambda candidate: (scores[candidate], -candidate))
    return best, scores


def format_evaluation(evaluation: Evaluation) -> str:
    """Render an evaluation as a plain-text report for a terminal or a document."""
    lines = [
        f"Stratified {evaluation.folds}-fold cross-validation: "
        f"{evaluation.size} requests, {len(evaluation.labels)} services",
        f"Accuracy:        {evaluation.accuracy:.3f}",
        f"Top-{TOP_K} accuracy:  {evaluation.top3_accuracy:.3f}",
        "",
    ]
    name_width = max(len("service"), *(len(label) for label in evaluation.labels))
    lines.append(f"{'service':<{name_width}}  precision  recall     f1  support".rstrip())
    lines.append("-" * (name_width + 35))
    lines += [
        f"{scores.service:<{name_width}}  {scores.precision:9.3f}  {scores.recall:6.3f}"
        f"  {scores.f1:5.3f}  {scores.support:7d}"
        for scores in evaluation.per_service
    ]
    lines += ["", "Confusion matrix (rows: true service, columns: predicted, by number)"]
    cell = max(3, len(str(max((max(row) for row in evaluation.confusion), default=0))) + 1)
    header = " " * (name_width + 5) + "".join(
        f"{number:>{cell}}" for number in range(1, len(evaluation.labels) + 1)
    )
    lines.append(header)
    for number, (label, row) in enumerate(
        zip(evaluation.labels, evaluation.confusion, strict=True), start=1
    ):
        cells = "".join(f"{count or '.':>{cell}}" for count in row)
        lines.append(f"{number:>3}  {label:<{name_width}}{cells}")
    mistakes = evaluation.confused_pairs()
    if mistakes:
        lines += ["", "Most frequent mistakes (true -> predicted: count)"]
        lines += [f"  {true} -> {guess}: {count}" for true, guess, count in mistakes]
    return "\n".join(lines)
