"""The workspace's queues and counts (selectors)."""

from __future__ import annotations

import pytest

from servicedesk.accounts.roles import Role
from servicedesk.classification.models import ClassifierSettings
from servicedesk.routing.models import RoutingRule
from servicedesk.tickets import services
from servicedesk.tickets.selectors import (
    Queue,
    TicketFilters,
    open_counts_by_service,
    open_counts_by_status,
    open_tickets_of,
    queue_counts,
    queue_tickets,
)
from tests import factories
from tests.web.helpers import make_ticket

pytestmark = pytest.mark.django_db
NONE = TicketFilters()


def numbers(queryset) -> list[int]:
    return [t.number for t in queryset]


def test_mine_holds_only_my_active_tickets(world) -> None:
    mine = make_ticket(world, assignee="agent")
    make_ticket(world)
    done = make_ticket(world, assignee="agent")
    services.ticket_transition(actor=world["agent"], number=done.number, status="resolved")
    assert numbers(queue_tickets(world["agent"], Queue.MINE, NONE)) == [mine.number]


def test_a_person_with_several_roles_sees_every_role_queue(world) -> None:
    both = factories.staff(Role.SQL_ENGINEER, Role.SYSADMIN, username="both")
    sql = make_ticket(world, role_queue="sql_engineer")
    sysadmin = make_ticket(world, role_queue="sysadmin")
    make_ticket(world, role_queue="service_manager")
    taken = make_ticket(world, role_queue="sysadmin", assignee="agent")
    found = numbers(queue_tickets(both, Queue.UNASSIGNED, NONE))
    assert sorted(found) == sorted([sql.number, sysadmin.number])
    assert taken.number not in found
    one_role = queue_tickets(both, Queue.UNASSIGNED, TicketFilters(role_queue="sysadmin"))
    assert numbers(one_role) == [sysadmin.number]


def test_tickets_without_a_queue_go_to_first_line_triage(world) -> None:
    RoutingRule.objects.all().delete()  # no rule places the request in a role's queue
    sd = factories.staff(Role.SD_MANAGER, username="sd")
    untriaged = make_ticket(world)
    assert numbers(queue_tickets(sd, Queue.UNASSIGNED, NONE)) == [untriaged.number]
    assert numbers(queue_tickets(world["agent"], Queue.UNASSIGNED, NONE)) == []


def test_waiting_queues_follow_the_status_category(world) -> None:
    waiting = make_ticket(world)
    services.ticket_transition(
        actor=world["agent"], number=waiting.number, status="pending_requester"
    )
    dev = make_ticket(world)
    services.ticket_transition(
        actor=world["agent"], number=dev.number, status="pending_development"
    )
    agent = world["agent"]
    assert numbers(queue_tickets(agent, Queue.PENDING_REQUESTER, NONE)) == [waiting.number]
    assert numbers(queue_tickets(agent, Queue.PENDING_DEVELOPMENT, NONE)) == [dev.number]


def test_a_fresh_ticket_is_neither_at_risk_nor_breached(world) -> None:
    make_ticket(world)
    assert numbers(queue_tickets(world["agent"], Queue.AT_RISK, NONE)) == []
    assert numbers(queue_tickets(world["agent"], Queue.BREACHED, NONE)) == []


def test_filters_and_orderings_apply_inside_a_queue(world) -> None:
    first = make_ticket(world, subject="Касса не работает")
    second = make_ticket(world, subject="Отчёт по акциям", service="report")
    agent = world["agent"]
    assert numbers(queue_tickets(agent, Queue.ALL, TicketFilters(service=("report",)))) == [
        second.number
    ]
    assert numbers(queue_tickets(agent, Queue.ALL, TicketFilters(text="касса"))) == [first.number]
    assert numbers(queue_tickets(agent, Queue.ALL, NONE, "number")) == [first.number, second.number]
    assert numbers(queue_tickets(agent, Queue.ALL, NONE)) == [second.number, first.number]


def test_client_users_never_reach_other_clients_through_queues(world) -> None:
    make_ticket(world)
    theirs = make_ticket(world, client=world["apteka"].code)
    assert numbers(queue_tickets(world["apteka_user"], Queue.ALL, NONE)) == [theirs.number]


def test_counts_match_the_queues(world) -> None:
    make_ticket(world, assignee="agent")
    make_ticket(world, role_queue="sql_engineer")
    waiting = make_ticket(world)
    services.ticket_transition(
        actor=world["agent"], number=waiting.number, status="pending_requester"
    )
    counts = queue_counts(world["agent"])
    assert counts == {
        "mine": 1,
        "unassigned": 1,
        "pending_requester": 1,
        "pending_development": 0,
        "at_risk": 0,
        "breached": 0,
    }


def test_dashboard_counts_by_status_and_service(world) -> None:
    make_ticket(world)
    make_ticket(world, service="report")
    ClassifierSettings.objects.update(enabled=False)  # the service stays unknown
    make_ticket(world, service=None)
    done = make_ticket(world)
    services.ticket_transition(actor=world["agent"], number=done.number, status="resolved")
    by_status = open_counts_by_status(world["agent"])
    assert [(row.code, row.count) for row in by_status] == [("new", 3)]
    by_service = {row.name: row.count for row in open_counts_by_service(world["agent"])}
    assert by_service == {"Инцидент": 1, "Отчет": 1, "Услуга не указана": 1}


def test_open_tickets_of_callers_in_one_query(world, django_assert_num_queries) -> None:
    guest, outlet = world["mega_guest"], world["mega_outlet"]
    by_guest = make_ticket(world, requester_id=guest.pk)
    by_outlet = make_ticket(world, outlet=outlet.code)
    closed = make_ticket(world, requester_id=guest.pk)
    services.ticket_transition(actor=world["agent"], number=closed.number, status="cancelled")
    with django_assert_num_queries(1):
        contacts, outlets = open_tickets_of(contact_ids=[guest.pk], outlet_ids=[outlet.pk])
    assert [t.number for t in contacts[guest.pk]] == [by_guest.number]
    assert [t.number for t in outlets[outlet.pk]] == [by_outlet.number]
