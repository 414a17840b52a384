"""The desk's own scrape-time gauges; each returns a number or {labels: number}."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Count

from servicedesk.core import clock

_NEVER = -1.0


def queue_depth() -> float:
    from huey.contrib.djhuey import HUEY

    return float(HUEY.pending_count())


def scheduled_tasks() -> float:
    from huey.contrib.djhuey import HUEY

    return float(HUEY.scheduled_count())


def heartbeat_age() -> float:
    """Seconds since the last heartbeat, or -1 if no worker ever ran one."""
    from servicedesk.ops.selectors import last_heartbeat

    beat = last_heartbeat()
    if beat is None:
        return _NEVER
    return max(0.0, (clock.now() - beat.beat_at).total_seconds())


def tickets_by_category() -> dict[tuple[str, ...], float]:
    from servicedesk.tickets.models import Ticket

    rows = Ticket.objects.values("status_category").annotate(n=Count("pk")).order_by()
    return {(row["status_category"],): float(row["n"]) for row in rows}


def sla_installed() -> bool:
    return apps.is_installed("servicedesk.sla")


def sla_breached_tickets() -> dict[tuple[str, ...], float]:
    """Count active tickets with a breached SLA clock (the SLA app's `SlaClock`)."""
    from servicedesk.tickets.domain.statuses import ACTIVE_CATEGORIES

    model = apps.get_model("sla", "SlaClock")
    fields = {field.name for field in model._meta.get_fields()}
    if "breached_at" not in fields or "ticket" not in fields:
        return {}
    breached = model.objects.filter(
        breached_at__isnull=False, ticket__status_category__in=ACTIVE_CATEGORIES
    )
    if "target" not in fields:
        return {("all",): float(breached.values("ticket").distinct().count())}
    rows = breached.values("target").annotate(n=Count("ticket", distinct=True)).order_by()
    return {(str(row["target"]),): float(row["n"]) for row in rows}
