"""Reply templates: placeholders from the ticket, and reply + status + service in one change."""

from __future__ import annotations

import sys
import types
from datetime import UTC, datetime
from typing import Any

import pytest

from servicedesk.accounts.roles import Role
from servicedesk.core.errors import NotFound, StaleVersion, TransitionNotAllowed, ValidationFailed
from servicedesk.knowledge.models import Macro
from servicedesk.knowledge.selectors import visible_macros
from servicedesk.knowledge.services import (
    macro_apply,
    macro_preview,
    macro_validate,
    ticket_due_times,
)
from servicedesk.tickets import services as tickets
from servicedesk.tickets.models import Ticket
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(kb) -> Ticket:
    guest = kb["mega_guest"]
    guest.full_name = "Анна Петрова"
    guest.save()
    return tickets.ticket_create(
        actor=kb["agent"],
        data=tickets.NewTicket(
            subject="Не начислились баллы",
            client=kb["mega"].code,
            channel="phone",
            service="incident",
            requester_id=guest.pk,
        ),
    )


def macro(**fields: Any) -> Macro:
    return Macro.objects.create(**({"name": "Шаблон", "body": "Ответ"} | fields))


def test_placeholders_are_filled_from_the_ticket_and_the_agent(kb, ticket) -> None:
    m = macro(
        body="Здравствуйте, {{ requester_name }}! {{ ticket_number }} ({{ client }}, "
        "{{ service }}). {{ agent_name }}"
    )
    text = macro_preview(actor=kb["agent"], ticket_number=ticket.number, macro_id=m.pk)
    assert text == (
        f"Здравствуйте, Анна Петрова! {ticket.display_number} ({kb['mega'].name}, Инцидент). "
        f"{kb['agent']}"
    )


def test_due_times_say_not_set_until_the_sla_capability_provides_them(
    kb, ticket, monkeypatch
) -> None:
    m = macro(body="Реакция: {{ reaction_due }}; решение: {{ resolution_due }}")
    monkeypatch.setitem(sys.modules, "servicedesk.sla.selectors", None)  # not installed
    assert ticket_due_times(ticket) == (None, None)
    assert macro_preview(actor=kb["agent"], ticket_number=ticket.number, macro_id=m.pk) == (
        "Реакция: не определён; решение: не определён"
    )


def test_due_times_come_from_the_sla_selector_when_it_exists(kb, ticket, monkeypatch) -> None:
    fake = types.ModuleType("servicedesk.sla.selectors")
    due = (datetime(2026, 3, 2, 9, 0, tzinfo=UTC), datetime(2026, 3, 3, 15, 30, tzinfo=UTC))
    fake.ticket_due_times = lambda t: due  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "servicedesk.sla.selectors", fake)
    m = macro(body="{{ reaction_due }} / {{ resolution_due }}")
    text = macro_preview(actor=kb["agent"], ticket_number=ticket.number, macro_id=m.pk)
    assert text == "2 марта 2026, 12:00 / 3 марта 2026, 18:30"  # Moscow time


def test_a_requester_name_that_looks_like_code_is_inserted_literally(kb, ticket) -> None:
    guest = kb["mega_guest"]
    guest.full_name = "{{ ticket_number }} <script>alert(1)</script>"
    guest.save()
    m = macro(body="Здравствуйте, {{ requester_name }}! {{ unknown }} {% now 'Y' %}")
    result = macro_apply(actor=kb["agent"], ticket_number=ticket.number, macro_id=m.pk)
    assert result.comment.body == (
        "Здравствуйте, {{ ticket_number }} <script>alert(1)</script>! {{ unknown }} {% now 'Y' %}"
    )


def test_apply_posts_the_reply_sets_service_and_status_in_one_version(kb, ticket) -> None:
    m = macro(
        name="Консультация дана",
        body="{{ requester_name }}, ответ дан.",
        set_status="resolved",
        set_service=factories_service("consultation"),
    )
    result = macro_apply(
        actor=kb["agent"],
        ticket_number=ticket.number,
        macro_id=m.pk,
        expected_version=ticket.version,
    )
    after = Ticket.objects.get(pk=ticket.pk)
    assert after.version == ticket.version + 1
    assert after.status_category == "resolved"
    assert after.service.code == "consultation"
    assert after.first_reaction_at is not None
    assert result.comment.body == "Анна Петрова, ответ дан."
    assert result.comment.is_public
    new_events = list(
        after.events.exclude(type__in=["created", "routed"]).values_list("type", flat=True)
    )
    assert new_events == [
        "commented",
        "first_reaction",
        "service_changed",
        "status_changed",
        "macro_applied",
    ]
    status_event = after.events.get(type="status_changed")
    assert status_event.data["reason"] == "Шаблон «Консультация дана»"


def factories_service(code: str):
    from servicedesk.catalog.models import Service

    return Service.objects.get(code=code)


def test_an_internal_macro_posts_a_note(kb, ticket) -> None:
    m = macro(body="Проверить в Студии", is_public=False)
    result = macro_apply(actor=kb["agent"], ticket_number=ticket.number, macro_id=m.pk)
    assert not result.comment.is_public
    assert Ticket.objects.get(pk=ticket.pk).first_reaction_at is None


def test_a_stale_version_leaves_the_ticket_untouched(kb, ticket) -> None:
    m = macro(set_status="resolved")
    with pytest.raises(StaleVersion):
        macro_apply(
            actor=kb["agent"],
            ticket_number=ticket.number,
            macro_id=m.pk,
            expected_version=ticket.version - 1,
        )
    after = Ticket.objects.get(pk=ticket.pk)
    assert after.version == ticket.version
    assert after.comments.count() == 0


def test_a_forbidden_transition_rolls_back_the_reply_too(kb, ticket) -> None:
    tickets.ticket_transition(actor=kb["agent"], number=ticket.number, status="resolved")
    m = macro(set_status="pending_requester")
    with pytest.raises(TransitionNotAllowed):
        macro_apply(actor=kb["agent"], ticket_number=ticket.number, macro_id=m.pk)
    assert Ticket.objects.get(pk=ticket.pk).comments.count() == 0


def test_macros_are_offered_by_role_personal_or_to_everyone(kb) -> None:
    sd = factories.staff(Role.SD_MANAGER, username="sd-manager")
    macro(name="Для всех")
    macro(name="Для менеджеров SD", role=Role.SD_MANAGER)
    macro(name="Личный sd", owner=sd)
    macro(name="Личный агента", owner=kb["agent"])
    macro(name="Отключён", is_active=False)
    assert [m.name for m in visible_macros(sd)] == ["Для всех", "Для менеджеров SD", "Личный sd"]
    assert [m.name for m in visible_macros(kb["agent"])] == ["Для всех", "Личный агента"]
    assert list(visible_macros(kb["mega_user"])) == []


def test_someone_elses_personal_macro_cannot_be_applied(kb, ticket) -> None:
    other = factories.staff(Role.SD_MANAGER, username="other")
    m = macro(owner=other)
    with pytest.raises(NotFound):
        macro_apply(actor=kb["agent"], ticket_number=ticket.number, macro_id=m.pk)


def test_validation_refuses_unknown_placeholders_and_statuses(kb) -> None:
    with pytest.raises(ValidationFailed, match="Неизвестные подстановки: name"):
        macro_validate(body="Здравствуйте, {{ name }}")
    with pytest.raises(ValidationFailed, match="Неизвестный статус"):
        macro_validate(body="Ок", set_status="done")
    macro_validate(body="{{ requester_name }}", set_status="pending_requester")


def test_the_api_lists_and_applies_macros(api_as, kb, ticket) -> None:
    m = macro(
        name="Запросить чек",
        body="Пришлите чек, {{ requester_name }}.",
        set_status="pending_requester",
    )
    api = api_as(kb["agent"])
    assert [row["name"] for row in api.get("/macros").json()] == ["Запросить чек"]
    answer = api.post(
        f"/tickets/{ticket.display_number}/macros/{m.pk}/apply", {"version": ticket.version}
    )
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["comment"]["body"] == "Пришлите чек, Анна Петрова."
    assert body["ticket"]["status"]["code"] == "pending_requester"
    assert body["ticket"]["version"] == ticket.version + 1


def test_the_api_answers_409_for_a_stale_version_and_422_for_unknown_fields(
    api_as, kb, ticket
) -> None:
    m = macro()
    api = api_as(kb["agent"])
    stale = api.post(f"/tickets/{ticket.number}/macros/{m.pk}/apply", {"version": 0})
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    bad = api.post(f"/tickets/{ticket.number}/macros/{m.pk}/apply", {"status": "resolved"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["msg"] == "Неизвестное поле"


def test_a_client_user_cannot_apply_macros(api_as, kb, ticket) -> None:
    m = macro()
    answer = api_as(kb["mega_user"]).post(f"/tickets/{ticket.number}/macros/{m.pk}/apply", {})
    assert answer.status_code == 404


def test_with_the_sla_capability_installed_due_times_are_real_dates(kb, ticket) -> None:
    reaction, resolution = ticket_due_times(ticket)
    assert reaction is not None
    assert resolution is not None
    assert resolution > reaction
    m = macro(body="{{ reaction_due }}")
    text = macro_preview(actor=kb["agent"], ticket_number=ticket.number, macro_id=m.pk)
    assert text != "не определён"
    assert str(reaction.astimezone().year) in text
