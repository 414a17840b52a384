"""Plas-Tek's catalogue exactly as the source gives it (SPEC §5), contradictions included."""

from __future__ import annotations

from dataclasses import dataclass

from servicedesk.catalog.domain import Impact


@dataclass(frozen=True)
class LevelRow:
    code: str
    priority: str
    rank: int
    reaction_hours: int
    resolution_hours: int


@dataclass(frozen=True)
class ServiceRow:
    code: str
    name: str
    impact: Impact | None
    escalation: bool
    raise_priority: bool
    sla_level: str | None
    default_line: str
    in_catalogue: bool = True
    in_classifier: bool = True


SLA_LEVELS = (
    LevelRow("SL_1", "Критический", 1, 2, 4),
    LevelRow("SL_2", "Средний", 2, 4, 24),
    LevelRow("SL_3", "Низкий", 3, 6, 48),
)

DEFAULT_LEVEL_FOR_UNDESCRIBED = "SL_2"

L, M, H, C = Impact.LOW, Impact.MEDIUM, Impact.HIGH, Impact.COMPREHENSIVE

# Default lines are ours (the source gives none): L3 for what §4 sells as extra work
# (reports, selections, training), L1 for what the first line answers, L2 otherwise.
SERVICES = (
    ServiceRow("report", "Отчет", L, True, True, "SL_1", "L3"),
    ServiceRow("testing", "Тестирование", M, False, True, "SL_2", "L2"),
    ServiceRow("incident", "Инцидент", H, True, False, "SL_2", "L2"),
    ServiceRow("consultation", "Консультация", L, True, True, "SL_1", "L1", in_classifier=False),
    ServiceRow("instruction", "Инструкция", L, False, False, "SL_1", "L1"),
    ServiceRow("promotion", "Акция", H, True, True, "SL_3", "L2"),
    ServiceRow("access", "Доступ", H, False, False, "SL_3", "L2"),
    ServiceRow("training", "Обучение", L, False, False, "SL_1", "L3"),
    ServiceRow("hardware", "Железо", C, True, True, "SL_3", "L2"),
    ServiceRow("logging", "Логирование", M, True, True, "SL_2", "L2"),
    ServiceRow("segmentation", "Сегментация (выборка)", L, True, False, "SL_1", "L3"),
    ServiceRow("mailing", "Рассылка", M, False, True, "SL_2", "L2"),
    ServiceRow("channel", "Канал связи", C, True, True, "SL_3", "L2"),
    ServiceRow("performance", "Быстродействие", C, True, True, "SL_3", "L2"),
    ServiceRow(
        "pos_integration", "Кассовая интеграция", None, False, False, None, "L2", in_catalogue=False
    ),
    ServiceRow("studio", "Студия", None, False, False, None, "L2", in_catalogue=False),
)
