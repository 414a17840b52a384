"""Helpers that build tickets and work logs through the real services at fixed instants."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from servicedesk.core import clock
from servicedesk.tickets import services
from servicedesk.tickets.models import Ticket

MSK = ZoneInfo("Europe/Moscow")


def msk(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=MSK)


def seed_calendars() -> None:
    """Load the 5/2 production calendar for 2025–2026 whatever today is."""
    from servicedesk.calendars.models import Calendar
    from servicedesk.calendars.services import calendar_seed_year
    from servicedesk.sla.selectors import forget_cached_ladders

    five_two = Calendar.objects.get(code="msk-5-2")
    for year in (2025, 2026):
        calendar_seed_year(calendar=five_two, year=year)
    forget_cached_ladders()


def new_ticket(actor: Any, client: Any, service: str, at: datetime, **extra: Any) -> Ticket:
    with clock.frozen_at(at):
        return services.ticket_create(
            actor=actor,
            data=services.NewTicket(
                subject=extra.pop("subject", f"Обращение: {service}"),
                client=client.code,
                channel=extra.pop("channel", "phone"),
                service=service,
                **extra,
            ),
        )


def log_time(
    actor: Any,
    ticket: Ticket,
    minutes: int,
    at: datetime,
    work_date: date | None = None,
    **extra: Any,
) -> Any:
    from servicedesk.worklogs.services import NewWorkLog, worklog_add

    with clock.frozen_at(at):
        return worklog_add(
            actor=actor,
            number=ticket.number,
            data=NewWorkLog(minutes=minutes, work_date=work_date, **extra),
        )
