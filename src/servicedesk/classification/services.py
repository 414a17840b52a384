"""Writes and the serving path of the classifier: suggest, record labels, train, activate.

Serving keeps the active model in memory, one per process. What the database says (the
settings, which model is active, which services are active) is re-read at most every
`STATE_REFRESH_SECONDS`, so a suggestion costs no query most of the time, and another
process's new model is picked up within seconds. In-process changes reset the cache at
once: training here, `classification_activate`, the settings admin.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import sklearn
from django.conf import settings
from django.db import IntegrityError, transaction

from servicedesk.accounts.models import User
from servicedesk.catalog.models import Service
from servicedesk.classification import selectors
from servicedesk.classification.domain import (
    SUBJECT_CHARS,
    TEXT_CHARS,
    Suggestion,
    clip_for_classification,
    model_version_for,
    retrain_due,
    suggestable,
)
from servicedesk.classification.models import (
    ClassifierModel,
    ClassifierSettings,
    LabelSource,
    ServiceLabel,
)
from servicedesk.core import clock
from servicedesk.core.errors import NotFound, ValidationFailed
from servicedesk.routing.classifier import (
    DEFAULT_REGULARISATION,
    MODEL_FORMAT,
    Evaluation,
    IncompatibleModelError,
    Prediction,
    ServiceClassifier,
    cross_validate,
    train,
)
from servicedesk.routing.classifier.text import mask_identifiers, normalise_for_classification

__all__ = [
    "Suggestion",
    "classification_activate",
    "classification_prepared",
    "classification_record_label",
    "classification_reset_cache",
    "classification_retrain_if_due",
    "classification_suggest",
    "classification_train",
    "classifier_dir",
]

logger = logging.getLogger(__name__)

STATE_REFRESH_SECONDS = 5.0

# Model files kept on disk besides the active one; each is about 8 MB. Rows stay.
KEPT_MODEL_FILES = 5

AUTO_ACTOR = "Автоматически"


@dataclass(frozen=True)
class _ModelRef:
    pk: int
    version: str
    file_name: str


@dataclass(frozen=True)
class _DeskState:
    """What the database said at `read_at` (monotonic seconds)."""

    enabled: bool
    threshold: float
    model: _ModelRef | None
    active_services: frozenset[str]
    auto_applicable: frozenset[str]
    read_at: float


class _ServingCache:
    """The per-process state and loaded model; the lock keeps one thread loading or training."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.state: _DeskState | None = None
        self.loaded: tuple[int, ServiceClassifier] | None = None
        # The seed-only model is the same for every fresh database of this code (tests,
        # new installs): trained once per process, it bootstraps each in milliseconds.
        self.seed_model: ServiceClassifier | None = None


_cache = _ServingCache()


def classifier_dir() -> Path:
    """Return the folder that holds the model files."""
    return Path(settings.CLASSIFIER_DIR)


def classification_reset_cache() -> None:
    """Forget the cached settings and model; the next suggestion reads the database again."""
    with _cache.lock:
        _cache.state = None
        _cache.loaded = None


def classification_suggest(subject: str, text: str) -> Suggestion | None:
    """Suggest up to three active services for a request, most probable first.

    Trains a first model from the seed set (and any labels) when there is none, so a
    fresh install classifies from its first request. Returns None only when
    classification is switched off. Inside `classification_prepared`, a request it
    classified already is answered from there.
    """
    state = _desk_state()
    if not state.enabled:
        return None
    clipped = clip_for_classification(subject, text)
    prepared = _prepared.get()
    if prepared:
        # The same request as prepared (the usual case) is found without normalising it
        # again: that is 0.2 ms of a new mail ticket, inside the batch's transaction.
        found = prepared.get(clipped) or prepared.get(normalise_for_classification(*clipped))
        if found is not None:
            return found
    classifier = _serving_classifier(state)
    ranked = classifier.predict(*clipped, top_k=len(classifier.labels))
    return _suggestion(classifier, state, ranked)


def _suggestion(
    classifier: ServiceClassifier, state: _DeskState, ranked: tuple[Prediction, ...]
) -> Suggestion:
    return Suggestion(
        predictions=suggestable(ranked, state.active_services),
        model_version=classifier.version,
        threshold=state.threshold,
        auto_applicable=state.auto_applicable,
    )


# Keyed by the clipped (subject, text) and by the normalised document made of it.
_prepared: ContextVar[dict[tuple[str, str] | str, Suggestion] | None] = ContextVar(
    "classification_prepared", default=None
)


@contextmanager
def classification_prepared(requests: Sequence[tuple[str, str]]) -> Iterator[None]:
    """Classify many (subject, text) requests in one model call for the block inside.

    For batches (a mail poll, an import): `classification_suggest` inside the block
    answers a request classified here without calling the model again. A failure here
    only loses the speed-up: each request is then classified on its own.
    """
    prepared: dict[tuple[str, str] | str, Suggestion] = {}
    state = _desk_state()
    if state.enabled and requests:
        clipped = [clip_for_classification(subject, text) for subject, text in requests]
        documents = [normalise_for_classification(*request) for request in clipped]
        try:
            classifier = _serving_classifier(state)
            ranked_rows = classifier.predict_documents(documents, top_k=len(classifier.labels))
        except Exception:
            logger.exception("classifier failed for a batch; requests are classified one by one")
        else:
            for request, document, ranked in zip(clipped, documents, ranked_rows, strict=True):
                prepared[request] = prepared[document] = _suggestion(classifier, state, ranked)
    token = _prepared.set(prepared)
    try:
        yield
    finally:
        _prepared.reset(token)


def classification_record_label(
    *,
    ticket_id: int,
    subject: str,
    text: str,
    suggested: str | None,
    chosen: str,
    actor: User | None,
    source: str,
) -> ServiceLabel:
    """Keep the service a person gave a ticket, to train the next model on it.

    One label per ticket: a later choice replaces the earlier one, while the first
    suggestion is kept (that is what the model got wrong or right). The text is stored
    with card numbers, phones and e-mail addresses masked, as the model reads it.
    """
    if source not in LabelSource.values:
        allowed = ", ".join(LabelSource.values)
        raise ValidationFailed(f"Неизвестный источник метки «{source}»: {allowed}", field="source")
    if not Service.objects.filter(code=chosen).exists():
        raise ValidationFailed(f"Нет услуги с кодом «{chosen}»", field="chosen")
    from servicedesk.tickets.models import Ticket

    if not Ticket.objects.filter(pk=ticket_id).exists():
        raise NotFound("Обращение не найдено")
    now = clock.now()
    snapshot = {
        "subject": mask_identifiers(subject[:SUBJECT_CHARS]).strip(),
        "text": mask_identifiers(text[:TEXT_CHARS]).strip(),
        "chosen": chosen,
        "actor": actor,
        "source": source,
        "updated_at": now,
        "used_in_model": None,
    }
    for _attempt in range(2):
        with transaction.atomic():
            label = ServiceLabel.objects.select_for_update().filter(ticket_id=ticket_id).first()
            if label is not None:
                for name, value in snapshot.items():
                    setattr(label, name, value)
                if not label.suggested and suggested:
                    label.suggested = suggested
                label.save(update_fields=[*snapshot, "suggested"])
                return label
            try:
                with transaction.atomic():
                    return ServiceLabel.objects.create(
                        ticket_id=ticket_id, suggested=suggested or "", created_at=now, **snapshot
                    )
            except IntegrityError:
                continue  # another request labelled the same ticket first: update it
    raise ValidationFailed("Не удалось сохранить метку, повторите", field="chosen")


def classification_train(
    *, actor_label: str = "Вручную", now: datetime | None = None, evaluate_folds: int = 0
) -> ClassifierModel:
    """Train a model on the seed set, the labels and finished tickets; activate it.

    The previous model is deactivated (its row stays; its file is kept among the last
    `KEPT_MODEL_FILES`). Labels read for training are marked as used by the new model.
    With `evaluate_folds` (2 or more), the same training set is also cross-validated and
    the model's row records the accuracy to expect; that trains `evaluate_folds` more times.
    """
    model, _classifier = _train_and_activate(
        actor_label=actor_label, now=now, evaluate_folds=evaluate_folds
    )
    return model


def classification_activate(*, model_id: int) -> ClassifierModel:
    """Make an earlier model the active one (for instance to roll back a bad retraining)."""
    model = ClassifierModel.objects.filter(pk=model_id).first()
    if model is None:
        raise NotFound("Модель не найдена")
    path = classifier_dir() / model.file_name
    try:
        classifier = ServiceClassifier.load(path)
    except (FileNotFoundError, IncompatibleModelError) as error:
        raise ValidationFailed(f"Файл модели {model.version} не читается: {error}") from error
    with transaction.atomic():
        _make_active(model)
    _serve_from_now_on(model, classifier)
    return model


def classification_retrain_if_due(*, now: datetime | None = None) -> ClassifierModel | None:
    """Retrain on the configured weekday when people labelled requests since the last model.

    The periodic job calls this every hour; it is a no-op on other hours and days, and
    after one retraining, until someone labels a request again.
    """
    now = now or clock.now()
    desk = selectors.classifier_settings()
    if not desk.enabled:
        return None
    active = selectors.active_model()
    due = retrain_due(
        now_local=now.astimezone(ZoneInfo(settings.TIME_ZONE)),
        retrain_weekday=desk.retrain_weekday,
        active_trained_at=active.trained_at if active else None,
        newest_label_at=selectors.newest_label_at(),
    )
    if not due:
        return None
    return classification_train(actor_label="Планировщик (еженедельно)", now=now)


# --- serving -----------------------------------------------------------------------------


def _desk_state() -> _DeskState:
    state = _cache.state
    if state is not None and time.monotonic() - state.read_at < STATE_REFRESH_SECONDS:
        return state
    desk = selectors.classifier_settings()
    row = (
        ClassifierModel.objects.filter(is_active=True)
        .values_list("pk", "version", "file_name")
        .first()
    )
    active_services, auto_applicable = selectors.service_flags()
    state = _DeskState(
        enabled=desk.enabled,
        threshold=desk.auto_apply_threshold,
        model=_ModelRef(*row) if row is not None else None,
        active_services=active_services,
        auto_applicable=auto_applicable,
        read_at=time.monotonic(),
    )
    _cache.state = state
    return state


def _serving_classifier(state: _DeskState) -> ServiceClassifier:
    loaded = _cache.loaded
    if state.model is not None and loaded is not None and loaded[0] == state.model.pk:
        return loaded[1]
    # A savepoint only here, where a model is loaded or trained: a failed first training
    # leaves no trace, and the common case (the model in memory) costs no statements.
    with _cache.lock, transaction.atomic():
        loaded = _cache.loaded
        if state.model is None:
            # Another thread or process may have trained it meanwhile.
            active = selectors.active_model()
            if active is None:
                return _bootstrap()
            if loaded is not None and loaded[0] == active.pk:
                return loaded[1]
            reference = _ModelRef(active.pk, active.version, active.file_name)
        elif loaded is not None and loaded[0] == state.model.pk:
            return loaded[1]
        else:
            reference = state.model
        return _load(reference)


def _load(reference: _ModelRef) -> ServiceClassifier:
    try:
        classifier = ServiceClassifier.load(classifier_dir() / reference.file_name)
    except (FileNotFoundError, IncompatibleModelError) as error:
        # A lost file or an upgraded scikit-learn: the data to retrain is all in the
        # database, so retrain rather than leave the desk without suggestions.
        logger.warning("classifier model %s unusable, retraining: %s", reference.version, error)
        _model, trained = _train_and_activate(
            actor_label=f"{AUTO_ACTOR}: файл модели не читается", now=None
        )
        return trained
    _cache.loaded = (reference.pk, classifier)
    return classifier


def _train_and_activate(
    *, actor_label: str, now: datetime | None, evaluate_folds: int = 0
) -> tuple[ClassifierModel, ServiceClassifier]:
    trained_at = now or clock.now()
    read_at = clock.now()
    started = time.perf_counter()
    training = selectors.training_set()
    version = model_version_for(trained_at, len(training.examples), selectors.model_versions())
    classifier = train(training.examples, version=version, created_at=trained_at)
    file_name = f"{version}.joblib"
    classifier.save(classifier_dir() / file_name)
    duration_seconds = time.perf_counter() - started
    evaluation = cross_validate(training.examples, folds=evaluate_folds) if evaluate_folds else None
    with transaction.atomic():
        model = _register(
            classifier,
            file_name=file_name,
            trained_at=trained_at,
            counts=dict(training.counts),
            duration_seconds=duration_seconds,
            actor_label=actor_label,
            evaluation=evaluation,
        )
        # A label changed while the model trained is newer than what it learnt.
        ServiceLabel.objects.filter(pk__in=training.label_ids, updated_at__lte=read_at).update(
            used_in_model=model
        )
    _prune_model_files()
    _serve_from_now_on(model, classifier)
    logger.info("classifier %s trained on %d requests", version, model.training_size)
    return model, classifier


def _bootstrap() -> ServiceClassifier:
    """Give a database with no model its first one, trained on what there is."""
    training = selectors.training_set()
    if training.counts[selectors.SOURCE_LABELS] or training.counts[selectors.SOURCE_TICKETS]:
        _model, trained = _train_and_activate(
            actor_label=f"{AUTO_ACTOR}: первая подсказка", now=None
        )
        return trained
    classifier = _seed_model(training)
    file_name = f"{classifier.version}.joblib"
    path = classifier_dir() / file_name
    if not path.exists():
        classifier.save(path)
    with transaction.atomic():
        existing = ClassifierModel.objects.filter(version=classifier.version).first()
        if existing is None:
            model = _register(
                classifier,
                file_name=file_name,
                trained_at=clock.now(),
                counts=dict(training.counts),
                duration_seconds=0.0,
                actor_label=f"{AUTO_ACTOR}: первая подсказка, начальный набор",
            )
        else:
            _make_active(existing)
            model = existing
    _serve_from_now_on(model, classifier)
    return classifier


def _seed_model(training: selectors.TrainingSet) -> ServiceClassifier:
    """Return the seed-only model, trained once per process and code version."""
    fingerprint = hashlib.sha256(
        json.dumps(
            [[example.subject, example.text, example.service] for example in training.examples]
            + [sklearn.__version__, MODEL_FORMAT, DEFAULT_REGULARISATION],
            ensure_ascii=False,
        ).encode()
    ).hexdigest()[:12]
    version = f"seed-{fingerprint}"
    cached = _cache.seed_model
    if cached is None or cached.version != version:
        cached = train(training.examples, version=version, created_at=clock.now())
        _cache.seed_model = cached
    return cached


def _register(
    classifier: ServiceClassifier,
    *,
    file_name: str,
    trained_at: datetime,
    counts: dict[str, int],
    duration_seconds: float,
    actor_label: str,
    evaluation: Evaluation | None = None,
) -> ClassifierModel:
    """Record a saved model and make it the active one (inside the caller's transaction)."""
    model = ClassifierModel.objects.create(
        version=classifier.version,
        file_name=file_name,
        trained_at=trained_at,
        training_size=classifier.metadata.training_size,
        seed_count=counts.get(selectors.SOURCE_SEED, 0),
        label_count=counts.get(selectors.SOURCE_LABELS, 0),
        ticket_count=counts.get(selectors.SOURCE_TICKETS, 0),
        duration_seconds=round(duration_seconds, 3),
        actor_label=actor_label[:200],
        accuracy=evaluation.accuracy if evaluation else None,
        top3_accuracy=evaluation.top3_accuracy if evaluation else None,
    )
    _make_active(model)
    return model


def _make_active(model: ClassifierModel) -> None:
    """Switch the one active model to `model`; callers hold a transaction."""
    # Lock the settings row so two activations queue rather than collide on the
    # one-active constraint (SQLite serialises writers by itself).
    list(ClassifierSettings.objects.select_for_update().filter(pk=1))
    ClassifierModel.objects.filter(is_active=True).exclude(pk=model.pk).update(is_active=False)
    ClassifierModel.objects.filter(pk=model.pk).update(is_active=True)
    model.is_active = True


def _serve_from_now_on(model: ClassifierModel, classifier: ServiceClassifier) -> None:
    with _cache.lock:
        _cache.state = None
        _cache.loaded = (model.pk, classifier)


def _prune_model_files() -> None:
    """Delete the files of inactive models older than the newest `KEPT_MODEL_FILES`."""
    stale = ClassifierModel.objects.filter(is_active=False).values_list("file_name", flat=True)
    for file_name in stale[KEPT_MODEL_FILES:]:
        (classifier_dir() / file_name).unlink(missing_ok=True)
