"""Problem-management options as one typed object, read from Django settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from django.conf import settings


@dataclass(frozen=True)
class ProblemOptions:
    """Deployment options of problems, mass incidents and development hand-offs."""

    handoff_remind_after_days: int
    handoff_remind_at: time  # local (settings.TIME_ZONE) time from which the daily reminder goes
    similar_hours: int
    similar_limit: int


def problem_options() -> ProblemOptions:
    """Return the options (read on each call: cheap, and tests change settings freely)."""
    hour, minute = (int(part) for part in settings.PROBLEMS_HANDOFF_REMIND_AT.split(":"))
    return ProblemOptions(
        handoff_remind_after_days=int(settings.PROBLEMS_HANDOFF_REMIND_AFTER_DAYS),
        handoff_remind_at=time(hour, minute),
        similar_hours=int(settings.PROBLEMS_SIMILAR_HOURS),
        similar_limit=int(settings.PROBLEMS_SIMILAR_LIMIT),
    )
