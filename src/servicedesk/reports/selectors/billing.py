"""Billing per client and month: L3 hours × rate, consultations against the cap, L1 volume.

An open month is computed from the work-log postings booked into it and the tickets L1
took in during it (every ticket of a client with L1 gets an acknowledgement clock at
registration). A closed month is read from its snapshot and never recomputed.
Consultation time above the monthly cap is billed at the contract's L3 rate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from servicedesk.accounts.models import Client
from servicedesk.core.errors import ValidationFailed
from servicedesk.reports.access import Scope
from servicedesk.reports.domain.charts import Series, bar_chart
from servicedesk.reports.domain.periods import REPORT_TZ, Month
from servicedesk.reports.domain.tables import Chart, Column, Figure, Kind, Link, Report, Table
from servicedesk.reports.filters import ReportFilters
from servicedesk.reports.links import billing_url
from servicedesk.reports.models import BillingSnapshot, ClosedMonth
from servicedesk.reports.selectors.common import ticket_link
from servicedesk.sla.domain.policy import Target
from servicedesk.sla.models import SlaClock
from servicedesk.tickets.models import Ticket
from servicedesk.worklogs.domain import cap_minutes, hours, money
from servicedesk.worklogs.models import WorkLogPosting

L3, CONSULTATION, L1 = "l3", "consultation", "l1"
LINE_TITLES = {
    L3: "Часы 3-й линии по обращениям",
    CONSULTATION: "Консультации по обращениям",
    L1: "Обращения 1-й линии",
}


@dataclass(frozen=True)
class BillLine:
    """One ticket behind a number of a bill."""

    kind: str
    ticket_id: int
    number: int
    subject: str
    minutes: int = 0


@dataclass
class Bill:
    """One client's figures for one month."""

    client_id: int
    client_code: str
    client_name: str
    contract_number: str
    has_l1: bool
    rate: Decimal
    l3_minutes: int
    consultation_minutes: int
    cap_minutes: int | None
    l1_tickets: int
    lines: list[BillLine] = field(default_factory=list)

    @property
    def l3_amount(self) -> Decimal:
        return money(self.l3_minutes, self.rate)

    @property
    def over_cap_minutes(self) -> int:
        if self.cap_minutes is None:
            return 0
        return max(0, self.consultation_minutes - self.cap_minutes)

    @property
    def over_cap_amount(self) -> Decimal:
        return money(self.over_cap_minutes, self.rate)

    @property
    def total(self) -> Decimal:
        return self.l3_amount + self.over_cap_amount


@dataclass(frozen=True)
class MonthState:
    month: Month
    closed: ClosedMonth | None

    @property
    def label(self) -> str:
        if self.closed is None:
            return "открыт"
        return (
            f"закрыт {self.closed.closed_at.astimezone(REPORT_TZ):%d.%m.%Y %H:%M} "
            f"({self.closed.closed_by_label})"
        )


def month_state(month: Month) -> MonthState:
    return MonthState(month, ClosedMonth.objects.filter(month=month.first_day).first())


def _clients(client_ids: list[int] | None) -> list[Client]:
    clients = Client.objects.select_related("contract").filter(contract__isnull=False)
    if client_ids is not None:
        return list(clients.filter(pk__in=client_ids))
    return list(clients.filter(is_active=True))


def live_bills(month: Month, client_ids: list[int] | None, *, with_lines: bool) -> list[Bill]:
    """Compute the bills of an open month from the database (aggregates, not loops)."""
    postings = WorkLogPosting.objects.filter(month=month.first_day)
    # Tickets L1 took in: those registered in the month with an acknowledgement clock.
    acknowledged = Ticket.objects.filter(
        Exists(
            SlaClock.objects.filter(ticket_id=OuterRef("pk"), target=Target.ACKNOWLEDGEMENT.value)
        ),
        created_at__gte=month.start,
        created_at__lt=month.end,
    )
    if client_ids is not None:
        postings = postings.filter(client_id__in=client_ids)
        acknowledged = acknowledged.filter(client_id__in=client_ids)
    sums = {
        row["client_id"]: row
        for row in postings.values("client_id")
        .annotate(billable=Sum("billable_minutes"), consultation=Sum("consultation_minutes"))
        .order_by()
    }
    l1 = {
        row["client_id"]: row["n"]
        for row in acknowledged.values("client_id").annotate(n=Count("pk")).order_by()
    }
    wanted = client_ids if client_ids is not None else None
    clients = {c.pk: c for c in _clients(wanted)}
    missing = (set(sums) | set(l1)) - set(clients)
    if missing:
        clients |= {c.pk: c for c in _clients(sorted(missing))}
    bills: dict[int, Bill] = {}
    for client in sorted(clients.values(), key=lambda c: c.name):
        contract = client.contract
        row = sums.get(client.pk, {})
        bills[client.pk] = Bill(
            client_id=client.pk,
            client_code=client.code,
            client_name=client.name,
            contract_number=contract.number,
            has_l1=contract.has_l1,
            rate=contract.l3_hourly_rate,
            l3_minutes=int(row.get("billable") or 0),
            consultation_minutes=int(row.get("consultation") or 0),
            cap_minutes=cap_minutes(contract.consultation_hours_cap),
            l1_tickets=l1.get(client.pk, 0),
        )
    if with_lines:
        _attach_lines(bills, postings, acknowledged)
    return list(bills.values())


def _attach_lines(
    bills: dict[int, Bill],
    postings: QuerySet[WorkLogPosting],
    acknowledged: QuerySet[Ticket],
) -> None:
    per_ticket = (
        postings.values("client_id", "ticket_id", "ticket__number", "ticket__subject")
        .annotate(billable=Sum("billable_minutes"), consultation=Sum("consultation_minutes"))
        .filter(~Q(billable=0) | ~Q(consultation=0))
        .order_by("ticket__number")
    )
    for row in per_ticket:
        bill = bills.get(row["client_id"])
        if bill is None:
            continue
        for kind, minutes in ((L3, row["billable"]), (CONSULTATION, row["consultation"])):
            if minutes:
                bill.lines.append(
                    BillLine(
                        kind,
                        row["ticket_id"],
                        row["ticket__number"],
                        row["ticket__subject"],
                        minutes,
                    )
                )
    l1_rows = acknowledged.values("client_id", "pk", "number", "subject").order_by("number")
    for l1_row in l1_rows:
        bill = bills.get(l1_row["client_id"])
        if bill is not None:
            bill.lines.append(BillLine(L1, l1_row["pk"], l1_row["number"], l1_row["subject"]))


def snapshot_bills(
    closed: ClosedMonth, client_ids: list[int] | None, *, with_lines: bool
) -> list[Bill]:
    """Read a closed month's bills exactly as they were frozen."""
    snapshots = BillingSnapshot.objects.filter(closed_month=closed).order_by("client_name")
    if client_ids is not None:
        snapshots = snapshots.filter(client_id__in=client_ids)
    if with_lines:
        snapshots = snapshots.prefetch_related("lines")
    bills = []
    for snap in snapshots:
        bill = Bill(
            client_id=snap.client_id,
            client_code=snap.client_code,
            client_name=snap.client_name,
            contract_number=snap.contract_number,
            has_l1=snap.has_l1,
            rate=snap.l3_rate,
            l3_minutes=snap.l3_minutes,
            consultation_minutes=snap.consultation_minutes,
            cap_minutes=snap.consultation_cap_minutes,
            l1_tickets=snap.l1_tickets,
        )
        if with_lines:
            bill.lines = [
                BillLine(line.kind, line.ticket_id, line.ticket_number, line.subject, line.minutes)
                for line in snap.lines.all()
            ]
        bills.append(bill)
    return bills


def month_bills(
    month: Month, client_ids: list[int] | None, *, with_lines: bool
) -> tuple[list[Bill], MonthState]:
    state = month_state(month)
    if state.closed is not None:
        return snapshot_bills(state.closed, client_ids, with_lines=with_lines), state
    return live_bills(month, client_ids, with_lines=with_lines), state


def _client_ids(filters: ReportFilters, scope: Scope) -> list[int] | None:
    if scope.client_id is not None:
        return [scope.client_id]
    if filters.clients:
        return list(Client.objects.filter(code__in=filters.clients).values_list("pk", flat=True))
    return None


def billing_report(
    filters: ReportFilters, scope: Scope, now: datetime, *, all_lines: bool = False
) -> Report:
    """Return the month's bills; the tickets behind them for one client (or `all_lines`)."""
    if filters.month is None:
        raise ValidationFailed(
            "Биллинг считается за календарный месяц: укажите месяц", field="month"
        )
    month = filters.month
    client_ids = _client_ids(filters, scope)
    with_lines = all_lines or (client_ids is not None and len(client_ids) == 1)
    bills, state = month_bills(month, client_ids, with_lines=with_lines)
    table = _bills_table(bills, month)
    tables = [table]
    if with_lines:
        tables += [_lines_table(bills, kind, scope) for kind in (L3, CONSULTATION, L1)]
    total = sum((bill.total for bill in bills), Decimal("0"))
    report = Report(
        key="billing",
        title="Биллинг по клиентам",
        subtitle=f"{month.label.capitalize()}: месяц {state.label}",
        period_code=month.code,
        tables=tables,
        figures=[
            Figure("Итого к оплате, ₽", total, Kind.MONEY),
            Figure("Часы 3-й линии", hours(sum(b.l3_minutes for b in bills)), Kind.HOURS),
            Figure(
                "Консультации сверх лимита, ч",
                hours(sum(b.over_cap_minutes for b in bills)),
                Kind.HOURS,
            ),
            Figure("Обращений на 1-й линии", sum(b.l1_tickets for b in bills)),
        ],
        notes=[
            "Часы 3-й линии — оплачиваемое время (по умолчанию всё время по обращениям 3-й "
            "линии), кроме превышения оценки, не согласованного сервис-менеджером. "
            "Консультации сверх месячного лимита договора оплачиваются по ставке 3-й линии. "
            "Время, списанное задним числом в уже закрытый месяц, попадает в следующий "
            "открытый месяц.",
        ],
    )
    if state.closed is None:
        report.notes.append("Месяц открыт: цифры меняются, пока его не закроет руководитель.")
    report.charts = [
        Chart(
            "Сумма по клиентам, ₽",
            bar_chart(
                [bill.client_name for bill in bills],
                [
                    Series("3-я линия", [float(bill.l3_amount) for bill in bills]),
                    Series(
                        "Консультации сверх лимита",
                        [float(bill.over_cap_amount) for bill in bills],
                        "#f0ad4e",
                    ),
                ],
                title="Сумма по клиентам",
                unit=" ₽",
            ),
            "bills",
        )
    ]
    return report


def _bills_table(bills: list[Bill], month: Month) -> Table:
    table = Table(
        key="bills",
        title="Счета по клиентам",
        columns=[
            Column("client", "Клиент"),
            Column("contract", "Договор"),
            Column("rate", "Ставка 3-й линии, ₽/ч", Kind.MONEY),
            Column("l3_hours", "Часы 3-й линии", Kind.HOURS),
            Column("l3_amount", "Сумма за 3-ю линию, ₽", Kind.MONEY),
            Column("consultation_hours", "Консультации, ч", Kind.HOURS),
            Column("cap_hours", "Лимит консультаций, ч", Kind.HOURS),
            Column("over_cap_hours", "Сверх лимита, ч", Kind.HOURS),
            Column("over_cap_amount", "Сумма сверх лимита, ₽", Kind.MONEY),
            Column("l1_tickets", "Обращений на 1-й линии", Kind.INT),
            Column("total", "Итого, ₽", Kind.MONEY),
        ],
    )
    for bill in bills:
        table.add(
            Link(bill.client_name, billing_url(month.code, bill.client_code)),
            bill.contract_number,
            bill.rate,
            hours(bill.l3_minutes),
            bill.l3_amount,
            hours(bill.consultation_minutes),
            hours(bill.cap_minutes) if bill.cap_minutes is not None else None,
            hours(bill.over_cap_minutes),
            bill.over_cap_amount,
            bill.l1_tickets if bill.has_l1 else None,
            bill.total,
        )
    table.footer = [
        "Итого",
        "",
        None,
        hours(sum(b.l3_minutes for b in bills)),
        sum((b.l3_amount for b in bills), Decimal("0")),
        hours(sum(b.consultation_minutes for b in bills)),
        None,
        hours(sum(b.over_cap_minutes for b in bills)),
        sum((b.over_cap_amount for b in bills), Decimal("0")),
        sum(b.l1_tickets for b in bills),
        sum((b.total for b in bills), Decimal("0")),
    ]
    return table


def _lines_table(bills: list[Bill], kind: str, scope: Scope) -> Table:
    columns = [
        Column("client", "Клиент"),
        Column("ticket", "Обращение"),
        Column("subject", "Тема"),
    ]
    if kind != L1:
        columns.append(Column("hours", "Часы", Kind.HOURS))
    table = Table(key=f"{kind}_lines", title=LINE_TITLES[kind], columns=columns)
    for bill in bills:
        for line in bill.lines:
            if line.kind != kind:
                continue
            cells: list[object] = [bill.client_name, ticket_link(line.number, scope), line.subject]
            if kind != L1:
                cells.append(hours(line.minutes))
            table.add(*cells)  # type: ignore[arg-type]
    return table


def closed_months_list(scope: Scope) -> list[ClosedMonth]:
    """Return the closed months, latest first (every user sees which months are final)."""
    return list(ClosedMonth.objects.order_by("-month")[:36])
