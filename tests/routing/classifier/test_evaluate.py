"""Cross-validation of the classifier and its plain-text report."""

from __future__ import annotations

import pytest

from servicedesk.routing.classifier import (
    Evaluation,
    LabelledText,
    cross_validate,
    format_evaluation,
    select_regularisation,
)


@pytest.fixture(scope="module")
def seed_evaluation(seed_examples: list[LabelledText]) -> Evaluation:
    return cross_validate(seed_examples, folds=3, seed=0)


def test_cross_validation_covers_every_service_and_every_example(
    seed_evaluation: Evaluation, seed_examples: list[LabelledText]
) -> None:
    labels = sorted({example.service for example in seed_examples})
    assert list(seed_evaluation.labels) == labels
    assert seed_evaluation.size == len(seed_examples)
    assert seed_evaluation.folds == 3
    assert [scores.service for scores in seed_evaluation.per_service] == labels
    assert sum(scores.support for scores in seed_evaluation.per_service) == len(seed_examples)


def test_confusion_matrix_is_labels_by_labels_and_counts_every_example(
    seed_evaluation: Evaluation,
) -> None:
    size = len(seed_evaluation.labels)
    assert len(seed_evaluation.confusion) == size
    assert all(len(row) == size for row in seed_evaluation.confusion)
    assert sum(map(sum, seed_evaluation.confusion)) == seed_evaluation.size
    diagonal = sum(seed_evaluation.confusion[i][i] for i in range(size))
    assert diagonal / seed_evaluation.size == pytest.approx(seed_evaluation.accuracy)


def test_seed_set_is_learnable_well_beyond_chance(seed_evaluation: Evaluation) -> None:
    # 16 services: chance is about 6 %. These floors catch a broken pipeline or a
    # damaged seed file, not small changes in quality.
    assert seed_evaluation.accuracy >= 0.8
    assert seed_evaluation.top3_accuracy >= seed_evaluation.accuracy
    assert seed_evaluation.top3_accuracy >= 0.93
    assert all(0.0 <= scores.f1 <= 1.0 for scores in seed_evaluation.per_service)


def test_cross_validation_with_the_same_seed_gives_the_same_figures(
    seed_examples: list[LabelledText],
) -> None:
    some_examples = seed_examples[::3]
    first = cross_validate(some_examples, folds=3, seed=7)
    assert cross_validate(some_examples, folds=3, seed=7) == first


def test_weakest_services_are_listed_lowest_f1_first(seed_evaluation: Evaluation) -> None:
    weakest = seed_evaluation.weakest(3)
    assert len(weakest) == 3
    assert [scores.f1 for scores in weakest] == sorted(scores.f1 for scores in weakest)
    assert weakest[0].f1 == min(scores.f1 for scores in seed_evaluation.per_service)


def test_report_shows_the_headline_figures_a_row_per_service_and_the_matrix(
    seed_evaluation: Evaluation,
) -> None:
    report = format_evaluation(seed_evaluation)
    assert f"Accuracy:        {seed_evaluation.accuracy:.3f}" in report
    assert f"Top-3 accuracy:  {seed_evaluation.top3_accuracy:.3f}" in report
    lines = report.splitlines()
    for scores in seed_evaluation.per_service:
        assert any(line.startswith(f"{scores.service} ") for line in lines), scores.service
    assert "Confusion matrix" in report
    matrix_rows = [line for line in lines if line[:3].strip().isdigit()]
    assert len(matrix_rows) == len(seed_evaluation.labels)


def test_regularisation_is_chosen_among_the_candidates_by_accuracy(
    seed_examples: list[LabelledText],
) -> None:
    small = seed_examples[::4]
    best, scores = select_regularisation(small, candidates=(1.0, 20.0), folds=3)
    assert set(scores) == {1.0, 20.0}
    assert scores[best] == max(scores.values())
