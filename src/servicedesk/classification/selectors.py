"""Reads of the classification app: settings, the active model, the training set."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Max
from django.db.models.functions import Substr

from servicedesk.catalog.models import Service
from servicedesk.classification.domain import SUBJECT_CHARS, TEXT_CHARS, clip_for_classification
from servicedesk.classification.models import ClassifierModel, ClassifierSettings, ServiceLabel
from servicedesk.routing.classifier import LabelledText, load_seed_examples

# The team's own history: the most recent finished tickets, enough to learn from and
# bounded so that training stays in the tens of seconds on a small host.
TICKET_HISTORY_LIMIT = 20_000

FINISHED_CATEGORIES = ("resolved", "closed")

SOURCE_SEED = "seed"
SOURCE_LABELS = "labels"
SOURCE_TICKETS = "tickets"


@dataclass(frozen=True)
class TrainingSet:
    """The labelled requests a model learns from, and where each came from."""

    examples: list[LabelledText]
    counts: Counter[str] = field(default_factory=Counter)
    label_ids: tuple[int, ...] = ()


def classifier_settings() -> ClassifierSettings:
    """Return the settings row, or the defaults when it has not been created yet."""
    return ClassifierSettings.objects.filter(pk=1).first() or ClassifierSettings(pk=1)


def active_model() -> ClassifierModel | None:
    """Return the model that serves suggestions now, if any."""
    return ClassifierModel.objects.filter(is_active=True).first()


def service_flags() -> tuple[frozenset[str], frozenset[str]]:
    """Return the codes of active services, and of those among them in the classifier."""
    rows = Service.objects.filter(is_active=True).values_list("code", "in_classifier")
    active = frozenset(code for code, _ in rows)
    auto_applicable = frozenset(code for code, in_classifier in rows if in_classifier)
    return active, auto_applicable


def newest_label_at() -> datetime | None:
    """Return when a person last labelled (or relabelled) a request."""
    newest: datetime | None = ServiceLabel.objects.aggregate(newest=Max("updated_at"))["newest"]
    return newest


def model_versions() -> list[str]:
    """Return every model version ever recorded."""
    return list(ClassifierModel.objects.values_list("version", flat=True))


def _example(subject: str, text: str, service: str) -> LabelledText:
    clipped_subject, clipped_text = clip_for_classification(subject, text)
    return LabelledText(subject=clipped_subject, text=clipped_text, service=service)


def training_set(
    *, seed_only: bool = False, ticket_limit: int = TICKET_HISTORY_LIMIT
) -> TrainingSet:
    """Collect the training set: the shipped seed, people's labels, finished tickets.

    A ticket that has a label is taken once, through its label: the label records the
    person's deliberate choice. Tickets with no text left (anonymised, empty) teach
    nothing and are skipped.
    """
    examples = [_example(seed.subject, seed.text, seed.service) for seed in load_seed_examples()]
    counts: Counter[str] = Counter({SOURCE_SEED: len(examples)})
    if seed_only:
        return TrainingSet(examples=examples, counts=counts)
    label_ids: list[int] = []
    for pk, subject, text, chosen in ServiceLabel.objects.order_by("pk").values_list(
        "pk", "subject", "text", "chosen"
    ):
        label_ids.append(pk)
        examples.append(_example(subject, text, chosen))
    counts[SOURCE_LABELS] = len(label_ids)
    from servicedesk.tickets.models import Ticket

    finished = (
        Ticket.objects.filter(status_category__in=FINISHED_CATEGORIES, service__isnull=False)
        .exclude(pk__in=ServiceLabel.objects.filter(ticket__isnull=False).values("ticket_id"))
        .order_by("-created_at")
        # Clipped in the database: 20,000 full descriptions could be gigabytes.
        .annotate(
            subject_head=Substr("subject", 1, SUBJECT_CHARS),
            description_head=Substr("description", 1, TEXT_CHARS),
        )
        .values_list("subject_head", "description_head", "service__code")[:ticket_limit]
    )
    ticket_count = 0
    for subject, description, service in finished:
        if not (subject.strip() or description.strip()):
            continue
        examples.append(_example(subject, description, service))
        ticket_count += 1
    counts[SOURCE_TICKETS] = ticket_count
    return TrainingSet(examples=examples, counts=counts, label_ids=tuple(label_ids))
