"""The timeline speaks Russian: codes in events become names."""

from __future__ import annotations

from servicedesk.tickets.domain.timeline import Names, describe_event, usernames_in

NAMES = Names(
    statuses={"new": "Новое", "open": "В работе"},
    services={"incident": "Инцидент", "report": "Отчет"},
    people={"sql": "Анна Белова"},
    roles={"service_manager": "Сервис-менеджер"},
    levels={"SL_1": "SL_1 (Критический)", "SL_2": "SL_2 (Средний)"},
)


def test_status_change_names_both_statuses_and_the_reason() -> None:
    line = describe_event(
        "status_changed", {"status": {"old": "new", "new": "open"}, "reason": "Звонок"}, NAMES
    )
    assert line.title == "Изменён статус"
    assert line.details == ("Статус: Новое → В работе", "Причина: Звонок")


def test_assignment_names_people_and_queues() -> None:
    line = describe_event(
        "assigned",
        {
            "assignee": {"old": None, "new": "sql"},
            "role_queue": {"old": "", "new": "service_manager"},
        },
        NAMES,
    )
    assert line.details == ("Исполнитель: — → Анна Белова", "Очередь: — → Сервис-менеджер")


def test_service_change_shows_the_new_sla_level() -> None:
    line = describe_event(
        "service_changed",
        {
            "service": {"old": "incident", "new": "report"},
            "sla_level": {"old": "SL_2", "new": "SL_1"},
        },
        NAMES,
    )
    assert line.details == (
        "Услуга: Инцидент → Отчет",
        "Уровень SLA: SL_2 (Средний) → SL_1 (Критический)",
    )


def test_notes_and_replies_are_told_apart() -> None:
    assert describe_event("commented", {"public": False}, NAMES).details == ("Внутренняя заметка",)
    assert describe_event("commented", {"public": True, "channel": "email"}, NAMES).details == (
        "Публичный ответ (e-mail)",
    )


def test_merge_and_escalation_have_sentences() -> None:
    assert describe_event("merged", {"into": "SD-000007"}, NAMES).details == (
        "Объединено с SD-000007 как дубликат",
    )
    line = describe_event("escalated", {"to": "l3", "reason": "Нужна коррекция"}, NAMES)
    assert line.title == "Эскалация"
    assert line.details == ("Эскалация на 3-ю линию", "Причина: Нужна коррекция")


def test_unknown_event_types_from_other_apps_still_show() -> None:
    line = describe_event("sla_warning", {"target": "reaction"}, NAMES)
    assert line.title == "sla_warning"
    assert line.details == ("target: reaction",)


def test_logins_are_collected_for_one_query() -> None:
    data = [{"assignee": {"old": "a", "new": "b"}}, {"assignee": "c"}, {"subject": "x"}]
    assert usernames_in(data) == {"a", "b", "c"}
