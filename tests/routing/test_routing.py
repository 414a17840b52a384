"""Routing new tickets: rules, queues, the least-loaded person on shift, the trace."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from servicedesk.accounts.roles import Role
from servicedesk.classification.models import ClassifierSettings
from servicedesk.core import clock
from servicedesk.routing.models import Absence, AwaitingShift, RoutingRule, Shift, WorkSchedule
from servicedesk.routing.selectors import people_on_shift
from servicedesk.routing.services import routing_assign_waiting
from servicedesk.tickets import services
from servicedesk.tickets.selectors import ticket_timeline
from tests import factories

MONDAY_10_MSK = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
MONDAY_NIGHT = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)  # 23:00 in Moscow
TUESDAY_0905_MSK = datetime(2026, 3, 3, 6, 5, tzinfo=UTC)
SATURDAY_NOON_MSK = datetime(2026, 3, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def auto_assign(settings: Any) -> None:
    settings.ROUTING_AUTO_ASSIGN = True


@pytest.fixture
def team(world: dict[str, Any], auto_assign: None) -> dict[str, Any]:
    """The world's SQL engineer `agent` plus a second one and a sysadmin."""
    return world | {
        "sql2": factories.staff(Role.SQL_ENGINEER, username="sql2"),
        "admin1": factories.staff(Role.SYSADMIN, username="admin1"),
        "sd": factories.staff(Role.SD_MANAGER, username="sd1"),
    }


def create(world: dict[str, Any], at: datetime = MONDAY_10_MSK, **fields: Any) -> Any:
    data = {"subject": "Нужен отчёт", "client": world["mega"].code, "channel": "email"} | fields
    with clock.frozen_at(at):
        return services.ticket_create(actor=None, data=services.NewTicket(**data))


def routed(ticket: Any) -> dict[str, Any]:
    return ticket.events.get(type="routed").data


def test_default_rules_put_each_service_in_its_role_queue(world: dict[str, Any]) -> None:
    assert create(world, service="report").role_queue == Role.SQL_ENGINEER
    assert create(world, service="channel").role_queue == Role.SYSADMIN
    assert create(world, service="incident").role_queue == Role.SERVICE_MANAGER
    assert create(world, service="mailing").role_queue == Role.SD_MANAGER
    ClassifierSettings.objects.update(enabled=False)
    unclassified = create(world)
    assert unclassified.role_queue == Role.SD_MANAGER
    assert routed(unclassified)["rules"][0]["name"].startswith("Без услуги")


def test_least_loaded_person_on_shift_gets_the_ticket(team: dict[str, Any]) -> None:
    first = create(team, service="report")
    assert first.assignee.username in {"agent", "sql2"}
    second = create(team, service="report")
    assert {first.assignee.username, second.assignee.username} == {"agent", "sql2"}
    why = routed(second)
    assert why["how"] == "least_loaded" and why["on_shift"] == 2


def test_urgent_tickets_weigh_more_than_routine_ones(team: dict[str, Any]) -> None:
    # agent carries one critical ticket (SL_1, weight 3), sql2 two low ones (SL_3, 1 each).
    def give(person: str, service: str) -> None:
        new = services.NewTicket(
            subject="Задача",
            client=team["mega"].code,
            channel="phone",
            service=service,
            assignee=person,
        )
        services.ticket_create(actor=team["head"], data=new)

    give("agent", "report")
    give("sql2", "channel")
    give("sql2", "channel")
    assert create(team, service="segmentation").assignee.username == "sql2"


def test_absent_people_get_nothing(team: dict[str, Any]) -> None:
    Absence.objects.create(
        user=team["agent"], kind="vacation", starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 14)
    )
    assert {create(team, service="report").assignee.username for _ in range(3)} == {"sql2"}


def test_nobody_on_shift_queues_the_ticket_and_the_morning_hands_it_out(
    team: dict[str, Any],
) -> None:
    night = create(team, at=MONDAY_NIGHT, service="report")
    later = create(team, at=MONDAY_NIGHT + timedelta(minutes=30), service="access")
    assert night.assignee is None and night.role_queue == Role.SQL_ENGINEER
    assert routed(night)["how"] == "nobody_on_shift"
    assert AwaitingShift.objects.count() == 2
    with clock.frozen_at(MONDAY_NIGHT + timedelta(hours=2)):
        assert routing_assign_waiting() == 0  # still night
    with clock.frozen_at(TUESDAY_0905_MSK):
        assert routing_assign_waiting() == 2
    night.refresh_from_db()
    later.refresh_from_db()
    assert night.assignee is not None and later.assignee == team["admin1"]
    assert night.events.filter(type="routed").last().data["how"] == "shift_started"
    assert not AwaitingShift.objects.exists()


def test_a_waiting_ticket_taken_by_hand_leaves_the_waiting_list(team: dict[str, Any]) -> None:
    night = create(team, at=MONDAY_NIGHT, service="report")
    services.ticket_take(actor=team["sql2"], number=night.number)
    assert not AwaitingShift.objects.exists()


def test_weekend_duty_shift_and_shift_only_schedules(team: dict[str, Any]) -> None:
    Shift.objects.create(
        user=team["sql2"],
        starts_at=SATURDAY_NOON_MSK - timedelta(hours=3),
        ends_at=SATURDAY_NOON_MSK + timedelta(hours=6),
    )
    assert create(team, at=SATURDAY_NOON_MSK, service="report").assignee == team["sql2"]
    WorkSchedule.objects.create(user=team["agent"], follows_calendar=False)
    with clock.frozen_at(MONDAY_10_MSK):
        working = people_on_shift([team["agent"], team["sql2"]], MONDAY_10_MSK)
    assert working == {team["sql2"].pk}


def test_a_specific_rule_above_the_defaults_wins_and_stops(team: dict[str, Any]) -> None:
    rule = RoutingRule.objects.create(
        position=1,
        name="Кассы Меги — админу",
        words="касс\nтерминал",
        set_role=Role.SYSADMIN,
        set_assignee=team["admin1"],
        set_line="L3",
        stop=True,
    )
    rule.clients.set([team["mega"]])
    ticket = create(team, service="report", subject="Не работает КАССА №3")
    assert (ticket.role_queue, ticket.assignee, ticket.line) == (
        Role.SYSADMIN,
        team["admin1"],
        "L3",
    )
    why = routed(ticket)
    assert [r["name"] for r in why["rules"]] == ["Кассы Меги — админу"] and why["how"] == "rule"
    other_client = create(team, client=team["apteka"].code, service="report", subject="касса")
    assert other_client.role_queue == Role.SQL_ENGINEER


def test_a_named_person_on_vacation_falls_back_to_the_role(team: dict[str, Any]) -> None:
    rule = RoutingRule.objects.create(
        position=1,
        name="Отчёты Меги — agent",
        set_role=Role.SQL_ENGINEER,
        set_assignee=team["agent"],
    )
    rule.clients.set([team["mega"]])
    Absence.objects.create(
        user=team["agent"], kind="sick", starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 2)
    )
    assert create(team, service="report").assignee == team["sql2"]


def test_explicit_choice_of_the_creator_is_kept(team: dict[str, Any]) -> None:
    ticket = create(team, service="report", role_queue=Role.SYSADMIN)
    assert (ticket.role_queue, ticket.assignee) == (Role.SYSADMIN, None)


def test_setting_the_service_of_an_unassigned_ticket_routes_it_again(team: dict[str, Any]) -> None:
    ClassifierSettings.objects.update(enabled=False)
    ticket = create(team)
    assert ticket.role_queue == Role.SD_MANAGER
    with clock.frozen_at(MONDAY_10_MSK + timedelta(minutes=5)):
        services.ticket_set_service(actor=team["sd"], number=ticket.number, service="access")
    ticket.refresh_from_db()
    assert (ticket.role_queue, ticket.assignee) == (Role.SYSADMIN, team["admin1"])
    kept = create(team, service="mailing")
    with clock.frozen_at(MONDAY_10_MSK + timedelta(minutes=6)):
        services.ticket_set_service(actor=team["sd"], number=kept.number, service="report")
    kept.refresh_from_db()
    assert kept.role_queue == Role.SD_MANAGER  # a correction of a set service is not re-routed


def test_the_timeline_explains_the_routing_to_staff_only(team: dict[str, Any]) -> None:
    ticket = create(team, service="report")
    lines = [
        detail
        for entry in ticket_timeline(team["head"], ticket)
        if entry.event.type == "routed"
        for detail in entry.line.details
    ]
    assert any("Данные и интеграции — инженеру SQL" in line for line in lines)
    assert any("наименее загружен" in line for line in lines)
    client_view = ticket_timeline(team["mega_user"], ticket)
    assert "routed" not in {entry.event.type for entry in client_view}


def test_without_automatic_assignment_tickets_only_get_their_queue(world: dict[str, Any]) -> None:
    ticket = create(world, service="report")
    assert (ticket.role_queue, ticket.assignee) == (Role.SQL_ENGINEER, None)
    assert routed(ticket)["how"] == "queue_only"


def test_duty_escalation_reaches_only_the_people_on_shift(team: dict[str, Any]) -> None:
    from servicedesk.sla.escalation import recipients
    from servicedesk.sla.models import EscalationStep, Recipient

    Absence.objects.create(
        user=team["agent"], kind="vacation", starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 9)
    )
    ticket = create(team, service="report")
    step = EscalationStep(percent=100, recipient=Recipient.DUTY, role=Role.SQL_ENGINEER)
    sla_clock = ticket.sla_clocks.first()
    assert recipients(step, sla_clock, MONDAY_10_MSK) == [team["sql2"]]


def test_a_waiting_ticket_that_cannot_be_locked_does_not_stop_the_others(
    team: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from servicedesk.core.errors import NotFound
    from servicedesk.routing import services as routing_services

    first = create(team, at=MONDAY_NIGHT, service="report")
    second = create(team, at=MONDAY_NIGHT + timedelta(minutes=1), service="access")
    real = routing_services._assign_one_waiting

    def flaky(ticket_id: int, role: str) -> bool:
        if ticket_id == first.pk:
            raise NotFound("не найдено")
        return real(ticket_id, role)

    monkeypatch.setattr(routing_services, "_assign_one_waiting", flaky)
    with clock.frozen_at(TUESDAY_0905_MSK):
        assert routing_assign_waiting() == 1
    second.refresh_from_db()
    assert second.assignee == team["admin1"]
    assert AwaitingShift.objects.filter(ticket=first).exists()  # tried again next run


def test_schedule_edits_here_count_at_once_and_other_processes_within_seconds(
    team: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from servicedesk.routing import selectors

    def working() -> set[str]:
        people = [team["agent"], team["sql2"]]
        ids = people_on_shift(people, MONDAY_10_MSK)
        return {person.username for person in people if person.pk in ids}

    assert working() == {"agent", "sql2"}
    # Saved in this process (the admin, a service): the next question already knows.
    Absence.objects.create(
        user=team["sql2"], kind="sick", starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 2)
    )
    assert working() == {"agent"}
    assert create(team, service="report").assignee == team["agent"]
    Absence.objects.filter(user=team["sql2"]).delete()
    assert working() == {"agent", "sql2"}
    # Another process's edit sends no signal here (bulk_create stands in for it): the
    # copy this process keeps serves until it is RECHECK_SECONDS old, then it is re-read.
    absence = Absence(
        user=team["agent"], kind="sick", starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 2)
    )
    Absence.objects.bulk_create([absence])
    assert working() == {"agent", "sql2"}
    later = selectors.time.monotonic() + selectors.RECHECK_SECONDS
    monkeypatch.setattr(selectors.time, "monotonic", lambda: later)
    assert working() == {"sql2"}
    assert create(team, service="report").assignee == team["sql2"]


def test_a_role_given_or_taken_here_counts_for_routing_at_once(team: dict[str, Any]) -> None:
    from django.contrib.auth.models import Group

    from servicedesk.routing.selectors import role_members

    def sysadmins() -> list[str]:
        return [person.username for person in role_members(Role.SYSADMIN)]

    assert sysadmins() == ["admin1"]
    group = Group.objects.get(name=Role.SYSADMIN)
    team["sql2"].groups.add(group)
    assert sysadmins() == ["admin1", "sql2"]
    team["admin1"].is_active = False
    team["admin1"].save()
    assert sysadmins() == ["sql2"]
    team["sql2"].groups.remove(group)
    assert sysadmins() == []


def test_loads_read_once_for_a_batch_still_spread_its_tickets_evenly(
    team: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    from servicedesk.routing.selectors import loads_remembered, weighted_loads

    create(team, service="report", assignee="agent")  # agent starts one ticket ahead
    with loads_remembered():
        placed = [create(team, service="report").assignee.username for _ in range(5)]
        with django_assert_max_num_queries(0):  # counted on, not read again
            loads = weighted_loads([team["agent"].pk, team["sql2"].pk])

    assert placed.count("sql2") == 3 and placed.count("agent") == 2
    assert loads == {team["agent"].pk: (9.0, 3), team["sql2"].pk: (9.0, 3)}  # "report" weighs 3
    assert weighted_loads([team["agent"].pk, team["sql2"].pk]) == loads  # as the database says


def test_a_ticket_routed_again_inside_a_batch_makes_the_loads_read_again(
    team: dict[str, Any],
) -> None:
    from servicedesk.routing.selectors import loads_remembered, weighted_loads

    ClassifierSettings.objects.update(enabled=False)
    people = [team["sd"].pk, team["admin1"].pk]
    with loads_remembered():
        ticket = create(team)  # to the service-desk manager, counted on
        assert weighted_loads(people) == {team["sd"].pk: (1.0, 1)}
        with clock.frozen_at(MONDAY_10_MSK + timedelta(minutes=5)):
            services.ticket_set_service(actor=team["sd"], number=ticket.number, service="access")
        moved = weighted_loads(people)

    assert moved == {team["admin1"].pk: (1.0, 1)}  # not still on the manager
