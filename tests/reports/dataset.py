"""The fixed data set every report test checks against hand-computed figures.

Built with the real ticket and work-log services at frozen instants, so SLA clocks are
real. Calendar: 5/2 МСК (09:00–18:00, Mon–Fri, Russian production calendar 2026);
`mega` bought L1 (its L1 work runs on 24/7), `apteka` did not. Reports run at NOW.

| t   | client | service       | registered (MSK)   | what happens                                   |
|-----|--------|---------------|--------------------|------------------------------------------------|
| t1  | apteka | incident SL_2 | Mon 02.02 10:00    | taken 11:00, resolved Tue 03.02 12:00          |
| t2  | apteka | incident SL_2 | Mon 02.02 10:00    | taken Tue 03.02 12:00 (reaction late), open    |
| t3  | mega   | report SL_1   | Fri 06.02 17:00    | taken Mon 09.02 09:30, resolved 12:30 (late)   |
| t4  | mega   | consultation  | Sat 31.01 23:30    | taken 01.02 00:20, resolved 01:00 (January!)   |
| t5  | mega   | consultation  | Sun 01.02 00:10    | never taken (both clocks late, 24/7 on L1)     |
| t6  | apteka | hardware      | Tue 10.02 10:00    | cancelled 10:30 (left out of SLA figures)      |
| t7  | apteka | incident SL_2 | Wed 11.02 10:00    | taken 10:30, waits for the requester from 11:00|
| t8  | apteka | incident SL_2 | Mon 02.03 10:00    | new (March)                                    |
| t9  | apteka | report SL_1   | Mon 16.02 10:00    | taken 10:30, resolved 13:00                    |
| t10 | apteka | incident SL_2 | Fri 27.02 12:00    | taken 12:30, open                              |

Work logs: t3 150 min billable on 09.02 and 45 min not billable on 10.02 (agent);
t4 30 min for 31.01 (sd); t5 600 min on 02.02 and 60 min on 03.02 (sd); t1 60 min
(agent, L2: not billable); t9 200 min on 16.02 (agent, L3: billable).
Contracts: mega 3000 ₽/h, cap 10 h; apteka 2500 ₽/h, cap 5 h.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from servicedesk.accounts.roles import Role
from servicedesk.core import clock
from servicedesk.tickets import services
from tests import factories
from tests.worklogs.builders import log_time, msk, new_ticket, seed_calendars

NOW = msk(2026, 3, 2, 12)


def _at(when: Any, action: Any, **kwargs: Any) -> Any:
    with clock.frozen_at(when):
        return action(**kwargs)


def build(world: dict[str, Any]) -> dict[str, Any]:
    seed_calendars()
    mega, apteka = world["mega"], world["apteka"]
    mega.name, apteka.name = "Мега", "Аптека"
    mega.code, apteka.code = "mega", "apteka"
    mega.save()
    apteka.save()
    apteka.contract.l3_hourly_rate = Decimal("2500")
    apteka.contract.consultation_hours_cap = Decimal("5")
    apteka.contract.save()
    agent = world["agent"]
    sd = factories.staff(Role.SD_MANAGER, username="sd")
    manager = factories.staff(Role.SERVICE_MANAGER, username="manager")
    data: dict[str, Any] = dict(world, sd=sd, manager=manager)

    def take(ticket: Any, when: Any) -> None:
        _at(when, services.ticket_take, actor=agent, number=ticket.number)

    def move(ticket: Any, when: Any, status: str) -> None:
        _at(when, services.ticket_transition, actor=agent, number=ticket.number, status=status)

    t1 = new_ticket(agent, apteka, "incident", msk(2026, 2, 2, 10), channel="phone")
    take(t1, msk(2026, 2, 2, 11))
    move(t1, msk(2026, 2, 3, 12), "resolved")

    t2 = new_ticket(agent, apteka, "incident", msk(2026, 2, 2, 10), channel="email")
    take(t2, msk(2026, 2, 3, 12))

    t3 = new_ticket(agent, mega, "report", msk(2026, 2, 6, 17), channel="api")
    take(t3, msk(2026, 2, 9, 9, 30))
    move(t3, msk(2026, 2, 9, 12, 30), "resolved")

    t4 = new_ticket(sd, mega, "consultation", msk(2026, 1, 31, 23, 30), channel="phone")
    _at(msk(2026, 2, 1, 0, 20), services.ticket_take, actor=sd, number=t4.number)
    _at(
        msk(2026, 2, 1, 1),
        services.ticket_transition,
        actor=sd,
        number=t4.number,
        status="resolved",
    )

    t5 = new_ticket(sd, mega, "consultation", msk(2026, 2, 1, 0, 10), channel="phone")

    t6 = new_ticket(agent, apteka, "hardware", msk(2026, 2, 10, 10), channel="phone")
    move(t6, msk(2026, 2, 10, 10, 30), "cancelled")

    t7 = new_ticket(agent, apteka, "incident", msk(2026, 2, 11, 10), channel="email")
    take(t7, msk(2026, 2, 11, 10, 30))
    move(t7, msk(2026, 2, 11, 11), "pending_requester")

    t8 = new_ticket(agent, apteka, "incident", msk(2026, 3, 2, 10), channel="email")

    t9 = new_ticket(agent, apteka, "report", msk(2026, 2, 16, 10), channel="portal")
    take(t9, msk(2026, 2, 16, 10, 30))
    move(t9, msk(2026, 2, 16, 13), "resolved")

    t10 = new_ticket(agent, apteka, "incident", msk(2026, 2, 27, 12), channel="phone")
    take(t10, msk(2026, 2, 27, 12, 30))

    log_time(agent, t3, 150, msk(2026, 2, 9, 18))
    log_time(agent, t3, 45, msk(2026, 2, 10, 18), billable=False)
    log_time(sd, t4, 30, msk(2026, 2, 1, 0, 50), work_date=date(2026, 1, 31))
    log_time(sd, t5, 600, msk(2026, 2, 2, 18))
    log_time(sd, t5, 60, msk(2026, 2, 3, 18))
    log_time(agent, t1, 60, msk(2026, 2, 3, 12))
    log_time(agent, t9, 200, msk(2026, 2, 16, 18))

    tickets = {"t1": t1, "t2": t2, "t3": t3, "t4": t4, "t5": t5, "t6": t6, "t7": t7}
    tickets |= {"t8": t8, "t9": t9, "t10": t10}
    return data | tickets
