"""Small server-side SVG charts: horizontal (stacked) bars and lines, no JavaScript.

Each function returns a self-contained `<svg>` string; every label goes through
`html.escape`, so the result may be inserted into a page as is. The numbers behind a
chart are always also shown as a table next to it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#2f6fb3", "#d9534f", "#8fbf5a", "#f0ad4e", "#7b5ea7", "#5bc0de", "#9e9e9e", "#c2185b")
WIDTH = 760
FONT = 12


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    colour: str | None = None


def _colour(series: Series, index: int) -> str:
    return series.colour or PALETTE[index % len(PALETTE)]


def nice_ceiling(value: float) -> float:
    """Return a round axis maximum at or above `value` (1, 2, 2.5, 5 × 10^n)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)  # pragma: no cover  (the loop always returns)


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{value:,.1f}".replace(",", "\u202f").replace(".", ",")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _legend(series: Sequence[Series], y: int) -> list[str]:
    parts = []
    x = 10
    for index, item in enumerate(series):
        parts.append(
            f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{_colour(item, index)}"/>'
            f'<text x="{x + 16}" y="{y}" font-size="{FONT}">{escape(item.name)}</text>'
        )
        x += 16 + 8 * len(item.name) + 24
    return parts


def _open(height: int, label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{escape(label)}" font-family="sans-serif">'
        f"<title>{escape(label)}</title>"
    )


def bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    stacked: bool = True,
    unit: str = "",
) -> str:
    """Return horizontal bars, one row per category, the series stacked (or side by side)."""
    for item in series:
        if len(item.values) != len(categories):
            raise ValueError(f"series «{item.name}» has {len(item.values)} values")
    label_width = 220
    plot_width = WIDTH - label_width - 70
    bar = 18 if stacked else max(8, 18 // max(1, len(series)) + 4)
    row = (bar if stacked else bar * len(series)) + 10
    top = 34
    height = top + row * max(1, len(categories)) + 26
    totals = [
        sum(float(item.values[i]) for item in series)
        if stacked
        else max((float(item.values[i]) for item in series), default=0.0)
        for i in range(len(categories))
    ]
    axis_max = nice_ceiling(max(totals, default=0))
    scale = plot_width / axis_max
    parts = [_open(height, title), *_legend(series, 18)]
    for tick in range(5):
        value = axis_max * tick / 4
        x = label_width + value * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 22}" '
            'stroke="#ddd" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{height - 8}" font-size="10" text-anchor="middle" '
            f'fill="#555">{escape(_number(value))}</text>'
        )
    for i, category in enumerate(categories):
        y = top + i * row
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar * 0.75:.1f}" font-size="{FONT}" '
            f'text-anchor="end"><title>{escape(category)}</title>'
            f"{escape(_shorten(category, 32))}</text>"
        )
        offset = 0.0
        for index, item in enumerate(series):
            value = float(item.values[i])
            if value <= 0:
                continue
            width = value * scale
            x = label_width + (offset if stacked else 0)
            bar_y = y if stacked else y + index * bar
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{bar_y}" width="{max(width, 1):.1f}" '
                f'height="{bar - 2}" fill="{_colour(item, index)}">'
                f"<title>{escape(category)} — {escape(item.name)}: "
                f"{escape(_number(value))}{escape(unit)}</title></rect>"
            )
            if stacked:
                offset += width
        if stacked and totals[i] > 0:
            parts.append(
                f'<text x="{label_width + offset + 4:.1f}" y="{y + bar * 0.75:.1f}" '
                f'font-size="11" fill="#333">{escape(_number(totals[i]))}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    labels: Sequence[str], series: Sequence[Series], *, title: str, unit: str = ""
) -> str:
    """Return one polyline per series over the x labels (days, weeks or months)."""
    for item in series:
        if len(item.values) != len(labels):
            raise ValueError(f"series «{item.name}» has {len(item.values)} values")
    left, right, top, bottom = 50, 16, 34, 40
    height = 280
    plot_w = WIDTH - left - right
    plot_h = height - top - bottom
    axis_max = nice_ceiling(max((max(s.values, default=0) for s in series), default=0))
    count = max(1, len(labels))
    step = plot_w / max(1, count - 1) if count > 1 else 0

    def point(i: int, value: float) -> tuple[float, float]:
        x = left + (i * step if count > 1 else plot_w / 2)
        return x, top + plot_h - (value / axis_max) * plot_h

    parts = [_open(height, title), *_legend(series, 18)]
    for tick in range(5):
        value = axis_max * tick / 4
        y = top + plot_h - plot_h * tick / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="#555">{escape(_number(value))}</text>'
        )
    every = max(1, math.ceil(count / 12))
    for i, label in enumerate(labels):
        if i % every == 0 or i == count - 1:
            x, _ = point(i, 0)
            parts.append(
                f'<text x="{x:.1f}" y="{height - bottom + 16}" font-size="10" '
                f'text-anchor="middle" fill="#555">{escape(label)}</text>'
            )
    for index, item in enumerate(series):
        colour = _colour(item, index)
        points = [point(i, float(v)) for i, v in enumerate(item.values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(
            f'<polyline class="line" fill="none" stroke="{colour}" stroke-width="2" '
            f'points="{path}"><title>{escape(item.name)}</title></polyline>'
        )
        for (x, y), label, value in zip(points, labels, item.values, strict=True):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}">'
                f"<title>{escape(label)} — {escape(item.name)}: "
                f"{escape(_number(float(value)))}{escape(unit)}</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)
