"""A request without a service: the classifier sets it when sure, or L1 picks from its top 3."""

from __future__ import annotations

from typing import Any

import pytest

from servicedesk.accounts.roles import Role
from servicedesk.classification.models import ClassifierSettings, ServiceLabel
from servicedesk.tickets import services
from servicedesk.tickets.selectors import ticket_timeline
from tests import factories

REPORT = (
    "Отчет по начислениям за октябрь",
    "Прошу подготовить отчет по начисленным и списанным баллам за октябрь по точкам.",
)
VAGUE = ("Вопрос", "Здравствуйте, перезвоните пожалуйста")


def create(world: dict[str, Any], subject: str, text: str, channel: str = "email") -> Any:
    return services.ticket_create(
        actor=None,
        data=services.NewTicket(
            subject=subject, description=text, client=world["mega"].code, channel=channel
        ),
    )


def test_a_clear_request_gets_its_service_set_automatically(world: dict[str, Any]) -> None:
    ticket = create(world, *REPORT)
    assert ticket.service.code == "report"
    assert ticket.sla_level.code == "SL_1"
    assert ticket.role_queue == Role.SQL_ENGINEER  # routed by its classified service
    event = ticket.events.get(type="service_classified")
    assert event.data["service"] == "report"
    assert event.data["probability"] >= event.data["threshold"]
    lines = [d for e in ticket_timeline(world["head"], ticket) for d in e.line.details]
    assert any("установлена автоматически" in line for line in lines)


def test_below_the_threshold_the_ticket_waits_for_l1_with_suggestions(
    world: dict[str, Any],
) -> None:
    ClassifierSettings.objects.update(auto_apply_threshold=0.99)
    ticket = create(world, *REPORT)
    assert ticket.service is None
    assert ticket.role_queue == Role.SD_MANAGER
    assert len(ticket.suggested_services) == 3
    assert ticket.suggested_services[0]["service"] == "report"
    assert ticket.events.filter(type="service_suggested").exists()


def test_a_corrected_suggestion_becomes_a_label_and_reroutes(world: dict[str, Any]) -> None:
    ClassifierSettings.objects.update(auto_apply_threshold=0.99)
    ticket = create(world, *REPORT)
    sd = factories.staff(Role.SD_MANAGER, username="sd1")
    services.ticket_set_service(actor=sd, number=ticket.number, service="segmentation")
    label = ServiceLabel.objects.get(ticket=ticket)
    assert (label.suggested, label.chosen, label.source) == ("report", "segmentation", "correction")
    ticket.refresh_from_db()
    assert ticket.role_queue == Role.SQL_ENGINEER


def test_changing_an_automatically_set_service_is_a_correction(world: dict[str, Any]) -> None:
    ticket = create(world, *REPORT)
    services.ticket_set_service(actor=world["agent"], number=ticket.number, service="promotion")
    label = ServiceLabel.objects.get(ticket=ticket)
    assert (label.suggested, label.chosen, label.source) == ("report", "promotion", "correction")


def test_a_ticket_created_with_a_service_is_not_classified(world: dict[str, Any]) -> None:
    ticket = services.ticket_create(
        actor=world["agent"],
        data=services.NewTicket(
            subject=REPORT[0], client=world["mega"].code, channel="phone", service="access"
        ),
    )
    assert ticket.suggested_services == []
    assert not ticket.events.filter(type__startswith="service_").exists()


def test_a_failing_classifier_never_loses_the_request(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(subject: str, text: str) -> None:
        raise RuntimeError("model file unreadable")

    monkeypatch.setattr("servicedesk.tickets.services.classify.classification_suggest", broken)
    ticket = create(world, *VAGUE)
    assert ticket.pk is not None and ticket.service is None
    assert ticket.role_queue == Role.SD_MANAGER


def test_the_ticket_page_offers_the_suggestions_and_one_click_sets_it(
    world: dict[str, Any], client: Any
) -> None:
    ClassifierSettings.objects.update(auto_apply_threshold=0.99)
    ticket = create(world, *REPORT)
    client.force_login(world["agent"])
    page = client.get(f"/tickets/{ticket.display_number}/").content.decode()
    assert "Классификатор предлагает услугу" in page
    assert "Отчет · " in page
    client.post(
        f"/tickets/{ticket.display_number}/service/",
        {"service": "report", "version": ticket.version},
    )
    ticket.refresh_from_db()
    assert ticket.service.code == "report"
    assert ServiceLabel.objects.get(ticket=ticket).source == "confirmed"
