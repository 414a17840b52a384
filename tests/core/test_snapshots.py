"""Configuration kept per process: edits here count at once, other processes' within seconds."""

from __future__ import annotations

from typing import Any

import pytest

from servicedesk.core import snapshots
from servicedesk.tickets.models import TicketStatus
from servicedesk.tickets.services import NewTicket, ticket_create


def new_ticket_status(world: dict[str, Any]) -> str:
    ticket = ticket_create(
        actor=world["agent"],
        data=NewTicket(subject="Не печатает чек", client=world["mega"].code, channel="phone"),
    )
    return ticket.status.code


@pytest.mark.django_db
def test_a_new_default_status_saved_here_counts_for_the_next_ticket_at_once(
    world: dict[str, Any],
) -> None:
    assert new_ticket_status(world) == "new"
    TicketStatus.objects.filter(code="new").update(is_default=False)
    TicketStatus.objects.create(code="registered", name="Зарегистрировано", category="new", order=0)
    # the update above sent no signal, but the create did: the status table is re-read
    assert new_ticket_status(world) == "registered"


@pytest.mark.django_db
def test_another_processs_edit_is_seen_once_the_copy_is_a_few_seconds_old(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert new_ticket_status(world) == "new"
    # bulk_create sends no signal: it stands in for an edit made by another process
    TicketStatus.objects.filter(code="new").update(is_default=False)
    TicketStatus.objects.bulk_create(
        [TicketStatus(code="registered", name="Зарегистрировано", category="new", is_default=True)]
    )
    assert new_ticket_status(world) == "new"
    later = snapshots.time.monotonic() + snapshots.SNAPSHOT_SECONDS + 0.1
    monkeypatch.setattr(snapshots.time, "monotonic", lambda: later)
    assert new_ticket_status(world) == "registered"


@pytest.mark.django_db
def test_deleting_the_sla_settings_is_noticed_at_once(world: dict[str, Any]) -> None:
    from servicedesk.core.errors import ValidationFailed
    from servicedesk.sla.models import SlaSettings
    from servicedesk.sla.selectors import sla_settings

    assert sla_settings().default_calendar is not None
    SlaSettings.objects.get().delete()
    with pytest.raises(ValidationFailed, match="SLA не настроено"):
        sla_settings()


def test_a_load_that_overlaps_an_edit_is_not_kept() -> None:
    loads: list[int] = []

    def load() -> int:
        loads.append(len(loads))
        if len(loads) == 1:
            kept.forget()  # another thread saved the row while this one was reading it
        return len(loads)

    kept = snapshots.Snapshot(load)
    assert kept() == 1  # the caller gets what it read…
    assert kept() == 2  # …but the next call reads again
    assert kept() == 2  # and that one is kept
