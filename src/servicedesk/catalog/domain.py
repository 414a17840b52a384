"""Catalogue rules without Django: impact scale, impact-consistent SLA, configuration problems."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum


class Impact(IntEnum):
    """How much of the business a failure touches (SPEC §5 scale)."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3
    COMPREHENSIVE = 4

    @property
    def label(self) -> str:
        return IMPACT_LABELS[self]


IMPACT_LABELS = {
    Impact.LOW: "Низкое",
    Impact.MEDIUM: "Среднее",
    Impact.HIGH: "Высокое",
    Impact.COMPREHENSIVE: "Всеобъемлющее",
}

# Priority rank: 1 is the most urgent (Критический), 3 the least (Низкий).
IMPACT_CONSISTENT_RANK = {
    Impact.COMPREHENSIVE: 1,
    Impact.HIGH: 1,
    Impact.MEDIUM: 2,
    Impact.LOW: 3,
}


APPLY_HINT = "manage.py catalog_check --apply-impact-mapping применит соответствие влиянию."


@dataclass(frozen=True)
class LevelFacts:
    code: str
    priority: str
    rank: int


@dataclass(frozen=True)
class ServiceFacts:
    code: str
    name: str
    impact: Impact | None
    sla_level_code: str | None
    in_catalogue: bool
    in_classifier: bool


@dataclass(frozen=True)
class CatalogueProblem:
    """One thing wrong with the catalogue, phrased for the head."""

    check_id: str
    service_code: str
    message: str
    hint: str
    suggested_level_code: str | None = None


def impact_consistent_level(impact: Impact, levels: Sequence[LevelFacts]) -> LevelFacts | None:
    """Return the SLA level whose priority matches `impact`, if the catalogue has one."""
    wanted = IMPACT_CONSISTENT_RANK[impact]
    return next((level for level in levels if level.rank == wanted), None)


def find_catalogue_problems(
    services: Iterable[ServiceFacts], levels: Sequence[LevelFacts], default_level_code: str
) -> list[CatalogueProblem]:
    """Return every SLA/impact contradiction and every incomplete catalogue row (SPEC §5)."""
    by_code = {level.code: level for level in levels}
    problems: list[CatalogueProblem] = []
    for service in services:
        if not service.in_catalogue or service.impact is None or service.sla_level_code is None:
            problems.append(
                CatalogueProblem(
                    check_id="catalog.W002",
                    service_code=service.code,
                    message=(
                        f"Услуга «{service.name}» ({service.code}) есть в классификаторе, но не "
                        f"описана в каталоге: влияние и уровень SLA не заданы, действует уровень "
                        f"по умолчанию {default_level_code}."
                    ),
                    hint="Заполните влияние и уровень SLA услуги в администрировании каталога.",
                )
            )
            continue
        if not service.in_classifier:
            problems.append(
                CatalogueProblem(
                    check_id="catalog.W003",
                    service_code=service.code,
                    message=(
                        f"Услуга «{service.name}» ({service.code}) есть в каталоге, но её нет в "
                        f"классификаторе задач."
                    ),
                    hint="Добавьте категорию в классификатор или подтвердите, что так задумано.",
                )
            )
        level = by_code.get(service.sla_level_code)
        wanted = impact_consistent_level(service.impact, levels)
        if level is None or wanted is None or level.rank == wanted.rank:
            continue
        problems.append(
            CatalogueProblem(
                check_id="catalog.W001",
                service_code=service.code,
                message=(
                    f"Услуга «{service.name}» ({service.code}): влияние «{service.impact.label}», "
                    f"но уровень {level.code} ({level.priority}). По влиянию ожидается "
                    f"{wanted.code} ({wanted.priority})."
                ),
                hint=APPLY_HINT,
                suggested_level_code=wanted.code,
            )
        )
    return problems
