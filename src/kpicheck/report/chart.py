"""One indicator's chart as inline SVG: figures per unit over the years, each target as what it is.

SVG written here rather than by a charting library: the page has to open
offline and stay small (Plotly's own script is 4.8 MB, three times the whole
page's budget), print on A4 without a toolbar, and say things a generic chart
does not: a target is a marker at its year labelled with its operator
(``< 25%``), not a line implying targets in between; a standing target is a
line across the period; a unit's projection is dotted in the unit's colour;
figures are drawn over the targets so a figure equal to its target stays visible.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

# Unit colours (Tableau 10): distinct from one another and readable on white and in print.
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#9c755f",
    "#ff9da7",
    "#bab0ac",
    "#e15759",
)
TARGET = "#c62828"
WIDTH, HEIGHT = 600, 300
LEFT, RIGHT, TOP, BOTTOM = 62, 72, 16, 34


@dataclass
class Series:
    """One unit's figures (year, value), its projection (year, value) and how to describe a point."""

    name: str
    colour: str
    points: list[tuple[int, float]]
    projection: tuple[int, float] | None = None
    tips: list[str] = field(default_factory=list)  # one per point: shown on hover


@dataclass
class Band:
    """Many units summarised: per year the median and the 10th–90th percentile."""

    name: str
    years: list[int]
    low: list[float]
    median: list[float]
    high: list[float]


@dataclass
class Mark:
    """A target: at a year (``year``) or standing over the period (``year`` None)."""

    year: int | None
    value: float
    text: str  # ``< 25%``


def svg(
    series: Sequence[Series],
    marks: Sequence[Mark],
    fmt: Callable[[float], str],
    title: str,
    band: Band | None = None,
    lo: float | None = None,
    hi: float | None = None,
) -> str:
    """The chart; ``fmt`` writes a number with its unit for the axis and labels; ``lo``/``hi`` bound
    the axis (0 and 100 for a percent)."""
    years = sorted(
        {y for s in series for y, _ in s.points}
        | {s.projection[0] for s in series if s.projection}
        | {m.year for m in marks if m.year is not None}
        | set(band.years if band else [])
    )
    values = [v for s in series for _, v in s.points]
    values += [s.projection[1] for s in series if s.projection]
    values += [m.value for m in marks]
    if band:
        values += band.low + band.high
    if not years or not values:
        return ""
    x0, x1 = years[0] - 0.5, years[-1] + 0.5
    y0, y1, ticks = _axis(min(values), max(values), lo, hi)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(year: float) -> float:
        return round(LEFT + (year - x0) / (x1 - x0) * plot_w, 1)

    def y(value: float) -> float:
        return round(TOP + (y1 - value) / (y1 - y0) * plot_h, 1)

    marked = {m.year for m in marks if m.year is not None}
    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{_e(title)}"'
        ' xmlns="http://www.w3.org/2000/svg">',
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fff" stroke="#ccc"/>',
    ]
    for tick in ticks:
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick)}" y2="{y(tick)}" stroke="#eee"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4}" text-anchor="end" class="tick">{_e(fmt(tick))}</text>'
        )
    step = max(1, math.ceil(len(range(years[0], years[-1] + 1)) / 14))
    for year in range(years[0], years[-1] + 1, step):
        weight = ' font-weight="bold"' if year in marked else ""
        out.append(
            f'<text x="{x(year)}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" class="tick"{weight}>'
            f"{year}</text>"
        )
    for mark in marks:  # under the figures: a figure equal to its target stays in sight
        if mark.year is None:
            out.append(
                f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(mark.value)}" y2="{y(mark.value)}"'
                f' stroke="{TARGET}" stroke-dasharray="6 4" stroke-width="1.5"/>'
                f'<text x="{WIDTH - RIGHT - 4}" y="{y(mark.value) - 5}" text-anchor="end" class="target">'
                f"{_e(mark.text)}</text>"
            )
            continue
        cx, cy = x(mark.year), y(mark.value)
        out.append(
            f'<g class="mark"><title>{_e(mark.text)} ({mark.year})</title>'
            f'<line x1="{cx - 16}" x2="{cx + 16}" y1="{cy}" y2="{cy}" stroke="{TARGET}" stroke-width="3"/>'
            f'<text x="{cx + 19}" y="{cy + 4}" class="target">{_e(mark.text)}</text></g>'
        )
    if band:
        upper = " ".join(f"{x(t)},{y(v)}" for t, v in zip(band.years, band.high, strict=True))
        lower = " ".join(f"{x(t)},{y(v)}" for t, v in reversed(list(zip(band.years, band.low, strict=True))))
        median = " ".join(f"{x(t)},{y(v)}" for t, v in zip(band.years, band.median, strict=True))
        out.append(
            f'<polygon points="{upper} {lower}" fill="#90a4ae" fill-opacity="0.25" stroke="none"/>'
            f'<polyline points="{median}" fill="none" stroke="#455a64" stroke-width="2"/>'
        )
    for s in series:
        if s.projection and s.points:
            (py, pv), (ly, lv) = s.projection, s.points[-1]
            out.append(
                f'<line x1="{x(ly)}" y1="{y(lv)}" x2="{x(py)}" y2="{y(pv)}" stroke="{s.colour}"'
                f' stroke-dasharray="2 3" stroke-width="2"/>'
                f'<circle cx="{x(py)}" cy="{y(pv)}" r="4.5" fill="#fff" stroke="{s.colour}" stroke-width="2">'
                f"<title>{_e(s.name)} {py}: {_e(fmt(pv))}</title></circle>"
            )
        if len(s.points) > 1:
            line = " ".join(f"{x(t)},{y(v)}" for t, v in s.points)
            out.append(f'<polyline points="{line}" fill="none" stroke="{s.colour}" stroke-width="2"/>')
        for n, (t, v) in enumerate(s.points):
            tip = s.tips[n] if n < len(s.tips) else f"{s.name} {t}: {fmt(v)}"
            out.append(
                f'<circle cx="{x(t)}" cy="{y(v)}" r="4" fill="{s.colour}" stroke="#fff" stroke-width="1">'
                f"<title>{_e(tip)}</title></circle>"
            )
    out.append("</svg>")
    return "".join(out)


def _axis(low: float, high: float, lo: float | None, hi: float | None) -> tuple[float, float, list[float]]:
    """Bounds with a margin and round ticks (1, 2 or 5 × 10^k apart)."""
    least = max(abs(high), abs(low)) * 0.1 or 1.0  # 29.9 against 30 is not drawn as a cliff
    if high - low < least:
        middle = (high + low) / 2
        low, high = middle - least / 2, middle + least / 2
    span = high - low
    low, high = low - span * 0.1, high + span * 0.1
    if lo is not None:
        low = max(low, lo)
    if hi is not None:
        high = min(high, hi)
    raw = (high - low) / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    ticks = [round(first + i * step, 10) for i in range(round((last - first) / step) + 1)]
    return first, last, ticks


def _e(text: str) -> str:
    return html.escape(text, quote=True)
