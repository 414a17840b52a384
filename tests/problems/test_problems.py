"""Problems: who may create them, their life cycle, linking incidents, the workaround shown."""

from __future__ import annotations

import pytest

from servicedesk.core.errors import Forbidden, NotFound, TransitionNotAllowed, ValidationFailed
from servicedesk.problems import services
from servicedesk.problems.selectors import problem_for_ticket

pytestmark = pytest.mark.django_db


def test_a_new_problem_belongs_to_a_service_manager_by_default(world, manager) -> None:
    problem = services.problem_create(actor=world["head"], title="Процессинг Мега отвечает 504")
    assert problem.owner == manager
    assert problem.status == "open"
    assert problem.display_number == f"PRB-{problem.pk:05d}"


def test_an_engineer_cannot_create_or_change_problems(world, manager) -> None:
    with pytest.raises(Forbidden):
        services.problem_create(actor=world["agent"], title="Не моё дело")
    problem = services.problem_create(actor=manager, title="Сбой")
    with pytest.raises(Forbidden):
        services.problem_transition(actor=world["agent"], problem_id=problem.pk, status="resolved")


def test_known_error_needs_a_workaround_and_keeps_it(world, manager) -> None:
    problem = services.problem_create(actor=manager, title="Касса теряет связь")
    with pytest.raises(TransitionNotAllowed) as refused:
        services.problem_transition(actor=manager, problem_id=problem.pk, status="known_error")
    assert refused.value.extra["allowed"] == ["resolved"]
    services.problem_update(
        actor=manager,
        problem_id=problem.pk,
        patch=services.ProblemPatch(workaround="Перезапустить модуль лояльности на кассе"),
    )
    problem = services.problem_transition(
        actor=manager, problem_id=problem.pk, status="known_error"
    )
    assert problem.status == "known_error"
    with pytest.raises(ValidationFailed) as emptied:
        services.problem_update(
            actor=manager, problem_id=problem.pk, patch=services.ProblemPatch(workaround="  ")
        )
    assert emptied.value.field == "workaround"


def test_resolving_and_closing_stamp_the_times(world, manager) -> None:
    problem = services.problem_create(actor=manager, title="Сбой")
    problem = services.problem_transition(actor=manager, problem_id=problem.pk, status="resolved")
    assert problem.resolved_at is not None
    problem = services.problem_transition(actor=manager, problem_id=problem.pk, status="closed")
    assert problem.closed_at is not None
    with pytest.raises(TransitionNotAllowed):
        services.problem_transition(actor=manager, problem_id=problem.pk, status="open")


def test_linking_an_incident_records_it_in_the_ticket_history(world, manager, new_ticket) -> None:
    ticket = new_ticket()
    problem = services.problem_create(
        actor=manager, title="Процессинг не отвечает", workaround="Проводить покупку без карты"
    )
    version = ticket.version
    services.problem_link_ticket(actor=world["agent"], problem_id=problem.pk, number=ticket.number)
    ticket.refresh_from_db()
    assert ticket.version == version + 1
    event = ticket.events.get(type="problem_linked")
    assert event.actor == world["agent"]
    assert event.data["problem"] == problem.display_number
    assert problem_for_ticket(ticket) == problem


def test_linking_twice_is_a_no_op_and_another_problem_is_refused(
    world, manager, new_ticket
) -> None:
    ticket = new_ticket()
    first = services.problem_create(actor=manager, title="Первая")
    second = services.problem_create(actor=manager, title="Вторая")
    services.problem_link_ticket(actor=manager, problem_id=first.pk, number=ticket.number)
    services.problem_link_ticket(actor=manager, problem_id=first.pk, number=ticket.number)
    assert ticket.events.filter(type="problem_linked").count() == 1
    with pytest.raises(ValidationFailed) as refused:
        services.problem_link_ticket(actor=manager, problem_id=second.pk, number=ticket.number)
    assert first.display_number in refused.value.message


def test_unlinking_leaves_both_events_in_the_history(world, manager, new_ticket) -> None:
    ticket = new_ticket()
    problem = services.problem_create(actor=manager, title="Сбой")
    services.problem_link_ticket(actor=manager, problem_id=problem.pk, number=ticket.number)
    services.problem_unlink_ticket(actor=manager, problem_id=problem.pk, number=ticket.number)
    assert problem_for_ticket(ticket) is None
    assert list(ticket.events.values_list("type", flat=True))[-2:] == [
        "problem_linked",
        "problem_unlinked",
    ]
    with pytest.raises(NotFound):
        services.problem_unlink_ticket(actor=manager, problem_id=problem.pk, number=ticket.number)


def test_a_closed_problem_takes_no_new_incidents(world, manager, new_ticket) -> None:
    problem = services.problem_create(actor=manager, title="Сбой")
    services.problem_transition(actor=manager, problem_id=problem.pk, status="resolved")
    services.problem_transition(actor=manager, problem_id=problem.pk, status="closed")
    with pytest.raises(ValidationFailed):
        services.problem_link_ticket(
            actor=manager, problem_id=problem.pk, number=new_ticket().number
        )


def test_handlers_see_the_workaround_of_the_ticket_problem_in_the_api(
    world, manager, new_ticket, api_as
) -> None:
    ticket = new_ticket()
    api = api_as(world["agent"])
    assert api.get(f"/tickets/{ticket.number}/problem").json() == {"problem": None}
    problem = services.problem_create(
        actor=manager, title="Касса теряет связь", workaround="Перезапустить модуль лояльности"
    )
    services.problem_link_ticket(actor=manager, problem_id=problem.pk, number=ticket.number)
    body = api.get(f"/tickets/{ticket.display_number}/problem").json()
    assert body["problem"]["number"] == problem.display_number
    assert body["problem"]["workaround"] == "Перезапустить модуль лояльности"
    assert body["problem"]["incident_count"] == 1


def test_client_users_do_not_see_problems(world, manager, new_ticket, api_as) -> None:
    ticket = new_ticket()
    response = api_as(world["mega_user"]).get(f"/tickets/{ticket.number}/problem")
    assert response.status_code == 403
    assert api_as(world["mega_user"]).get("/problems").status_code == 403


def test_problem_api_creates_links_moves_and_lists(world, manager, new_ticket, api_as) -> None:
    api = api_as(manager)
    ticket = new_ticket()
    created = api.post("/problems", {"title": "Сбой эмиссии", "cause": "Неверный диапазон"})
    assert created.status_code == 201, created.content
    problem_id = created.json()["id"]
    assert created.json()["owner"]["username"] == "manager"
    linked = api.post(f"/problems/{problem_id}/tickets", {"ticket": ticket.display_number})
    assert linked.status_code == 200, linked.content
    assert [i["number"] for i in linked.json()["incidents"]] == [ticket.display_number]
    refused = api.post(f"/problems/{problem_id}/transitions", {"status": "known_error"})
    assert refused.status_code == 422
    assert refused.json()["code"] == "transition_not_allowed"
    patched = api.patch(f"/problems/{problem_id}", {"workaround": "Выдать карту вручную"})
    assert patched.json()["allowed_statuses"] == ["known_error", "resolved"]
    moved = api.post(f"/problems/{problem_id}/transitions", {"status": "known_error"})
    assert moved.json()["status"] == {"code": "known_error", "label": "Известная ошибка"}
    listing = api.get("/problems?status=known_error").json()
    assert listing["count"] == 1 and listing["results"][0]["incident_count"] == 1
    assert api.get("/problems?status=open").json()["count"] == 0
    unlinked = api.delete(f"/problems/{problem_id}/tickets/{ticket.number}")
    assert unlinked.json()["incidents"] == []


def test_problem_api_refuses_bad_input(world, manager, api_as) -> None:
    api = api_as(manager)
    assert api.post("/problems", {"title": ""}).status_code == 422
    assert api.post("/problems", {"title": "x", "severity": "high"}).status_code == 422
    response = api.post("/problems", {"title": "x", "owner": "nobody"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "owner"]
    assert api.get("/problems/999999").status_code == 404
