"""XLSX and CSV files of a report, made for Russian Excel.

CSV: UTF-8 with a byte-order mark (Excel otherwise reads it as cp1251), `;` between
fields and a decimal comma — what Excel with Russian regional settings expects, so a
double click opens the file in columns with numbers as numbers. Dates are DD.MM.YYYY,
instants Moscow time. XLSX: one sheet with the headline figures, then one sheet per table
with real numbers, number formats, a frozen header row and links to the tickets.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from servicedesk.reports.domain.periods import REPORT_TZ
from servicedesk.reports.domain.tables import Cell, Column, Kind, Link, Report, Table

CSV_DELIMITER = ";"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

_FORMATS = {
    Kind.INT: "0",
    Kind.HOURS: "0.00",
    Kind.MONEY: "#,##0.00",
    Kind.PERCENT: "0.0",
    Kind.DATE: "DD.MM.YYYY",
    Kind.DATETIME: "DD.MM.YYYY HH:MM",
}


def _plain_text(cell: Cell) -> str | None:
    """Return the text of cells whose look does not depend on the column kind."""
    if cell is None:
        return ""
    if isinstance(cell, Link):
        return cell.text
    if isinstance(cell, datetime):
        return f"{cell.astimezone(REPORT_TZ):%d.%m.%Y %H:%M}"
    if isinstance(cell, date):
        return f"{cell:%d.%m.%Y}"
    return None


def text_of(cell: Cell, kind: Kind) -> str:
    """Return a cell as Russian Excel reads it from a CSV field."""
    plain = _plain_text(cell)
    if plain is not None:
        return plain
    if isinstance(cell, Decimal | float):
        if kind == Kind.PERCENT:
            text = f"{float(cell):.1f}"
        elif kind in (Kind.HOURS, Kind.MONEY):
            text = f"{Decimal(str(cell)):.2f}"
        else:
            text = str(cell)
        return text.replace(".", ",")
    return str(cell)


def table_csv(table: Table) -> bytes:
    """Return one table as CSV bytes (UTF-8 with BOM, `;`, decimal comma)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([column.label for column in table.columns])
    rows = [*table.rows, *([table.footer] if table.footer is not None else [])]
    for row in rows:
        writer.writerow(
            [text_of(cell, column.kind) for column, cell in zip(table.columns, row, strict=True)]
        )
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub(" ", title)[:31].strip() or "Лист"
    name, n = base, 2
    while name in used:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name)
    return name


def _xlsx_value(cell: Cell, kind: Kind) -> object:
    if isinstance(cell, Link):
        return cell.text
    if isinstance(cell, datetime):
        return cell.astimezone(REPORT_TZ).replace(tzinfo=None)
    if isinstance(cell, Decimal) and kind in (Kind.INT,):
        return int(cell)
    return cell


def _write_table(sheet: Worksheet, table: Table, base_url: str) -> None:
    bold = Font(bold=True)
    sheet.append([column.label for column in table.columns])
    for cell in sheet[1]:
        cell.font = bold
    rows = [*table.rows, *([table.footer] if table.footer is not None else [])]
    for row in rows:
        sheet.append(
            [
                _xlsx_value(cell, column.kind)
                for column, cell in zip(table.columns, row, strict=True)
            ]
        )
        written = sheet[sheet.max_row]
        for target, column, value in zip(written, table.columns, row, strict=True):
            if column.kind in _FORMATS:
                target.number_format = _FORMATS[column.kind]
            if isinstance(value, Link):
                target.hyperlink = base_url + value.url
                target.style = "Hyperlink"
    if table.footer is not None:
        for cell in sheet[sheet.max_row]:
            cell.font = bold
    sheet.freeze_panes = "A2"
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _width(column, table)


def _width(column: Column, table: Table) -> float:
    index = table.columns.index(column)
    longest = max(
        [len(column.label)] + [len(text_of(row[index], column.kind)) for row in table.rows[:200]]
    )
    return float(min(60, max(8, longest + 2)))


def report_xlsx(report: Report, *, base_url: str = "") -> bytes:
    """Return the whole report as an XLSX workbook: a summary sheet, then every table."""
    workbook = Workbook()
    summary = workbook.active
    if not isinstance(summary, Worksheet):  # openpyxl's stubs allow None
        raise TypeError("a new workbook has an active worksheet")
    used: set[str] = set()
    summary.title = _sheet_title("Сводка", used)
    summary.append([report.title])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([report.subtitle])
    summary.append([])
    for figure in report.figures:
        summary.append([figure.label, _xlsx_value(figure.value, figure.kind)])
        if figure.kind in _FORMATS:
            summary.cell(row=summary.max_row, column=2).number_format = _FORMATS[figure.kind]
    for note in report.notes:
        summary.append([note])
    summary.column_dimensions["A"].width = 50
    summary.column_dimensions["B"].width = 18
    for table in report.tables:
        _write_table(workbook.create_sheet(_sheet_title(table.title, used)), table, base_url)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(report: Report, extension: str, table: Table | None = None) -> str:
    """Return an ASCII file name such as `sla-2026-01.xlsx`."""
    stem = report.key if table is None else f"{report.key}-{table.key}"
    suffix = re.sub(r"[^0-9A-Za-z_-]+", "_", report.period_code)
    return f"{stem}{'-' + suffix if suffix else ''}.{extension}"
