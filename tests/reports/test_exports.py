"""Exports: XLSX opens in openpyxl with Russian headers; CSV is for Russian Excel."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from servicedesk.reports.access import ReportKind, report_scope
from servicedesk.reports.domain.tables import Column, Kind, Link, Report, Table
from servicedesk.reports.exports import report_xlsx, table_csv
from servicedesk.reports.filters import parse_filters
from servicedesk.reports.selectors import build_report
from tests.reports.dataset import NOW
from tests.worklogs.builders import msk


def small_table() -> Table:
    table = Table(
        key="bills",
        title="Счета по клиентам",
        columns=[
            Column("client", "Клиент"),
            Column("hours", "Часы", Kind.HOURS),
            Column("amount", "Сумма, ₽", Kind.MONEY),
            Column("share", "Доля, %", Kind.PERCENT),
            Column("at", "Когда", Kind.DATETIME),
            Column("day", "День", Kind.DATE),
            Column("ticket", "Обращение"),
        ],
    )
    table.add(
        "Мега; «кавычки»",
        Decimal("2.5"),
        Decimal("7500"),
        71.4,
        msk(2026, 1, 31, 23, 30),
        date(2026, 2, 1),
        Link("SD-000001", "/api/v1/tickets/SD-000001"),
    )
    table.add("Аптека", Decimal("0"), Decimal("8333.33"), None, None, None, None)
    table.footer = ["Итого", Decimal("2.5"), Decimal("15833.33"), None, None, None, None]
    return table


def test_csv_is_utf8_with_bom_semicolons_and_decimal_commas() -> None:
    content = table_csv(small_table())
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Клиент", "Часы", "Сумма, ₽", "Доля, %", "Когда", "День", "Обращение"]
    assert rows[1] == [
        "Мега; «кавычки»",
        "2,50",
        "7500,00",
        "71,4",
        "31.01.2026 23:30",  # Moscow time, not 20:30 UTC
        "01.02.2026",
        "SD-000001",
    ]
    assert rows[2] == ["Аптека", "0,00", "8333,33", "", "", "", ""]
    assert rows[3][:3] == ["Итого", "2,50", "15833,33"]
    assert content.count(b"\r\n") == 4


def test_xlsx_has_a_summary_sheet_and_one_sheet_per_table_with_real_numbers() -> None:
    report = Report(key="billing", title="Биллинг по клиентам", subtitle="Февраль 2026")
    report.tables = [small_table()]
    workbook = load_workbook(io.BytesIO(report_xlsx(report, base_url="http://sd.example")))
    assert workbook.sheetnames == ["Сводка", "Счета по клиентам"]
    sheet = workbook["Счета по клиентам"]
    assert isinstance(sheet, Worksheet)
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("Клиент", "Часы", "Сумма, ₽", "Доля, %", "Когда", "День", "Обращение")
    assert values[1][:4] == ("Мега; «кавычки»", 2.5, 7500, 71.4)
    assert values[1][4] == datetime(2026, 1, 31, 23, 30)  # Moscow wall time
    assert values[1][5] == datetime(2026, 2, 1)
    assert sheet["C2"].number_format == "#,##0.00"
    assert sheet["G2"].hyperlink.target == "http://sd.example/api/v1/tickets/SD-000001"
    assert values[3][0] == "Итого"
    assert sheet.freeze_panes == "A2"


@pytest.mark.django_db
def test_the_sla_report_exports_every_breach_with_russian_headers(data) -> None:
    filters = parse_filters(today=date(2026, 3, 2), month="2026-02")
    report = build_report(
        ReportKind.SLA, filters, report_scope(data["head"], ReportKind.SLA), NOW, full=True
    )
    workbook = load_workbook(io.BytesIO(report_xlsx(report)))
    assert workbook.sheetnames == ["Сводка", "Соблюдение SLA", "Нарушения SLA"]
    summary = list(workbook["Сводка"].iter_rows(values_only=True))
    assert summary[0][0] == "Соблюдение SLA"
    assert ("Реакция в срок, %", 71.4) in [row[:2] for row in summary]
    compliance = list(workbook["Соблюдение SLA"].iter_rows(values_only=True))
    assert compliance[0][:3] == ("Клиент", "Реакция: в срок", "Реакция: нарушено")
    assert [row[0] for row in compliance[1:]] == ["Аптека", "Мега", "Итого"]
    assert compliance[1][1:5] == (4, 1, 0, 80.0)
    breaches = list(workbook["Нарушения SLA"].iter_rows(values_only=True))
    assert breaches[0][0] == "Обращение"
    assert len(breaches) == 1 + 5
