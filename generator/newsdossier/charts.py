"""Build-time charts: one inline SVG per figure series (no chart library, nothing fetched).

A horizontal bar per figure, one row per claimant and statement, in the order the figures were
stated or reported. There is deliberately no time axis: most dates in the sources are only
known to the month or not at all, and evenly spaced points on a time line would suggest a
precision the sources do not have.

The qualifier of a number is part of the picture, not only of the label:
* exact / about: a filled bar ("rund" is printed before the value),
* more-than / at-least: a filled bar with an arrow beyond its end (the true value is higher),
* up-to: an outlined, dashed bar (the true value may be anything up to its end).

Colours come from CSS classes (``theme/assets/dossier.css``) using custom properties
and ``currentColor``, so the chart follows Material's light and dark (slate) schemes.
"""

from __future__ import annotations

import math

from markupsafe import Markup, escape

WIDTH = 400
ROW = 40          # height of one row: label line + bar
BAR = 14
TOP = 8
AXIS = 30         # room for the tick labels at the bottom
PAD_RIGHT = 22    # room for the "more than" arrow


def nice_max(value: float) -> tuple[float, float]:
    """(axis maximum, tick step) with 2-5 ticks on round numbers."""
    if value <= 0:
        return 1.0, 1.0
    exp = 10 ** math.floor(math.log10(value))
    for mult in (1, 2, 2.5, 5, 10):
        step = mult * exp / 2
        top = math.ceil(value / step) * step
        if top / step <= 5:
            return top, step
    return math.ceil(value / exp) * exp, exp


def bar_chart(chart_id: str, title: str, desc: str, rows: list[dict], fmt) -> Markup:
    """rows: {label, value, qualifier, text} in display order. ``fmt`` formats numbers."""
    top_value, step = nice_max(max((r["value"] for r in rows), default=0))
    plot_w = WIDTH - PAD_RIGHT
    height = TOP + ROW * len(rows) + AXIS

    def x(v: float) -> float:
        return round(v / top_value * plot_w, 1)

    e = lambda s: str(escape(s))  # noqa: E731
    parts = [
        f'<svg class="dossier-chart" id="{e(chart_id)}" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{e(chart_id)}-title {e(chart_id)}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{e(chart_id)}-title">{e(title)}</title>',
        f'<desc id="{e(chart_id)}-desc">{e(desc)}</desc>',
    ]
    axis_y = TOP + ROW * len(rows)
    ticks = []
    n = 0
    while n * step <= top_value + 1e-9:
        ticks.append(n * step)
        n += 1
    for t in ticks:
        tx = x(t)
        anchor = "start" if t == 0 else ("end" if tx > plot_w - 24 else "middle")
        parts.append(f'<line class="dossier-chart__grid" x1="{tx}" x2="{tx}" y1="{TOP}" y2="{axis_y}"/>')
        parts.append(f'<text class="dossier-chart__tick" x="{tx}" y="{axis_y + 20}" text-anchor="{anchor}">{e(fmt(t))}</text>')
    for i, r in enumerate(rows):
        y = TOP + ROW * i
        by = y + 19
        w = max(x(r["value"]), 1.5)
        q = r["qualifier"]
        parts.append(f'<g class="dossier-chart__row dossier-chart__row--{e(q)}">')
        parts.append(f'<text class="dossier-chart__label" x="0" y="{y + 14}">{e(r["label"])}: <tspan class="dossier-chart__value">{e(r["text"])}</tspan></text>')
        if q == "up-to":
            parts.append(f'<rect class="dossier-chart__bar dossier-chart__bar--open" x="0.75" y="{by}" width="{max(w - 1.5, 0.5)}" height="{BAR}"/>')
        else:
            parts.append(f'<rect class="dossier-chart__bar" x="0" y="{by}" width="{w}" height="{BAR}"/>')
        if q in ("more-than", "at-least"):
            mid = by + BAR / 2
            parts.append(f'<path class="dossier-chart__arrow" d="M{w + 2} {by - 2} L{w + 15} {mid} L{w + 2} {by + BAR + 2} Z"/>')
        parts.append("</g>")
    parts.append(f'<line class="dossier-chart__axis" x1="0" x2="{plot_w}" y1="{axis_y}" y2="{axis_y}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
