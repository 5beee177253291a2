"""Charts drawn on the server as inline SVG (no JavaScript library): the general level's steps
over time per area, and horizontal bar charts for the body's dashboard."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from vigie.core.choices import ThreatLevel

register = template.Library()

PALETTE = ("#1d5a8a", "#a00", "#2a7d2a", "#c60", "#6a3d9a", "#555")
WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 150, 20, 15, 40


def _x(moment: datetime, start: datetime, end: datetime) -> float:
    span = (end - start).total_seconds() or 1.0
    return LEFT + (WIDTH - LEFT - RIGHT) * (moment - start).total_seconds() / span


def _y(level: int) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (4 - level) / 3


@register.simple_tag
def step_chart(series: Sequence[dict[str, Any]], start: datetime, end: datetime, title: str) -> str:
    """Steps of levels over time, one line per area.

    `series`: [{"label": str, "steps": [(since: datetime, level: int), ...]}], steps in order.
    """
    if not series:
        return ""
    parts = [
        f'<svg class="chart step-chart" role="img" width="100%"'
        f' viewBox="0 0 {WIDTH} {HEIGHT + 20 * len(series)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for level in ThreatLevel:
        y = _y(level.value)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"'
            ' stroke="#ddd"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{escape(level.label)}</text>"
        )
    parts.append(
        f'<text x="{LEFT}" y="{HEIGHT - BOTTOM + 16}" font-size="11">{start:%Y-%m-%d}</text>'
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - BOTTOM + 16}" font-size="11" text-anchor="end">'
        f"{end:%Y-%m-%d}</text>"
    )
    for index, one in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        offset = 3 * index  # lines at the same level stay distinguishable
        steps = one["steps"]
        if not steps:
            continue
        d = [f"M{_x(steps[0][0], start, end):.1f},{_y(steps[0][1]) - offset:.1f}"]
        for since, level in steps[1:]:
            d.append(f"H{_x(since, start, end):.1f}V{_y(level) - offset:.1f}")
        d.append(f"H{WIDTH - RIGHT}")
        parts.append(
            f'<path d="{"".join(d)}" fill="none" stroke="{colour}" stroke-width="2.5"'
            f' data-area="{escape(one.get("area", ""))}"/>'
        )
        for since, level in steps:
            parts.append(
                f'<circle cx="{_x(since, start, end):.1f}" cy="{_y(level) - offset:.1f}" r="3"'
                f' fill="{colour}"><title>{escape(one["label"])}: '
                f"{escape(ThreatLevel(level).label)} ({since:%Y-%m-%d})</title></circle>"
            )
        y = HEIGHT + 20 * index
        parts.append(
            f'<rect x="{LEFT}" y="{y - 9}" width="14" height="4" fill="{colour}"/>'
            f'<text x="{LEFT + 20}" y="{y}" font-size="12">{escape(one["label"])}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped


@register.simple_tag
def bar_chart(bars: Sequence[tuple[str, int]], title: str) -> SafeString:
    """Horizontal bars: [(label, value)], each labelled with its value."""
    rows = list(bars)
    if not rows:
        return format_html("")
    top = max((v for _, v in rows), default=0) or 1
    row_height, label_width, width = 24, 200, 520
    height = row_height * len(rows) + 6
    parts = [
        f'<svg class="chart bar-chart" role="img" viewBox="0 0 {width} {height}" width="100%"'
        f' xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for index, (label, value) in enumerate(rows):
        y = index * row_height + 3
        length = (width - label_width - 50) * value / top
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(label)}</text>"
            f'<rect x="{label_width}" y="{y + 2}" width="{length:.1f}" height="{row_height - 8}"'
            f' fill="{PALETTE[0]}"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + 15}" font-size="12"'
            f' class="bar-value">{int(value)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped
