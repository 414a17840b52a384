"""The seed set shipped with the product: coverage, shape and variety."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from typing import Any

import pytest

from servicedesk.routing.classifier import LabelledText

SERVICE_CODES = {
    "report",
    "testing",
    "incident",
    "consultation",
    "instruction",
    "promotion",
    "access",
    "training",
    "hardware",
    "logging",
    "segmentation",
    "mailing",
    "channel",
    "performance",
    "pos_integration",
    "studio",
}
CHANNELS = {"phone", "email", "portal"}
AUTHORS = {"guest", "outlet", "client_it", "client_marketing", "client_admin"}
MINIMUM_PER_SERVICE = 45


@pytest.fixture(scope="module")
def seed_records() -> list[dict[str, Any]]:
    content = (
        resources.files("servicedesk.routing.classifier.seed")
        .joinpath("seed_ru.jsonl")
        .read_text(encoding="utf-8")
    )
    return [json.loads(line) for line in content.splitlines() if line.strip()]


def test_every_service_has_at_least_45_seed_requests(seed_records: list[dict[str, Any]]) -> None:
    counts = Counter(record["service"] for record in seed_records)
    assert set(counts) == SERVICE_CODES
    assert min(counts.values()) >= MINIMUM_PER_SERVICE, counts


def test_every_seed_line_has_exactly_the_documented_fields_and_values(
    seed_records: list[dict[str, Any]],
) -> None:
    for record in seed_records:
        assert set(record) == {"service", "subject", "text", "channel", "author"}, record
        assert record["channel"] in CHANNELS, record
        assert record["author"] in AUTHORS, record
        assert record["subject"].strip() and record["text"].strip(), record


def test_guests_only_phone_or_write_because_they_never_log_in_to_the_portal(
    seed_records: list[dict[str, Any]],
) -> None:
    guest_channels = {r["channel"] for r in seed_records if r["author"] == "guest"}
    assert guest_channels == {"phone", "email"}


def test_no_two_seed_requests_are_the_same(seed_records: list[dict[str, Any]]) -> None:
    texts = Counter(record["text"].strip().lower() for record in seed_records)
    assert [text for text, count in texts.items() if count > 1] == []


def test_seed_set_mixes_channels_authors_and_lengths(seed_records: list[dict[str, Any]]) -> None:
    assert {record["channel"] for record in seed_records} == CHANNELS
    assert {record["author"] for record in seed_records} == AUTHORS
    word_counts = [len(record["text"].split()) for record in seed_records]
    assert min(word_counts) <= 6
    assert max(word_counts) >= 100


def test_seed_set_includes_transliterated_and_english_requests(
    seed_records: list[dict[str, Any]],
) -> None:
    without_cyrillic = [
        record
        for record in seed_records
        if not any("а" <= char.lower() <= "я" for char in record["subject"] + record["text"])
    ]
    assert len(without_cyrillic) >= 16


def test_seed_examples_load_as_labelled_texts_in_file_order(
    seed_examples: list[LabelledText], seed_records: list[dict[str, Any]]
) -> None:
    assert len(seed_examples) == len(seed_records)
    first = seed_records[0]
    assert seed_examples[0] == LabelledText(first["subject"], first["text"], first["service"])
