"""Mass incidents: one parent, many children, one resolution that reaches every requester."""

from __future__ import annotations

from typing import Any

import pytest

from servicedesk.core.errors import Forbidden, ValidationFailed
from servicedesk.problems import services
from servicedesk.problems.models import MassIncidentChild
from servicedesk.problems.selectors import mass_parent_of
from servicedesk.tickets import services as tickets
from servicedesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def fresh(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def public_replies(ticket: Ticket) -> list[str]:
    return list(ticket.comments.filter(is_public=True).values_list("body", flat=True))


@pytest.fixture
def outage(world, manager, new_ticket) -> dict[str, Any]:
    """Processing is down for Мега: one parent and three reports from guests and outlets."""
    parent = new_ticket(actor=manager, subject="Процессинг Мега недоступен")
    children = [
        new_ticket(subject="Не начисляются баллы", requester_id=world["mega_guest"].pk),
        new_ticket(subject="Касса пишет: нет связи с процессингом", outlet="M-01"),
        new_ticket(subject="Баллы не списываются"),
    ]
    services.mass_incident_link(
        actor=manager, parent=parent.number, children=[c.display_number for c in children]
    )
    return {"parent": parent, "children": children}


def test_linking_records_events_on_the_parent_and_on_every_child(outage) -> None:
    parent, children = outage["parent"], outage["children"]
    parent_event = fresh(parent).events.get(type="mass_incident_linked")
    assert parent_event.data["children"] == [c.display_number for c in children]
    for child in children:
        event = fresh(child).events.get(type="mass_incident_linked")
        assert event.data == {"parent": parent.display_number, "role": "child"}
        assert mass_parent_of(child) == parent


def test_resolving_the_parent_resolves_each_child_with_one_public_reply(
    world, manager, outage
) -> None:
    parent, children = outage["parent"], outage["children"]
    tickets.ticket_transition(actor=manager, number=parent.number, status="resolved")
    for child in map(fresh, children):
        assert child.status_category == "resolved"
        assert child.resolved_at is not None
        replies = public_replies(child)
        assert len(replies) == 1
        assert parent.display_number in replies[0]
        types = list(child.events.values_list("type", flat=True))
        assert types.count("commented") == 1
        assert types.count("status_changed") == 1
        resolved = child.events.get(type="status_changed")
        assert resolved.actor == manager
        assert resolved.data["category"] == {"old": "new", "new": "resolved"}
        assert "массовым инцидентом" in resolved.data["reason"]
    assert public_replies(fresh(parent)) == []
    assert MassIncidentChild.objects.filter(resolved_with_parent_at__isnull=False).count() == 3


def test_each_child_keeps_its_own_sla_record(world, manager, outage) -> None:
    from servicedesk.sla.selectors import ticket_clocks

    tickets.ticket_transition(actor=manager, number=outage["parent"].number, status="resolved")
    for child in map(fresh, outage["children"]):
        resolution = next(c for c in ticket_clocks(child) if c.target == "resolution")
        assert resolution.stopped_at == child.resolved_at
        assert resolution.state == "met"


def test_the_service_managers_text_is_what_requesters_read(manager, outage) -> None:
    services.mass_incident_resolve(
        actor=manager,
        parent=outage["parent"].number,
        message="Процессинг восстановлен в 14:20, баллы начислены задним числом.",
    )
    for child in outage["children"]:
        assert public_replies(child) == [
            "Процессинг восстановлен в 14:20, баллы начислены задним числом."
        ]


def test_children_already_resolved_or_waiting_are_handled_on_their_own_terms(
    world, manager, outage
) -> None:
    done, waiting, _ = outage["children"]
    tickets.ticket_transition(actor=world["agent"], number=done.number, status="resolved")
    tickets.ticket_transition(
        actor=world["agent"], number=waiting.number, status="pending_requester"
    )
    tickets.ticket_transition(actor=manager, number=outage["parent"].number, status="resolved")
    assert public_replies(done) == []  # resolved before: not touched again
    assert fresh(waiting).status_category == "resolved"
    assert len(public_replies(waiting)) == 1


def test_resolution_through_the_api_and_the_admin_action_cascades_too(
    world, manager, outage, api_as, client
) -> None:
    parent = outage["parent"]
    response = api_as(manager).post(f"/tickets/{parent.number}/transitions", {"status": "resolved"})
    assert response.status_code == 200, response.content
    assert all(fresh(c).status_category == "resolved" for c in outage["children"])


def test_the_admin_resolve_action_cascades(world, manager, new_ticket, client) -> None:
    parent, child = new_ticket(), new_ticket()
    services.mass_incident_link(actor=manager, parent=parent.number, children=[child.number])
    client.force_login(world["head"])
    response = client.post(
        "/admin/tickets/ticket/",
        {"action": "resolve", "_selected_action": [parent.pk]},
    )
    assert response.status_code == 302
    assert fresh(child).status_category == "resolved"


def test_a_failing_child_leaves_parent_and_children_unresolved(
    manager, outage, monkeypatch
) -> None:
    from servicedesk.problems.services import mass

    calls = []

    def failing_comment(**kwargs: Any) -> None:
        calls.append(kwargs["number"])
        if len(calls) == 2:
            raise ValidationFailed("Почтовый шлюз недоступен")
        return original(**kwargs)

    original = mass.ticket_comment
    monkeypatch.setattr(mass, "ticket_comment", failing_comment)
    with pytest.raises(ValidationFailed):
        tickets.ticket_transition(actor=manager, number=outage["parent"].number, status="resolved")
    assert fresh(outage["parent"]).status_category == "new"
    for child in outage["children"]:
        assert fresh(child).status_category == "new"
        assert public_replies(child) == []


def test_a_child_reopened_after_the_parent_was_resolved_is_detached(world, manager, outage) -> None:
    guest_child = outage["children"][0]
    tickets.ticket_transition(actor=manager, number=outage["parent"].number, status="resolved")
    tickets.ticket_comment(
        actor=None,
        number=guest_child.number,
        body="У меня всё ещё не начисляются",
        system_label="Гость",
    )
    child = fresh(guest_child)
    assert child.status_category == "open"
    assert mass_parent_of(child) is None
    detached = child.events.get(type="mass_incident_unlinked")
    assert detached.data["parent"] == outage["parent"].display_number
    link = MassIncidentChild.objects.get(child=child)
    assert link.detached_at is not None and "повторно" in link.detach_reason
    # Reopening and re-resolving the parent does not close the detached child again.
    tickets.ticket_transition(actor=manager, number=outage["parent"].number, status="open")
    tickets.ticket_transition(actor=manager, number=outage["parent"].number, status="resolved")
    assert fresh(guest_child).status_category == "open"


def test_a_child_reopened_while_the_parent_is_open_stays_linked(world, manager, outage) -> None:
    child = outage["children"][1]
    tickets.ticket_transition(actor=world["agent"], number=child.number, status="resolved")
    tickets.ticket_transition(actor=world["agent"], number=child.number, status="open")
    assert mass_parent_of(fresh(child)) == outage["parent"]


def test_nested_mass_incidents_cascade_all_the_way_down(world, manager, new_ticket) -> None:
    top, middle, leaf = new_ticket(), new_ticket(), new_ticket()
    services.mass_incident_link(actor=manager, parent=middle.number, children=[leaf.number])
    services.mass_incident_link(actor=manager, parent=top.number, children=[middle.number])
    tickets.ticket_transition(actor=manager, number=top.number, status="resolved")
    assert fresh(middle).status_category == "resolved"
    assert fresh(leaf).status_category == "resolved"
    assert middle.display_number in public_replies(leaf)[0]


def test_self_links_cycles_and_second_parents_are_refused(world, manager, new_ticket) -> None:
    a, b, c = new_ticket(), new_ticket(), new_ticket()
    with pytest.raises(ValidationFailed, match="с самим собой"):
        services.mass_incident_link(actor=manager, parent=a.number, children=[a.number])
    services.mass_incident_link(actor=manager, parent=a.number, children=[b.number])
    services.mass_incident_link(actor=manager, parent=b.number, children=[c.number])
    with pytest.raises(ValidationFailed, match="цикл"):
        services.mass_incident_link(actor=manager, parent=c.number, children=[a.number])
    with pytest.raises(ValidationFailed, match="уже входит"):
        services.mass_incident_link(actor=manager, parent=c.number, children=[b.number])


def test_a_refused_batch_links_nothing(world, manager, new_ticket) -> None:
    parent, good, closed = new_ticket(), new_ticket(), new_ticket()
    tickets.ticket_transition(actor=world["agent"], number=closed.number, status="cancelled")
    with pytest.raises(ValidationFailed, match="не в работе"):
        services.mass_incident_link(
            actor=manager, parent=parent.number, children=[good.number, closed.number]
        )
    assert mass_parent_of(good) is None
    assert not fresh(good).events.filter(type="mass_incident_linked").exists()


def test_only_problem_managers_link_mass_incidents(world, new_ticket) -> None:
    with pytest.raises(Forbidden):
        services.mass_incident_link(
            actor=world["agent"], parent=new_ticket().number, children=[new_ticket().number]
        )


def test_unlinking_a_child_keeps_it_out_of_the_cascade(manager, outage) -> None:
    kept_out = outage["children"][2]
    services.mass_incident_unlink(
        actor=manager,
        parent=outage["parent"].number,
        child=kept_out.number,
        reason="Другая причина",
    )
    tickets.ticket_transition(actor=manager, number=outage["parent"].number, status="resolved")
    assert fresh(kept_out).status_category == "new"
    assert (
        fresh(kept_out).events.get(type="mass_incident_unlinked").data["reason"] == "Другая причина"
    )


def test_mass_incident_api(world, manager, new_ticket, api_as) -> None:
    api = api_as(manager)
    parent, one, two = new_ticket(), new_ticket(), new_ticket()
    linked = api.post(
        f"/mass-incidents/{parent.display_number}/children",
        {"children": [one.display_number, str(two.number)], "message": "Сбой устранён"},
    )
    assert linked.status_code == 200, linked.content
    body = linked.json()
    assert [c["number"] for c in body["children"]] == [one.display_number, two.display_number]
    assert body["effective_message"] == "Сбой устранён"
    cleared = api.put(f"/mass-incidents/{parent.number}/message", {"message": ""}).json()
    assert parent.display_number in cleared["effective_message"]
    unlinked = api.delete(
        f"/mass-incidents/{parent.number}/children/{two.number}?reason=Ошибся"
    ).json()
    assert [c["number"] for c in unlinked["detached"]] == [two.display_number]
    resolved = api.post(f"/mass-incidents/{parent.number}/resolve", {"message": "Готово"})
    assert resolved.status_code == 200, resolved.content
    assert resolved.json()["status"]["category"] == "resolved"
    assert public_replies(one) == ["Готово"]
    refused = api.post(f"/mass-incidents/{one.number}/children", {"children": [one.number]})
    assert refused.status_code == 422
    assert (
        api.post(f"/mass-incidents/{parent.number}/children", {"children": []}).status_code == 422
    )
    assert api.get(f"/mass-incidents/{one.number}").status_code == 404
