"""The one write path for work time: logs, corrections, estimates and their decisions."""

from servicedesk.worklogs.services.estimates import estimate_decide, estimate_propose
from servicedesk.worklogs.services.logs import (
    UNCHANGED,
    NewWorkLog,
    worklog_add,
    worklog_correct,
    worklog_excess_decide,
)

__all__ = [
    "UNCHANGED",
    "NewWorkLog",
    "estimate_decide",
    "estimate_propose",
    "worklog_add",
    "worklog_correct",
    "worklog_excess_decide",
]
