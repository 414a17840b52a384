"""Demo data: three retail chains, the support team, and ~200 tickets in every status."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction

from servicedesk.accounts.models import (
    Client,
    Contact,
    ContactCard,
    ContactEmail,
    ContactKind,
    ContactPhone,
    Contract,
    Emission,
    Outlet,
    OutletPhone,
    User,
)
from servicedesk.accounts.roles import Role
from servicedesk.core import clock
from servicedesk.tickets import services
from servicedesk.tickets.models import Ticket

DEMO_PASSWORD = "plastek-demo"  # noqa: S105  (printed by make run for the demo)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    who: str


STAFF = (
    ("head", "Ольга", "Руднева", [Role.HEAD], "101"),
    ("manager", "Игорь", "Сомов", [Role.SERVICE_MANAGER], "102"),
    ("sql", "Анна", "Белова", [Role.SQL_ENGINEER], "103"),
    ("sql2", "Павел", "Круглов", [Role.SQL_ENGINEER], "104"),
    ("sysadmin", "Денис", "Орлов", [Role.SYSADMIN], "105"),
    ("sd", "Мария", "Лисина", [Role.SD_MANAGER], "106"),
    ("sd2", "Кирилл", "Жуков", [Role.SD_MANAGER, Role.SQL_ENGINEER], "107"),
)

CLIENTS = (
    # code, name, L1, L2, L3, consultation cap, L3 rate, card range, outlets
    (
        "mega",
        "Мега-Маркет",
        True,
        True,
        True,
        Decimal("20"),
        Decimal("3500"),
        ("2770000000000", "2770099999999"),
        ["Мега-1 Тверская", "Мега-2 Химки", "Мега-3 Люберцы"],
    ),
    (
        "apteka",
        "Аптека Здоровье",
        False,
        True,
        True,
        Decimal("10"),
        Decimal("3000"),
        ("2880000000000", "2880099999999"),
        ["Аптека на Ленина", "Аптека у метро"],
    ),
    (
        "coffee",
        "КофеТайм",
        True,
        True,
        False,
        None,
        Decimal("0"),
        ("2990000000000", "2990099999999"),
        ["Кофейня Арбат", "Кофейня Сити", "Кофейня Парк"],
    ),
)

SUBJECTS = {
    "incident": [
        "Не начислились баллы за покупку",
        "Касса не принимает карту",
        "Ошибка при активации карты на кассе",
        "Не могу войти в личный кабинет",
        "Подарок не списывается на кассе",
    ],
    "consultation": [
        "Как узнать баланс баллов?",
        "Когда сгорают баллы?",
        "Можно ли объединить две карты?",
    ],
    "report": ["Нужен отчёт по продажам за месяц", "Доработать стандартный отчёт по акциям"],
    "promotion": ["Завести акцию «Двойные баллы» на выходные", "Настроить акцию для новых гостей"],
    "segmentation": ["Выборка гостей без покупок 90 дней", "Сегмент гостей с днём рождения"],
    "mailing": ["Рассылка SMS о новой акции", "E-mail рассылка по сегменту"],
    "access": ["Нет доступа в Студию у нового сотрудника", "Сбросить пароль в Студии"],
    "hardware": ["Сервер процессинга не отвечает", "Диск на сервере заполнен"],
    "channel": ["Упал канал связи с магазином", "Нет связи с процессингом из точки"],
    "performance": ["Студия очень медленно открывает отчёты", "Касса долго ждёт ответа"],
    "studio": ["В Студии не сохраняется карточка гостя", "Ошибка в Студии при выгрузке"],
    "pos_integration": ["Интеграция новой кассы", "Касса присылает неверный чек"],
    "testing": ["Протестировать новую версию кассового модуля"],
    "logging": ["Нужны логи обмена кассы за вчера"],
    "instruction": ["Пришлите инструкцию по активации карт"],
    "training": ["Обучить персонал новой точки работе с картами"],
}

FINAL_STATES = [
    ("new", 40),
    ("open", 50),
    ("pending_requester", 25),
    ("pending_development", 10),
    ("resolved", 35),
    ("closed", 30),
    ("cancelled", 10),
]


def _staff(username: str, first: str, last: str, roles: list[Role], ext: str) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "is_staff": True,
            "extension": ext,
            "email": f"{username}@plastek.local",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.set(Group.objects.filter(name__in=[r.value for r in roles]))
    return user


def _client(row: tuple, rng: random.Random) -> tuple[Client, list[Outlet], list[Contact]]:  # type: ignore[type-arg]
    code, name, l1, l2, l3, cap, rate, (start, end), outlet_names = row
    client, _ = Client.objects.get_or_create(code=code, defaults={"name": name})
    Contract.objects.get_or_create(
        client=client,
        defaults={
            "number": f"ПТ-{code.upper()}-2026",
            "has_l1": l1,
            "has_l2": l2,
            "has_l3": l3,
            "consultation_hours_cap": cap,
            "l3_hourly_rate": rate,
        },
    )
    Emission.objects.get_or_create(
        client=client, name=f"Карты {name}", defaults={"range_start": start, "range_end": end}
    )
    outlets = []
    for index, outlet_name in enumerate(outlet_names, start=1):
        outlet, created = Outlet.objects.get_or_create(
            client=client,
            code=f"{code.upper()}-{index:02d}",
            defaults={"name": outlet_name, "address": f"г. Москва, {outlet_name}"},
        )
        if created:
            OutletPhone.objects.create(
                outlet=outlet, number=f"+7495{rng.randint(1000000, 9999999)}"
            )
        outlets.append(outlet)
    contacts = []
    for index in range(6):
        contact, created = Contact.objects.get_or_create(
            full_name=f"Гость {name} №{index + 1}",
            defaults={"kind": ContactKind.GUEST, "client": client},
        )
        if created:
            ContactPhone.objects.create(
                contact=contact, number=f"+7916{rng.randint(1000000, 9999999)}"
            )
            ContactCard.objects.create(contact=contact, number=str(int(start) + 1000 + index))
        contacts.append(contact)
    staff_contact, created = Contact.objects.get_or_create(
        full_name=f"Администратор {outlets[0].name}",
        defaults={"kind": ContactKind.OUTLET_STAFF, "client": client, "outlet": outlets[0]},
    )
    if created:
        ContactEmail.objects.create(contact=staff_contact, address=f"admin@{code}.example")
    contacts.append(staff_contact)
    user, created = User.objects.get_or_create(
        username=f"{code}-client",
        defaults={
            "first_name": "Сотрудник",
            "last_name": name,
            "client": client,
            "email": f"it@{code}.example",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return client, outlets, contacts


@transaction.atomic
def load_demo(ticket_count: int = 200, seed: int = 2026) -> list[DemoLogin]:
    """Create the demo world once; a second run adds nothing."""
    rng = random.Random(seed)  # noqa: S311  (repeatable demo data, not security)
    staff = [_staff(*row) for row in STAFF]
    worlds = [_client(row, rng) for row in CLIENTS]
    from servicedesk.routing.demo import load_demo_schedules

    load_demo_schedules()
    if not Ticket.objects.exists():
        _tickets(ticket_count, rng, staff, worlds)
        from servicedesk.sla.escalation import sla_sweep

        while sla_sweep().clocks:  # the overdue demo tickets' notifications, in-app
            pass
        # Work time only on the demo's own tickets: a database that already holds tickets
        # (a bench's hundred thousand, a real desk) must not get invented time logs.
        from servicedesk.worklogs.demo import load_demo_worklogs

        load_demo_worklogs(seed)
    logins = [DemoLogin(u.username, f"{u} — {', '.join(r.label for r in u.roles)}") for u in staff]
    logins += [
        DemoLogin(f"{c.code}-client", f"пользователь клиента {c.name}") for c, _, _ in worlds
    ]
    return logins


def _tickets(count: int, rng: random.Random, staff: list[User], worlds: list) -> None:  # type: ignore[type-arg]
    # Every status appears among the first tickets, the rest follow the weights.
    weighted = [state for state, weight in FINAL_STATES for _ in range(weight)]
    states = [state for state, _ in FINAL_STATES] + [rng.choice(weighted) for _ in range(count)]
    start = clock.now() - timedelta(days=30)
    for index in range(count):
        client, outlets, contacts = rng.choice(worlds)
        service = rng.choice(list(SUBJECTS))
        at = start + timedelta(minutes=index * (30 * 24 * 60 // count) + rng.randint(0, 50))
        agent = rng.choice(staff[1:])
        with clock.frozen_at(at):
            ticket = services.ticket_create(
                actor=staff[-2],
                data=services.NewTicket(
                    subject=rng.choice(SUBJECTS[service]),
                    description="Демонстрационное обращение.",
                    client=client.code,
                    channel=rng.choice(["phone", "email", "portal", "api"]),
                    service=service,
                    outlet=rng.choice(outlets).code,
                    requester_id=rng.choice(contacts).pk,
                ),
            )
        target = states[index]
        _advance(ticket, target, agent, at, rng)


def _advance(ticket: Ticket, target: str, agent: User, at, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    if target == "new":
        return
    if target == "cancelled":
        with clock.frozen_at(at + timedelta(minutes=20)):
            services.ticket_transition(
                actor=agent, number=ticket.number, status="cancelled", reason="Дубликат"
            )
        return
    step = at + timedelta(minutes=rng.randint(10, 90))
    with clock.frozen_at(step):
        services.ticket_take(actor=agent, number=ticket.number)
    with clock.frozen_at(step + timedelta(minutes=5)):
        services.ticket_comment(
            actor=agent,
            number=ticket.number,
            body="Здравствуйте! Взяли в работу, сообщим о результате.",
        )
    if target == "open":
        return
    later = step + timedelta(hours=rng.randint(1, 20))
    if target in ("pending_requester", "pending_development"):
        with clock.frozen_at(later):
            services.ticket_transition(actor=agent, number=ticket.number, status=target)
        return
    with clock.frozen_at(later):
        services.ticket_transition(actor=agent, number=ticket.number, status="resolved")
    if target == "closed":
        with clock.frozen_at(later + timedelta(days=1)):
            services.ticket_transition(actor=agent, number=ticket.number, status="closed")
