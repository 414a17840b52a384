"""The classifier's part in ticket writes: suggest a missing service, learn from people."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from servicedesk.catalog.models import Service
from servicedesk.catalog.selectors import service_with_level
from servicedesk.classification.services import (
    classification_record_label,
    classification_suggest,
)
from servicedesk.tickets.domain.events import TicketEventType

if TYPE_CHECKING:
    from servicedesk.tickets.services.change import TicketChange

logger = logging.getLogger(__name__)


def suggest_service(change: TicketChange) -> Service | None:
    """Ask the classifier about a request without a service; apply it when confident.

    The suggestions stay on the ticket for the first line either way, and the timeline
    says whether the service was set automatically or a person must choose.
    """
    ticket = change.ticket
    try:  # loading or training the model runs in a savepoint of its own
        suggestion = classification_suggest(ticket.subject, ticket.description)
    except Exception:
        # A request is never lost because the classifier failed: it waits for a person.
        logger.exception("classifier failed for a new ticket; it waits for a person")
        return None
    if suggestion is None or not suggestion.predictions:
        return None
    predictions = [
        {"service": p.service, "probability": round(p.probability, 4)}
        for p in suggestion.predictions
    ]
    ticket.suggested_services = predictions
    data: dict[str, Any] = {
        "predictions": predictions,
        "model_version": suggestion.model_version,
        "threshold": suggestion.threshold,
    }
    confident = suggestion.confident
    service = None
    if confident is not None:
        service = service_with_level(confident.service)
    if confident is None or service is None:
        change.record(TicketEventType.SERVICE_SUGGESTED, data)
        return None
    change.record(
        TicketEventType.SERVICE_CLASSIFIED,
        data | {"service": service.code, "probability": round(confident.probability, 4)},
    )
    return service


def learn_from_person(change: TicketChange) -> None:
    """Keep a person's choice of service on a ticket the classifier had an opinion on."""
    ticket = change.ticket
    actor = change.actor
    if "service" not in change.fields or ticket.service is None or not ticket.suggested_services:
        return
    if actor is None or not actor.is_support_staff:
        return
    suggested = str(ticket.suggested_services[0].get("service") or "") or None
    chosen = ticket.service.code
    classification_record_label(
        ticket_id=ticket.pk,
        subject=ticket.subject,
        text=ticket.description,
        suggested=suggested,
        chosen=chosen,
        actor=actor,
        source="confirmed" if suggested == chosen else "correction",
    )
