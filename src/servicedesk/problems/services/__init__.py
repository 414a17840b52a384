"""Writes of problems, mass incidents and development hand-offs (the one write path)."""

from servicedesk.problems.services.handoff import (
    handoff_return,
    handoff_send_reminders,
    handoff_update_state,
    ticket_handoff_to_development,
)
from servicedesk.problems.services.mass import (
    mass_incident_link,
    mass_incident_resolve,
    mass_incident_set_message,
    mass_incident_unlink,
)
from servicedesk.problems.services.problems import (
    ProblemPatch,
    problem_create,
    problem_link_ticket,
    problem_transition,
    problem_unlink_ticket,
    problem_update,
)

__all__ = [
    "ProblemPatch",
    "handoff_return",
    "handoff_send_reminders",
    "handoff_update_state",
    "mass_incident_link",
    "mass_incident_resolve",
    "mass_incident_set_message",
    "mass_incident_unlink",
    "problem_create",
    "problem_link_ticket",
    "problem_transition",
    "problem_unlink_ticket",
    "problem_update",
    "ticket_handoff_to_development",
]
