"""Server-side SVG charts: well-formed, escaped, one mark per value."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicedesk.reports.domain.charts import Series, bar_chart, line_chart, nice_ceiling

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_a_stacked_bar_chart_draws_one_bar_per_positive_value() -> None:
    svg = bar_chart(
        ["Мега", "Аптека <script>"],
        [Series("В срок", [3, 0]), Series("Нарушено", [1, 2])],
        title="Реакция & решение",
    )
    root = parse(svg)
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]
    assert len(bars) == 3
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "Реакция & решение" in titles
    assert "Аптека <script> — Нарушено: 2" in titles
    assert "<script>" not in svg


def test_grouped_bars_sit_side_by_side() -> None:
    root = parse(bar_chart(["a"], [Series("x", [2]), Series("y", [4])], title="t", stacked=False))
    ys = [float(r.get("y")) for r in root.iter(f"{SVG}rect") if r.get("class") == "bar"]
    assert len(set(ys)) == 2


def test_a_line_chart_has_a_polyline_per_series_and_a_point_per_value() -> None:
    root = parse(
        line_chart(
            ["01", "02", "03"],
            [Series("Поступило", [1, 5, 2]), Series("Решено", [0, 1, 4])],
            title="Поток",
        )
    )
    assert len(list(root.iter(f"{SVG}polyline"))) == 2
    assert len(list(root.iter(f"{SVG}circle"))) == 6


def test_empty_charts_are_still_valid_svg() -> None:
    parse(bar_chart([], [Series("x", [])], title="пусто"))
    parse(line_chart([], [Series("x", [])], title="пусто"))
    parse(line_chart(["один"], [Series("x", [0])], title="одна точка"))


def test_series_must_match_the_categories() -> None:
    with pytest.raises(ValueError, match="values"):
        bar_chart(["a", "b"], [Series("x", [1])], title="t")


@given(st.floats(min_value=0.001, max_value=1e9, allow_nan=False))
def test_the_axis_maximum_is_round_and_not_below_the_data(value: float) -> None:
    ceiling = nice_ceiling(value)
    assert ceiling >= value
    assert ceiling <= value * 10


def test_bars_never_overflow_the_plot() -> None:
    root = parse(bar_chart(["a", "b"], [Series("x", [99, 1]), Series("y", [1, 0])], title="t"))
    for rect in root.iter(f"{SVG}rect"):
        if rect.get("class") == "bar":
            assert float(rect.get("x")) + float(rect.get("width")) <= 760
