"""A report as data: titled tables with typed columns, figures and charts (no Django)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """How a column's values are shown and exported."""

    TEXT = "text"
    INT = "int"
    HOURS = "hours"  # Decimal, two places
    MONEY = "money"  # Decimal roubles, two places
    PERCENT = "percent"  # float 0–100, one place; None when there is nothing to measure
    DATE = "date"
    DATETIME = "datetime"  # aware, shown in Moscow time


@dataclass(frozen=True)
class Link:
    """A cell that points somewhere (a ticket); exports keep the text and the address."""

    text: str
    url: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind = Kind.TEXT


Cell = str | int | float | Decimal | date | datetime | Link | None


@dataclass
class Table:
    """One table of a report; every chart of the report is also one of these."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    footer: list[Cell] | None = None
    note: str = ""

    def add(self, *cells: Cell) -> None:
        if len(cells) != len(self.columns):
            raise ValueError(f"{self.key}: {len(cells)} cells for {len(self.columns)} columns")
        self.rows.append(list(cells))

    def records(self) -> list[dict[str, Any]]:
        """Return the rows as dicts keyed by column key (for the JSON API)."""
        return [_record(self.columns, row) for row in self.rows]

    def footer_record(self) -> dict[str, Any] | None:
        return _record(self.columns, self.footer) if self.footer is not None else None


def _record(columns: list[Column], row: list[Cell]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for column, cell in zip(columns, row, strict=True):
        if isinstance(cell, Link):
            result[column.key] = cell.text
            result[f"{column.key}_url"] = cell.url
        else:
            result[column.key] = cell
    return result


@dataclass(frozen=True)
class Figure:
    """A headline number of a report."""

    label: str
    value: Cell
    kind: Kind = Kind.INT
    hint: str = ""


@dataclass(frozen=True)
class Chart:
    """A rendered SVG chart and the table that holds the same numbers."""

    title: str
    svg: str
    table_key: str


@dataclass
class Report:
    key: str
    title: str
    subtitle: str
    period_code: str = ""  # for file names: 2026-01, 2026-01-01_2026-03-31
    tables: list[Table] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)


def percent(part: int, whole: int) -> float | None:
    """Return part/whole in percent with one decimal, or None when whole is zero."""
    if whole <= 0:
        return None
    return round(100 * part / whole, 1)
