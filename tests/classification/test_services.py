"""Suggest, label, train and serve: the classification services against the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from servicedesk.catalog.models import Service
from servicedesk.classification import selectors, services
from servicedesk.classification.models import ClassifierModel, ClassifierSettings, ServiceLabel
from servicedesk.core.errors import NotFound, ValidationFailed
from tests.classification.conftest import REPORT_SUBJECT, REPORT_TEXT

pytestmark = pytest.mark.django_db

ODD_SUBJECT = "Зелёный попугай"
ODD_TEXT = "Зелёный попугай снова поёт в подсобке, просим разобраться с попугаем."


def test_first_suggestion_trains_a_model_from_the_seed_set(plastek: None, model_dir: Path) -> None:
    assert not ClassifierModel.objects.exists()

    suggestion = services.classification_suggest(REPORT_SUBJECT, REPORT_TEXT)

    assert suggestion is not None
    model = ClassifierModel.objects.get(is_active=True)
    assert suggestion.model_version == model.version
    assert model.seed_count == model.training_size == 801
    assert (model_dir / model.file_name).is_file()
    assert suggestion.predictions[0].service == "report"
    assert len(suggestion.predictions) == 3
    probabilities = [p.probability for p in suggestion.predictions]
    assert probabilities == sorted(probabilities, reverse=True)
    assert suggestion.threshold == 0.6
    assert suggestion.confident is not None
    assert suggestion.confident.service == "report"


def test_inactive_service_is_not_suggested(plastek: None) -> None:
    Service.objects.filter(code="report").update(is_active=False)

    suggestion = services.classification_suggest(REPORT_SUBJECT, REPORT_TEXT)

    assert suggestion is not None
    assert "report" not in [p.service for p in suggestion.predictions]
    assert len(suggestion.predictions) == 3


def test_service_outside_the_classifier_is_suggested_but_not_applied(plastek: None) -> None:
    ClassifierSettings.objects.filter(pk=1).update(auto_apply_threshold=0.0)
    suggestion = services.classification_suggest(
        "Вопрос по правилам программы",
        "Подскажите, сгорают ли баллы через год и можно ли ими оплатить всю покупку?",
    )
    assert suggestion is not None
    assert suggestion.predictions[0].service == "consultation"
    assert suggestion.confident is None


def test_threshold_comes_from_the_settings(plastek: None) -> None:
    ClassifierSettings.objects.filter(pk=1).update(auto_apply_threshold=1.0)
    suggestion = services.classification_suggest(REPORT_SUBJECT, REPORT_TEXT)
    assert suggestion is not None
    assert suggestion.threshold == 1.0
    assert suggestion.confident is None


def test_switched_off_classification_suggests_nothing(plastek: None) -> None:
    ClassifierSettings.objects.filter(pk=1).update(enabled=False)
    assert services.classification_suggest(REPORT_SUBJECT, REPORT_TEXT) is None
    assert not ClassifierModel.objects.exists()


def test_trained_model_is_saved_and_reloaded_from_its_file(
    plastek: None, quick_training: None, model_dir: Path
) -> None:
    model = services.classification_train(actor_label="test")
    first = services.classification_suggest(REPORT_SUBJECT, REPORT_TEXT)

    services.classification_reset_cache()  # as a new process would start
    loads: list[Path] = []
    original = services.ServiceClassifier.load

    def counting_load(path: Path) -> Any:
        loads.append(path)
        return original(path)

    services.ServiceClassifier.load = counting_load  # type: ignore[method-assign]
    try:
        again = services.classification_suggest(REPORT_SUBJECT, REPORT_TEXT)
    finally:
        services.ServiceClassifier.load = original  # type: ignore[method-assign]

    assert loads == [model_dir / model.file_name]
    assert again == first
    assert again is not None
    assert again.model_version == model.version


def test_new_model_replaces_the_active_one(plastek: None, quick_training: None) -> None:
    older = services.classification_train(actor_label="test")
    newer = services.classification_train(actor_label="test")

    assert list(ClassifierModel.objects.filter(is_active=True)) == [newer]
    assert newer.version != older.version
    suggestion = services.classification_suggest(REPORT_SUBJECT, REPORT_TEXT)
    assert suggestion is not None
    assert suggestion.model_version == newer.version

    services.classification_activate(model_id=older.pk)
    suggestion = services.classification_suggest(REPORT_SUBJECT, REPORT_TEXT)
    assert suggestion is not None
    assert suggestion.model_version == older.version


def test_model_activated_by_another_process_is_served_after_the_refresh(
    plastek: None, quick_training: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    older = services.classification_train(actor_label="test")
    newer = services.classification_train(actor_label="test")
    assert services.classification_suggest(REPORT_SUBJECT, REPORT_TEXT) is not None
    ClassifierModel.objects.filter(pk=newer.pk).update(is_active=False)  # another process
    ClassifierModel.objects.filter(pk=older.pk).update(is_active=True)

    cached = services.classification_suggest(REPORT_SUBJECT, REPORT_TEXT)
    assert cached is not None
    assert cached.model_version == newer.version  # within the refresh interval

    monkeypatch.setattr(services, "STATE_REFRESH_SECONDS", 0.0)
    fresh = services.classification_suggest(REPORT_SUBJECT, REPORT_TEXT)
    assert fresh is not None
    assert fresh.model_version == older.version


def test_unreadable_model_file_is_replaced_by_a_retrained_model(
    plastek: None, quick_training: None, model_dir: Path
) -> None:
    broken = services.classification_train(actor_label="test")
    (model_dir / broken.file_name).write_bytes(b"not a model")
    services.classification_reset_cache()

    suggestion = services.classification_suggest(REPORT_SUBJECT, REPORT_TEXT)

    assert suggestion is not None
    active = ClassifierModel.objects.get(is_active=True)
    assert active.pk != broken.pk
    assert suggestion.model_version == active.version


def test_label_is_kept_once_per_ticket_with_the_latest_choice(
    plastek: None, world: dict[str, Any], make_ticket: Any
) -> None:
    ticket = make_ticket("Карта 2770 0000 0100 1 не работает")
    services.classification_record_label(
        ticket_id=ticket.pk,
        subject=ticket.subject,
        text="Гость, карта 2770000001001, тел. +7 916 123-45-67",
        suggested="incident",
        chosen="hardware",
        actor=world["agent"],
        source="correction",
    )
    label = services.classification_record_label(
        ticket_id=ticket.pk,
        subject=ticket.subject,
        text="Гость, карта 2770000001001, тел. +7 916 123-45-67",
        suggested="hardware",
        chosen="access",
        actor=world["head"],
        source="correction",
    )

    assert ServiceLabel.objects.count() == 1
    label.refresh_from_db()
    assert (label.suggested, label.chosen, label.actor) == ("incident", "access", world["head"])
    assert "2770000001001" not in label.text
    assert "916" not in label.text
    assert label.ticket == ticket


def test_label_refuses_unknown_service_source_and_ticket(
    plastek: None, world: dict[str, Any], make_ticket: Any
) -> None:
    ticket = make_ticket("Тема")
    common: dict[str, Any] = {"subject": "Тема", "text": "", "suggested": None, "actor": None}
    with pytest.raises(ValidationFailed):
        services.classification_record_label(
            ticket_id=ticket.pk, chosen="nonsense", source="manual", **common
        )
    with pytest.raises(ValidationFailed):
        services.classification_record_label(
            ticket_id=ticket.pk, chosen="report", source="guess", **common
        )
    with pytest.raises(NotFound):
        services.classification_record_label(
            ticket_id=ticket.pk + 1000, chosen="report", source="manual", **common
        )


def test_corrections_teach_the_next_model(
    plastek: None, world: dict[str, Any], make_ticket: Any
) -> None:
    before = services.classification_suggest(ODD_SUBJECT, ODD_TEXT)
    assert before is not None
    assert before.predictions[0].service != "mailing"
    for _ in range(4):
        ticket = make_ticket(ODD_SUBJECT, ODD_TEXT)
        services.classification_record_label(
            ticket_id=ticket.pk,
            subject=ODD_SUBJECT,
            text=ODD_TEXT,
            suggested=before.predictions[0].service,
            chosen="mailing",
            actor=world["agent"],
            source="correction",
        )

    model = services.classification_train(actor_label="test")

    after = services.classification_suggest(ODD_SUBJECT, ODD_TEXT)
    assert after is not None
    assert after.predictions[0].service == "mailing"
    assert model.label_count == 4
    assert ServiceLabel.objects.filter(used_in_model=model).count() == 4


def test_training_set_adds_finished_tickets_once(
    plastek: None, world: dict[str, Any], make_ticket: Any
) -> None:
    make_ticket("Выгрузка гостей", "Нужна выборка гостей", service="segmentation", finished=True)
    make_ticket("Открытое", "Ещё в работе", service="report")  # not finished: not learnt
    make_ticket("Без услуги", "Закрыто без услуги", finished=True)
    labelled = make_ticket("Касса", "Не печатает чек", service="hardware", finished=True)
    services.classification_record_label(
        ticket_id=labelled.pk,
        subject="Касса",
        text="Не печатает чек",
        suggested="hardware",
        chosen="pos_integration",
        actor=None,
        source="correction",
    )

    training = selectors.training_set()

    assert dict(training.counts) == {"seed": 801, "labels": 1, "tickets": 1}
    assert training.examples[-1].service == "segmentation"
    assert training.examples[-2].service == "pos_integration"
    assert dict(selectors.training_set(seed_only=True).counts) == {"seed": 801}


def test_weekly_job_retrains_only_after_new_corrections(
    plastek: None, quick_training: None, world: dict[str, Any], make_ticket: Any
) -> None:
    from datetime import UTC, datetime

    from servicedesk.core import clock

    monday_0407_moscow = datetime(2026, 11, 23, 1, 7, tzinfo=UTC)
    with clock.frozen_at(monday_0407_moscow.replace(day=16)):
        first = services.classification_train(actor_label="test")
    with clock.frozen_at(monday_0407_moscow):
        assert services.classification_retrain_if_due() is None  # no labels since

    with clock.frozen_at(monday_0407_moscow.replace(day=20)):
        ticket = make_ticket("Тема", "Текст")
        services.classification_record_label(
            ticket_id=ticket.pk,
            subject="Тема",
            text="Текст",
            suggested=None,
            chosen="report",
            actor=None,
            source="manual",
        )
    with clock.frozen_at(monday_0407_moscow):
        retrained = services.classification_retrain_if_due()
        assert retrained is not None
        assert retrained.pk != first.pk
        assert services.classification_retrain_if_due() is None  # done for this week


def test_only_the_newest_inactive_model_files_are_kept(
    plastek: None, model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime, timedelta

    monkeypatch.setattr(services, "KEPT_MODEL_FILES", 1)
    model_dir.mkdir(parents=True)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    models = []
    for day, active in ((0, True), (1, False), (2, False), (3, False)):
        (model_dir / f"m{day}.joblib").write_bytes(b"model")
        models.append(
            ClassifierModel.objects.create(
                version=f"m{day}",
                file_name=f"m{day}.joblib",
                trained_at=start + timedelta(days=day),
                training_size=1,
                is_active=active,
            )
        )

    services._prune_model_files()

    # The oldest one is active: it stays whatever its age.
    assert [(model_dir / m.file_name).exists() for m in models] == [True, False, False, True]


def test_first_model_learns_the_labels_already_given(
    plastek: None, quick_training: None, world: dict[str, Any], make_ticket: Any
) -> None:
    ticket = make_ticket(ODD_SUBJECT, ODD_TEXT, service="mailing")  # not classified
    services.classification_record_label(
        ticket_id=ticket.pk,
        subject=ODD_SUBJECT,
        text=ODD_TEXT,
        suggested=None,
        chosen="mailing",
        actor=None,
        source="manual",
    )

    suggestion = services.classification_suggest(REPORT_SUBJECT, REPORT_TEXT)

    assert suggestion is not None
    model = ClassifierModel.objects.get(is_active=True)
    assert (model.label_count, suggestion.model_version) == (1, model.version)


def test_a_prepared_batch_answers_with_one_model_call_and_the_same_suggestions(
    plastek: None, model_calls: list[int]
) -> None:
    alone = [
        services.classification_suggest(REPORT_SUBJECT, REPORT_TEXT),
        services.classification_suggest(ODD_SUBJECT, ODD_TEXT),
    ]
    calls = model_calls
    calls.clear()
    with services.classification_prepared([(REPORT_SUBJECT, REPORT_TEXT), (ODD_SUBJECT, ODD_TEXT)]):
        batched = [
            services.classification_suggest(REPORT_SUBJECT, REPORT_TEXT),
            services.classification_suggest(f"  {ODD_SUBJECT}", f"{ODD_TEXT}\n"),  # trimmed alike
        ]
        assert calls == [2]
        services.classification_suggest("Не печатает чек", "Касса не печатает чек")
        assert calls == [2, 1]  # not prepared: classified on its own
    assert batched == alone
    services.classification_suggest(REPORT_SUBJECT, REPORT_TEXT)
    assert calls == [2, 1, 1]  # the block is over


def test_a_batch_the_classifier_fails_on_falls_back_to_one_by_one(
    plastek: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from servicedesk.routing.classifier import ServiceClassifier

    services.classification_suggest(REPORT_SUBJECT, REPORT_TEXT)  # the first model exists
    real = ServiceClassifier.predict_documents

    def fails_for_many(self: Any, documents: Any, top_k: int = 3) -> Any:
        if len(documents) > 1:
            raise RuntimeError("сбой модели")
        return real(self, documents, top_k)

    monkeypatch.setattr(ServiceClassifier, "predict_documents", fails_for_many)
    with services.classification_prepared([(REPORT_SUBJECT, REPORT_TEXT), (ODD_SUBJECT, ODD_TEXT)]):
        suggestion = services.classification_suggest(REPORT_SUBJECT, REPORT_TEXT)
    assert suggestion is not None and suggestion.predictions[0].service == "report"
