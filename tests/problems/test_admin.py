"""Problems in the admin go through the services (owner, links, refusals shown)."""

from __future__ import annotations

import pytest

from servicedesk.problems.models import Problem
from servicedesk.problems.selectors import problem_for_ticket

pytestmark = pytest.mark.django_db

INLINE = {"links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0"}  # the read-only links inline


def test_a_service_manager_creates_a_problem_and_links_tickets_in_the_admin(
    world, manager, new_ticket, client
) -> None:
    ticket = new_ticket()
    client.force_login(manager)
    response = client.post(
        "/admin/problems/problem/add/",
        {
            "title": "Касса теряет связь с процессингом",
            "description": "",
            "cause": "",
            "workaround": "Перезапустить модуль",
            "owner": "",
            "link_tickets": ticket.display_number,
        }
        | INLINE,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    problem = Problem.objects.get()
    assert problem.owner == manager
    assert problem_for_ticket(ticket) == problem
    assert ticket.events.filter(type="problem_linked").exists()
    page = client.get(f"/admin/problems/problem/{problem.pk}/change/")
    assert page.status_code == 200
    assert ticket.display_number in page.content.decode()


def test_a_refused_status_change_in_the_admin_is_shown_and_not_saved(
    world, manager, client
) -> None:
    problem = Problem.objects.create(
        title="Сбой", owner=manager, created_at="2026-03-02T09:00Z", updated_at="2026-03-02T09:00Z"
    )
    client.force_login(manager)
    response = client.post(
        f"/admin/problems/problem/{problem.pk}/change/",
        {
            "title": "Сбой",
            "description": "",
            "cause": "",
            "workaround": "",
            "owner": manager.pk,
            "status": "known_error",
        }
        | INLINE,
        follow=True,
    )
    assert "обходного решения" in response.content.decode()
    problem.refresh_from_db()
    assert problem.status == "open"


def test_the_mass_incident_admin_sets_the_message_and_adds_children(
    world, manager, new_ticket, client
) -> None:
    from servicedesk.problems import services
    from servicedesk.problems.models import MassIncident

    parent, first, second = new_ticket(), new_ticket(), new_ticket()
    services.mass_incident_link(actor=manager, parent=parent.number, children=[first.number])
    mass = MassIncident.objects.get()
    client.force_login(manager)
    response = client.post(
        f"/admin/problems/massincident/{mass.pk}/change/",
        {
            "message": "Сбой устранён",
            "add_children": second.display_number,
            "links-TOTAL_FORMS": "1",
            "links-INITIAL_FORMS": "1",
            "links-0-id": mass.links.get().pk,
            "links-0-mass_incident": mass.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    mass.refresh_from_db()
    assert mass.message == "Сбой устранён"
    assert sorted(mass.links.values_list("child__number", flat=True)) == [
        first.number,
        second.number,
    ]
