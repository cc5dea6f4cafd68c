"""Build-time charts: one inline SVG per figure series (no chart library, nothing fetched).

A horizontal bar per statement, largest first (the caller sorts and merges: one bar per
claimant and number, however many articles report it). There is deliberately no time axis:
most dates in the sources are only known to the month or not at all, and evenly spaced points
on a time line would suggest a precision the sources do not have.

The qualifier of a number is part of the picture, not only of the label:
* exact / about: a filled bar ("rund" is printed before the value),
* more-than / at-least: a filled bar with an arrow beyond its end (the true value is higher),
* up-to: an outlined, dashed bar (the true value may be anything up to its end).

An outlier (a number more than CLIP_RATIO times the next smaller one, e.g. "bis zu 100.000"
beside 1,500-12,000) would squash every other bar into a sliver. The scale then follows the
other numbers and the outlier's bar runs to the edge with a break mark; its label carries the
full value, and the description says that the bar is cut.

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
CLIP_RATIO = 3    # a value this many times the next smaller one is drawn cut (see above)


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


def scale_top(values: list[float]) -> tuple[float, float]:
    """(the value the scale must reach, the smallest value drawn cut) for these values: the
    largest, unless it is more than CLIP_RATIO times the next smaller one (repeatedly)."""
    vs = sorted({v for v in values if v > 0}, reverse=True)
    top, cut_from = (vs[0] if vs else 0), math.inf
    while len(vs) > 1 and vs[0] > CLIP_RATIO * vs[1]:
        cut_from = vs[0]
        vs.pop(0)
        top = vs[0]
    return top, cut_from


def bar_chart(chart_id: str, title: str, desc: str, rows: list[dict], fmt) -> Markup:
    """rows: {label, value, qualifier, text, note (optional, after the value)} in display
    order. ``fmt`` formats numbers.
    Values beyond the scale (see scale_top) are drawn cut."""
    reach, cut_from = scale_top([r["value"] for r in rows])
    top_value, step = nice_max(reach)
    plot_w = WIDTH - PAD_RIGHT
    height = TOP + ROW * len(rows) + AXIS

    def x(v: float) -> float:
        return round(min(v, top_value) / top_value * plot_w, 1)

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
        cut = r["value"] >= cut_from and r["value"] > top_value
        w = max(x(r["value"]), 1.5)
        q = r["qualifier"]
        parts.append(f'<g class="dossier-chart__row dossier-chart__row--{e(q)}{" dossier-chart__row--cut" if cut else ""}">')
        note = f' <tspan class="dossier-chart__note">{e(r["note"])}</tspan>' if r.get("note") else ""
        parts.append(f'<text class="dossier-chart__label" x="0" y="{y + 14}">{e(r["label"])}: <tspan class="dossier-chart__value">{e(r["text"])}</tspan>{note}</text>')
        if q == "up-to":
            parts.append(f'<rect class="dossier-chart__bar dossier-chart__bar--open" x="0.75" y="{by}" width="{max(w - 1.5, 0.5)}" height="{BAR}"/>')
        else:
            parts.append(f'<rect class="dossier-chart__bar" x="0" y="{by}" width="{w}" height="{BAR}"/>')
        if cut:  # a break mark: a gap between two slanted strokes across the bar near its end
            bx = round(w - 18, 1)
            gap = f"M{bx} {by + BAR + 4} L{bx + 8} {by - 4}"
            parts.append(f'<path class="dossier-chart__break" d="{gap}"/>')
            for dx in (-3, 3):
                parts.append(f'<path class="dossier-chart__break-line" d="M{bx + dx} {by + BAR + 4} L{bx + dx + 8} {by - 4}"/>')
        if q in ("more-than", "at-least"):
            mid = by + BAR / 2
            parts.append(f'<path class="dossier-chart__arrow" d="M{w + 2} {by - 2} L{w + 15} {mid} L{w + 2} {by + BAR + 2} Z"/>')
        parts.append("</g>")
    parts.append(f'<line class="dossier-chart__axis" x1="0" x2="{plot_w}" y1="{axis_y}" y2="{axis_y}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
