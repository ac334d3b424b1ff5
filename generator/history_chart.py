"""A small price-history chart, drawn as inline SVG at build time (no script runs).

Input and output prices per 1M tokens are drawn as step lines: a price holds
from its date until the next change. The chart is an image for assistive
technology (``role="img"``) whose ``<title>`` and ``<desc>`` say in words what
the lines show; the table beside it carries the same facts. Colours come from
the stylesheet through class names, so the chart follows the site's light and
dark themes and needs no inline style (the Content-Security-Policy forbids it).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from markupsafe import Markup

from .compiled import escape_text
from .history import Period
from .money import format_usd

WIDTH, HEIGHT = 560, 200
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 40
SERIES = (("input", "Input", "chart-input"), ("output", "Output", "chart-output"))


def _points(timeline: list[Period], dimension: str) -> list[tuple[dt.date, Decimal]]:
    points: list[tuple[dt.date, Decimal]] = []
    for period in timeline:
        value = period.prices.get(dimension)
        if isinstance(value, Decimal):
            points.append((period.date, value))
    return points


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def history_chart(timeline: list[Period], chart_id: str, end: dt.date | None = None) -> Markup:
    """An SVG chart of the input and output prices of ``timeline``; empty when nothing changed."""
    series = [(dim, label, css, _points(timeline, dim)) for dim, label, css in SERIES]
    series = [s for s in series if len(s[3]) >= 2]
    if not series:
        return Markup("")
    dates = [d for *_, points in series for d, _ in points]
    first, last = min(dates), max([*dates, end or min(dates)])
    span = max((last - first).days, 1)
    top = max(v for *_, points in series for _, v in points) or Decimal(1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: dt.date) -> float:
        return LEFT + plot_w * (day - first).days / span

    def y(value: Decimal) -> float:
        return TOP + plot_h * (1 - float(value / top))

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    described = " ".join(
        f"{label} per 1M tokens: "
        + ", then ".join(f"{format_usd(v)} from {d.isoformat()}" for d, v in points)
        + "."
        for _, label, _, points in series
    )
    parts = [
        f'<svg class="history-chart" id="{chart_id}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">Price history, US dollars per 1M tokens</title>',
        f'<desc id="{desc_id}">{escape_text(described)}</desc>',
        f'<line class="chart-axis" x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}"/>',
        f'<line class="chart-axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}"/>',
        f'<text class="chart-label" x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{escape_text(format_usd(top))}</text>',
        f'<text class="chart-label" x="{LEFT - 6}" y="{TOP + plot_h}" text-anchor="end">$0</text>',
        f'<text class="chart-label" x="{LEFT}" y="{HEIGHT - BOTTOM + 16}">{first.isoformat()}</text>',
        f'<text class="chart-label" x="{WIDTH - RIGHT}" y="{HEIGHT - BOTTOM + 16}" text-anchor="end">{last.isoformat()}</text>',
    ]
    # each date and price is placed several times (a step's two ends, its dot): work it out once
    xs = {day: _fmt(x(day)) for *_, points in series for day, _ in points} | {last: _fmt(x(last))}
    ys = {value: _fmt(y(value)) for *_, points in series for _, value in points}
    for index, (_, label, css, points) in enumerate(series):
        coords: list[str] = []
        for i, (day, value) in enumerate(points):
            until = points[i + 1][0] if i + 1 < len(points) else last
            coords += [f"{xs[day]},{ys[value]}", f"{xs[until]},{ys[value]}"]
        parts.append(f'<polyline class="chart-line {css}" points="{" ".join(coords)}"/>')
        for day, value in points:
            parts.append(
                f'<circle class="chart-dot {css}" cx="{xs[day]}" cy="{ys[value]}" r="3">'
                f"<title>{label} {escape_text(format_usd(value))} from {day.isoformat()}</title></circle>"
            )
        legend_x = LEFT + index * 110
        parts.append(
            f'<line class="chart-line {css}" x1="{legend_x}" y1="{HEIGHT - 8}" x2="{legend_x + 20}" y2="{HEIGHT - 8}"/>'
            f'<text class="chart-label" x="{legend_x + 26}" y="{HEIGHT - 4}">{label}</text>'
        )
    parts.append("</svg>")
    return Markup("\n".join(parts))
