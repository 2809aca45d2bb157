"""Simple bar charts drawn on the server as SVG: geometry here, markup in templates/facilitate/_charts.html.

No JavaScript and no style attribute: only SVG presentation attributes, so the
charts pass a strict Content-Security-Policy and print as they show.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    width: int
    height: int
    bars: tuple[Bar, ...]
    axis_y: float
    max_value: int
    horizontal: bool


def vertical_bars(title: str, description: str, items: list[tuple[str, int]], width: int = 640, height: int = 240) -> BarChart:
    """Columns, e.g. learners active per week (labels under the columns)."""
    # Side margins wide enough for half a label ("29 déc.") under the first and last columns.
    top, bottom, left, right = 20, 40, 24, 24
    plot_h = height - top - bottom
    max_value = max((v for _label, v in items), default=0) or 1
    slot = (width - left - right) / max(len(items), 1)
    bar_w = max(slot * 0.7, 1)
    bars = []
    for i, (label, value) in enumerate(items):
        h = plot_h * value / max_value
        x = left + i * slot + (slot - bar_w) / 2
        bars.append(Bar(label, value, round(x, 1), round(top + plot_h - h, 1), round(bar_w, 1), round(h, 1),
                        round(x + bar_w / 2, 1), round(top + plot_h - h - 4, 1)))
    return BarChart(title, description, width, height, tuple(bars), top + plot_h, max_value, False)


def horizontal_bars(title: str, description: str, items: list[tuple[str, int]], width: int = 640, row: int = 34) -> BarChart:
    """Rows, e.g. lessons completed per module (labels on the left)."""
    label_w, right, top = 260, 50, 10
    height = top * 2 + row * max(len(items), 1)
    max_value = max((v for _label, v in items), default=0) or 1
    plot_w = width - label_w - right
    bars = []
    for i, (label, value) in enumerate(items):
        w = plot_w * value / max_value
        y = top + i * row + row * 0.15
        bars.append(Bar(label, value, label_w, round(y, 1), round(w, 1), round(row * 0.7, 1),
                        round(label_w + w + 6, 1), round(y + row * 0.5, 1)))
    return BarChart(title, description, width, height, tuple(bars), label_w, max_value, True)
