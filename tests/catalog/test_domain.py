"""Catalogue rules: the SPEC §5 contradictions are found, nothing is guessed."""

from __future__ import annotations

from servicedesk.catalog import plastek
from servicedesk.catalog.domain import (
    Impact,
    LevelFacts,
    ServiceFacts,
    find_catalogue_problems,
    impact_consistent_level,
)

LEVELS = [LevelFacts(r.code, r.priority, r.rank) for r in plastek.SLA_LEVELS]


def facts() -> list[ServiceFacts]:
    return [
        ServiceFacts(r.code, r.name, r.impact, r.sla_level, r.in_catalogue, r.in_classifier)
        for r in plastek.SERVICES
    ]


def test_plastek_catalogue_has_sixteen_services_and_three_levels() -> None:
    assert len(plastek.SERVICES) == 16
    assert [level.code for level in LEVELS] == ["SL_1", "SL_2", "SL_3"]


def test_impact_maps_to_the_consistent_priority() -> None:
    assert impact_consistent_level(Impact.COMPREHENSIVE, LEVELS).code == "SL_1"
    assert impact_consistent_level(Impact.HIGH, LEVELS).code == "SL_1"
    assert impact_consistent_level(Impact.MEDIUM, LEVELS).code == "SL_2"
    assert impact_consistent_level(Impact.LOW, LEVELS).code == "SL_3"


def test_every_contradiction_of_the_source_is_reported() -> None:
    problems = find_catalogue_problems(facts(), LEVELS, "SL_2")
    contradictions = {
        p.service_code: p.suggested_level_code for p in problems if p.check_id == "catalog.W001"
    }
    assert contradictions == {
        "report": "SL_3",
        "incident": "SL_1",
        "consultation": "SL_3",
        "instruction": "SL_3",
        "promotion": "SL_1",
        "access": "SL_1",
        "training": "SL_3",
        "hardware": "SL_1",
        "segmentation": "SL_3",
        "channel": "SL_1",
        "performance": "SL_1",
    }


def test_consistent_services_are_not_reported() -> None:
    problems = find_catalogue_problems(facts(), LEVELS, "SL_2")
    reported = {p.service_code for p in problems}
    # testing, logging and mailing are Среднее → SL_2 as written.
    assert not reported & {"testing", "logging", "mailing"}


def test_undescribed_and_unclassified_services_are_reported() -> None:
    problems = find_catalogue_problems(facts(), LEVELS, "SL_2")
    assert {p.service_code for p in problems if p.check_id == "catalog.W002"} == {
        "pos_integration",
        "studio",
    }
    assert {p.service_code for p in problems if p.check_id == "catalog.W003"} == {"consultation"}
    missing = next(p for p in problems if p.service_code == "studio")
    assert "SL_2" in missing.message
