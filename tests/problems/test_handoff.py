"""Hand-off to development: pending-development, tracker key, state, return, reminders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from servicedesk.core import clock
from servicedesk.core.errors import Forbidden, NotFound, ValidationFailed
from servicedesk.problems import services
from servicedesk.problems.models import DevelopmentHandoff
from servicedesk.tickets import services as tickets
from servicedesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # 09:00 in Moscow


def hand_off(manager, ticket, key: str = "DEV-481") -> DevelopmentHandoff:
    return services.ticket_handoff_to_development(
        actor=manager,
        number=ticket.number,
        tracker_key=key,
        tracker_url=f"https://tracker.plastek.test/browse/{key}",
        state_note="Воспроизведено, в бэклоге",
    )


def test_handing_off_moves_the_ticket_to_pending_development_with_events(
    manager, new_ticket
) -> None:
    ticket = new_ticket()
    handoff = hand_off(manager, ticket)
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.status_category == "pending_development"
    status_event = ticket.events.get(type="status_changed")
    assert status_event.data["reason"] == "Передано в разработку: DEV-481"
    event = ticket.events.get(type="handed_to_development")
    assert event.data == {
        "tracker_key": "DEV-481",
        "tracker_url": "https://tracker.plastek.test/browse/DEV-481",
        "state": "Воспроизведено, в бэклоге",
    }
    assert handoff.is_active


def test_only_service_managers_and_the_head_hand_off(world, new_ticket) -> None:
    with pytest.raises(Forbidden):
        hand_off(world["agent"], new_ticket())
    hand_off(world["head"], new_ticket())


def test_one_active_hand_off_per_ticket_and_bad_links_refused(manager, new_ticket) -> None:
    ticket = new_ticket()
    with pytest.raises(ValidationFailed) as bad:
        services.ticket_handoff_to_development(
            actor=manager,
            number=ticket.number,
            tracker_key="DEV-1",
            tracker_url="javascript:alert(1)",
        )
    assert bad.value.field == "tracker_url"
    hand_off(manager, ticket)
    with pytest.raises(ValidationFailed, match="уже передано"):
        hand_off(manager, ticket, key="DEV-2")


def test_state_updates_and_return_keep_the_history(manager, new_ticket) -> None:
    ticket = new_ticket()
    hand_off(manager, ticket)
    services.handoff_update_state(
        actor=manager, number=ticket.number, state_note="Исправлено в 2.14"
    )
    services.handoff_return(actor=manager, number=ticket.number, note="Выкатили 2.14")
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.status_category == "open"
    types = list(ticket.events.values_list("type", flat=True))
    assert types[-4:] == [
        "handed_to_development",
        "development_state_updated",
        "returned_from_development",
        "status_changed",
    ]
    with pytest.raises(NotFound):
        services.handoff_update_state(actor=manager, number=ticket.number, state_note="?")
    hand_off(manager, ticket, key="DEV-900")  # a second hand-off after the first came back
    assert DevelopmentHandoff.objects.filter(ticket=ticket).count() == 2


def test_resolving_a_ticket_in_development_ends_its_hand_off(world, manager, new_ticket) -> None:
    ticket = new_ticket()
    handoff = hand_off(manager, ticket)
    tickets.ticket_transition(actor=world["agent"], number=ticket.number, status="resolved")
    handoff.refresh_from_db()
    assert handoff.returned_at is not None
    assert "Решено" in handoff.return_note
    assert (
        Ticket.objects.get(pk=ticket.pk).events.filter(type="returned_from_development").count()
        == 1
    )


def reminders() -> list[tuple[str, str]]:
    from servicedesk.sla.models import Notification

    return list(
        Notification.objects.filter(kind="development_reminder")
        .order_by("pk")
        .values_list("user__username", "title")
    )


def test_reminder_goes_once_a_day_after_the_configured_time_for_old_hand_offs(
    world, manager, new_ticket, settings, django_capture_on_commit_callbacks
) -> None:
    settings.PROBLEMS_HANDOFF_REMIND_AFTER_DAYS = 5
    with clock.frozen_at(MONDAY - timedelta(days=6)):
        old = new_ticket(subject="Не выгружается отчёт")
        hand_off(manager, old, key="DEV-OLD")
    with clock.frozen_at(MONDAY - timedelta(days=2)):
        hand_off(manager, new_ticket(), key="DEV-NEW")

    assert services.handoff_send_reminders(now=MONDAY) == 0  # 09:00 Moscow: before 09:30
    at_0930 = MONDAY + timedelta(minutes=30)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.handoff_send_reminders(now=at_0930) == 1
    assert services.handoff_send_reminders(now=at_0930 + timedelta(hours=3)) == 0
    assert reminders() == [("manager", f"{old.display_number} в разработке 6 дн.: DEV-OLD")]
    [message] = mail.outbox  # the notification's e-mail copy
    assert message.to == ["manager@plastek.test"]
    assert "DEV-OLD" in message.subject and "DEV-NEW" not in message.body
    assert services.handoff_send_reminders(now=at_0930 + timedelta(days=1)) == 1
    assert len(reminders()) == 2


def test_the_periodic_task_is_idempotent(world, manager, new_ticket) -> None:
    from servicedesk.problems.tasks import remind_about_development_handoffs

    with clock.frozen_at(MONDAY - timedelta(days=10)):
        hand_off(manager, new_ticket())
    with clock.frozen_at(MONDAY + timedelta(hours=1)):
        remind_about_development_handoffs.call_local()
        remind_about_development_handoffs.call_local()
    assert len(reminders()) == 1


def test_a_failed_delivery_does_not_use_up_the_days_reminder(
    world, manager, new_ticket, monkeypatch
) -> None:
    from servicedesk.problems.services import handoff as module

    with clock.frozen_at(MONDAY - timedelta(days=10)):
        hand_off(manager, new_ticket())

    def broken(*args: object, **kwargs: object) -> None:
        raise ConnectionError("уведомления недоступны")

    monkeypatch.setattr(module, "deliver_reminder", broken)
    with pytest.raises(ConnectionError):
        services.handoff_send_reminders(now=MONDAY + timedelta(hours=1))
    monkeypatch.undo()
    assert services.handoff_send_reminders(now=MONDAY + timedelta(hours=2)) == 1
    assert len(reminders()) == 1


def test_hand_off_api(world, manager, new_ticket, api_as) -> None:
    api = api_as(manager)
    ticket = new_ticket()
    created = api.post(
        f"/tickets/{ticket.number}/development",
        {"tracker_key": "DEV-7", "tracker_url": "https://tracker.test/DEV-7"},
    )
    assert created.status_code == 201, created.content
    assert created.json()["active"]["tracker_key"] == "DEV-7"
    updated = api.patch(f"/tickets/{ticket.number}/development", {"state_note": "В ревью"})
    assert updated.json()["active"]["state_note"] == "В ревью"
    assert [h["ticket"] for h in api.get("/development/handoffs").json()] == [ticket.display_number]
    returned = api.post(
        f"/tickets/{ticket.number}/development/return", {"note": "Готово", "status": "resolved"}
    )
    assert returned.json()["active"] is None
    assert returned.json()["history"][0]["return_note"] == "Готово"
    assert api.get(f"/tickets/{ticket.number}").json()["status"]["category"] == "resolved"
    assert (
        api_as(world["agent"])
        .post(f"/tickets/{new_ticket().number}/development", {"tracker_key": "X-1"})
        .status_code
        == 403
    )
    assert api.post(f"/tickets/{ticket.number}/development", {"tracker_key": ""}).status_code == 422
