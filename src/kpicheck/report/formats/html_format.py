"""``--format html``: one page a province office prints and files, leading with what failed.

In order: the plan, its document, the date and the files read; the files
set aside, if any (the report is incomplete without them); the summary;
what failed (unit, indicator, year, value, target, gap, and the unit's own
note when there is one); the units worst first; for each indicator the status
of each unit in every year that has a target or a figure (target years
marked); the units' own notes; then a chart per indicator. It is
self-contained (no script, no network), fits 1280 px and prints on A4.

The page stays small however many units there are: the lists stop at a
number of rows and say how many more there are (the CSV and the workbook
have every row); past ``GRID_UNITS`` units the grid counts statuses per
indicator and year instead of listing units, and a chart draws the units
with the most failing results plus the median and the 10th–90th percentile
of all units.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any, TextIO

import pandas as pd

from kpicheck.plan.model import Indicator, Plan
from kpicheck.report import chart, errors_section
from kpicheck.report.cells import Cells, has_user_notes, indicator_name, missing, plan_title, stated
from kpicheck.report.keep import Keeps
from kpicheck.report.labels import UNIT_SUFFIX, Lang, label, number, whole
from kpicheck.report.report import Report
from kpicheck.report.style import COLOURS, FILLS

FAILED_ROWS = 200  # rows of "what failed" shown; the rest are counted
BY_INDICATOR_FROM = 30  # failing results past which they are first counted per indicator
UNIT_ROWS = 60  # units in the per-unit table
NOTE_ROWS = 200  # rows of the units' own notes shown; the rest are counted
GRID_UNITS = 30  # past this many units the grid counts statuses instead of listing units
CHART_UNITS = 8  # units drawn one by one in a chart
INPUT_NAMES = 12  # input files named in the header


def keeps() -> Keeps:
    """What the page lists: the first failures, a whole plan of few units (its grid), the first
    notes, the lines of each chart; everything else it counts."""
    return Keeps(failing=FAILED_ROWS, plan_units=GRID_UNITS, noted=NOTE_ROWS, charted=CHART_UNITS)


STYLE = """
*{box-sizing:border-box}
body{font-family:system-ui,'Segoe UI',Roboto,'Noto Sans',sans-serif;margin:0 auto;padding:16px 24px;
max-width:1280px;color:#212121;font-size:14px;line-height:1.4}
h1{font-size:22px;margin:0 0 6px}h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid #eee}
h3{font-size:15px;margin:18px 0 6px}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0;color:#424242}
dl.meta dt{font-weight:600}dl.meta dd{margin:0;overflow-wrap:anywhere}
.chips span{display:inline-block;margin:2px 6px 2px 0;padding:2px 8px;border-radius:10px;font-weight:600}
table{border-collapse:collapse;margin:6px 0;max-width:100%}
th,td{border:1px solid #ddd;padding:3px 7px;vertical-align:top;text-align:left}
th{background:#f5f5f5}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.u{white-space:nowrap}
table.grid td.s{text-align:center;white-space:nowrap;font-variant-numeric:tabular-nums;min-width:58px}
table.grid th.y{text-align:center}table.grid th.t{background:#ffebee}
table.grid tr.ind th{background:#fafafa;font-weight:600;text-align:left}
.note{color:#616161;font-size:13px}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:12px 20px}
figure{margin:0;break-inside:avoid;page-break-inside:avoid}
figcaption{font-weight:600;font-size:13px;margin-bottom:2px}
svg.chart{width:100%;height:auto;display:block}
svg .tick{font-size:11px;fill:#555}svg .target{font-size:11px;fill:#c62828;font-weight:600}
.legend{font-size:12px;margin:2px 0 0}.legend span{margin-right:10px;white-space:nowrap}
.legend i{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:4px;vertical-align:-1px}
.bar{display:flex;height:14px;min-width:70px;border:1px solid #ccc}.bar span{display:block;height:100%}
@page{size:A4;margin:12mm}
@media print{body{padding:0;font-size:10pt;max-width:none}h2{break-after:avoid}
table{font-size:9pt}tr,figure{break-inside:avoid}.charts{grid-template-columns:1fr 1fr}
.chips span,td.s,.bar span,.legend i{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


def render(report: Report, out: TextIO, color: bool = False) -> None:
    lang = report.lang
    cells = Cells(report.plans, lang)
    title = " · ".join(plan_title(p, lang) for p in report.plans.values()) or "kpicheck"
    units = report.unit_summary()
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{STYLE}</style></head><body>",
        _header(report, lang),
        *errors_section.html_parts(report.errors, lang),
        *errors_section.html_warnings(report.warnings, lang),
        _summary(report, lang),
        _failed(report, cells),
        _units(units, lang),
    ]
    for plan_id in report.plan_ids():
        plan = report.plans.get(plan_id)
        if plan is not None:
            rows, every = report.rows_of(plan_id), report.rows_of(plan_id, every=True)
            parts.append(_grid(plan, rows, every, cells, len(report.plans) > 1))
            parts.append(_user_notes(rows, report.noted_count(plan_id), cells))
            parts.append(_charts(plan, rows, every, units, cells))
    if len(report.milestones):
        parts.append(_milestones(report, lang))
    parts.append("</body></html>")
    out.write("\n".join(p for p in parts if p))
    out.write("\n")


def _header(report: Report, lang: Lang) -> str:
    facts: list[tuple[str, str]] = []
    for plan in report.plans.values():
        facts.append((label("plan", lang), f"{plan.id} · {plan.issuer} · {plan.area}"))
        facts.append((label("document", lang), plan.source.document))
    facts.append((label("generated", lang), report.generated.strftime("%d/%m/%Y %H:%M")))
    if report.as_of:
        facts.append((label("as_of", lang), report.as_of))
    if report.inputs:
        names = report.inputs[:INPUT_NAMES]
        more = len(report.inputs) - len(names)
        facts.append((label("inputs", lang), ", ".join(names) + (f" (+{more})" if more else "")))
    rows = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in facts)
    heading = " · ".join(plan_title(p, lang) for p in report.plans.values()) or "kpicheck"
    return f'<header><h1>{_e(heading)}</h1><dl class="meta">{rows}</dl></header>'


def _summary(report: Report, lang: Lang) -> str:
    counts = report.summary()
    chips = "".join(
        f'<span style="background:{FILLS.get(s, "#eee")}">{n} {_e(label(s, lang))}</span>'
        for s, n in counts.items()
        if n
    )
    failing = sum(n for s, n in counts.items() if s in report.fail_on)
    words = ", ".join(label(s, lang) for s in sorted(report.fail_on))
    means = label("failed_means", lang).format(statuses=words)
    return (
        f'<section id="summary"><p class="chips"><b>{_e(label("summary", lang))}:</b> {chips}</p>'
        f'<p><b>{_e(label("failed", lang))}: {failing}</b> <span class="note">({_e(means)})</span></p>'
        "</section>"
    )


def _failed(report: Report, cells: Cells) -> str:
    lang = cells.lang
    failed = report.failing_count()
    head = f'<section id="failed"><h2>{_e(label("what_failed", lang))} ({failed})</h2>'
    if not failed:
        return head + f"<p>{_e(label('nothing_failed', lang))}</p></section>"
    shown = report.failing().head(FAILED_ROWS)
    if failed > BY_INDICATOR_FROM:
        head += _failed_by_indicator(report.failing(every=True), cells)
    notes = has_user_notes(shown)
    keys = ["unit", "indicator", "year", "value", "target", "status", "gap"]
    if notes:
        keys.append("user_note")
    rows = []
    for row in shown.itertuples(index=False):
        status = str(row.status)
        note = f"<td>{_e(cells.user_note(row))}</td>" if notes else ""
        rows.append(
            "<tr>"
            f'<td class="u">{_e(str(row.unit))}</td><td>{_e(cells.name(row))}</td>'
            f'<td class="n">{row.year}</td><td class="n">{_e(cells.value(row))}</td>'
            f'<td class="n">{_e(cells.target(row))}</td>'
            f'<td style="background:{FILLS.get(status, "#fff")}">{_e(cells.status(row))}</td>'
            f'<td class="n">{_e(cells.gap(row))}</td>{note}</tr>'
        )
    table = _table([label(k, lang) for k in keys], rows)
    return head + table + _more(len(shown), failed, lang) + "</section>"


def _failed_by_indicator(failing: pd.DataFrame, cells: Cells) -> str:
    """Many failures: first how many results and units failed per indicator, in plan order."""
    lang = cells.lang
    groups = failing.groupby(["plan", "indicator"], sort=False, observed=True)
    rows = []
    for _, group in groups:
        first = next(group.head(1).itertuples(index=False))
        rows.append(
            f'<tr><td>{_e(cells.name(first))}</td><td class="n">{whole(len(group), lang)}</td>'
            f'<td class="n">{whole(int(group["unit"].nunique()), lang)}</td></tr>'
        )
    heads = [label("indicator", lang), label("failed", lang), label("units_with", lang).capitalize()]
    return _table(heads, rows)


def _more(shown: int, total: int, lang: Lang) -> str:
    if shown >= total:
        return ""
    text = label("shown_of", lang).format(shown=whole(shown, lang), total=whole(total, lang))
    return f'<p class="note">{_e(text)}; {_e(label("full_list", lang))}.</p>'


def _units(units: pd.DataFrame, lang: Lang) -> str:
    if not len(units):
        return ""
    statuses = [c for c in units.columns if c not in ("plan", "unit", "failed")]
    heads = [label("unit", lang), label("failed", lang), *(label(s, lang) for s in statuses)]
    rows = []
    for row in units.head(UNIT_ROWS).itertuples(index=False):
        counts = "".join(f'<td class="n">{getattr(row, s) or "·"}</td>' for s in statuses)
        rows.append(
            f'<tr><td class="u">{_e(str(row.unit))}</td><td class="n"><b>{row.failed}</b></td>{counts}</tr>'
        )
    shown = min(UNIT_ROWS, len(units))
    return (
        f'<section id="units"><h2>{_e(label("by_unit", lang))}</h2>'
        + _table(heads, rows)
        + _more(shown, len(units), lang)
        + "</section>"
    )


def _grid(plan: Plan, rows: pd.DataFrame, every: pd.DataFrame, cells: Cells, named: bool) -> str:
    """Per indicator, each unit's status in every year with a target or a figure; target years
    marked. Past ``GRID_UNITS`` units, counted from ``every`` result; else from the rows, which
    then are every result of the plan."""
    lang = cells.lang
    # Distinct values through pandas, not a Python string per row (2 million on a national file).
    units = [str(u) for u in every["unit"].unique()]
    years = sorted(
        {int(y) for y in every["year"].unique()}
        | {t.year for i in plan.indicators for t in i.targets if t.year}
    )
    target_years = {t.year for i in plan.indicators for t in i.targets if t.year is not None}
    heads = "".join(
        f'<th class="y t" title="{_e(label("target_years", lang))}">{y} ◆</th>'
        if y in target_years
        else f'<th class="y">{y}</th>'
        for y in years
    )
    body: list[str] = []
    many = len(units) > GRID_UNITS
    by_indicator = {
        str(k): g for k, g in (every if many else rows).groupby("indicator", sort=False, observed=True)
    }
    for ind in plan.indicators:
        data = by_indicator.get(ind.id)
        if data is None:
            continue
        name = f"{ind.code} {indicator_name(ind, lang)}" if ind.code else indicator_name(ind, lang)
        body.append(f'<tr class="ind"><th colspan="{len(years) + 1}">{_e(name)}</th></tr>')
        if many:
            body.append(_counts_row(data, years, lang))
            continue
        by_cell = {(str(r.unit), int(r.year)): r for r in data.itertuples(index=False)}
        for unit in units:
            tds = []
            for year in years:
                r = by_cell.get((unit, year))
                if r is None:
                    tds.append("<td></td>")
                    continue
                status = str(r.status)
                text = cells.value(r) if not missing(r.value) else label(status, lang)
                tip = f"{label(status, lang)}: {cells.value(r)} ({cells.target(r)})"
                if cells.user_note(r):
                    tip += f" – {label('user_note', lang)}: {cells.user_note(r)}"
                fill = FILLS.get(status, "#fff")
                tds.append(f'<td class="s" style="background:{fill}" title="{_e(tip)}">{_e(text)}</td>')
            body.append(f'<tr><td class="u">{_e(unit)}</td>{"".join(tds)}</tr>')
    corner = label("unit", lang) if not many else label("number_of", lang)
    legend = "".join(
        f'<span><i style="background:{FILLS[s]}"></i>{_e(label(s, lang))}</span>'
        for s in (str(s) for s in every["status"].unique())
        if s in FILLS
    )
    title = label("status_grid", lang) + (f" – {plan_title(plan, lang)}" if named else "")
    if every["small_numerator"].any():
        legend += f"<br><span>{_e(label('small_numerator_note', lang))}</span>"
    return (
        f'<section class="grid"><h2>{_e(title)}</h2>'
        f'<p class="legend">{legend} <span>◆ {_e(label("target_years", lang))}</span></p>'
        f'<table class="grid"><tr><th>{_e(corner)}</th>{heads}</tr>{"".join(body)}</table></section>'
    )


def _user_notes(rows: pd.DataFrame, total: int, cells: Cells) -> str:
    """The units' own notes on their figures, as they wrote them, met or not: an office reads
    "số liệu sơ bộ" beside a figure before it files the page. ``total``: how many results of the
    plan carry one."""
    if not has_user_notes(rows):  # the first notes are among the rows (``keeps``), if any were written
        return ""
    lang = cells.lang
    noted = rows[rows["user_note"].notna().to_numpy()]
    shown = noted.head(NOTE_ROWS)
    keys = ("unit", "indicator", "year", "status", "user_note")
    body = []
    for row in shown.itertuples(index=False):
        status = str(row.status)
        body.append(
            f'<tr><td class="u">{_e(str(row.unit))}</td><td>{_e(cells.name(row))}</td>'
            f'<td class="n">{row.year}</td>'
            f'<td style="background:{FILLS.get(status, "#fff")}">{_e(cells.status(row))}</td>'
            f"<td>{_e(cells.user_note(row))}</td></tr>"
        )
    heading = f"<h2>{_e(label('user_note', lang))}</h2>"
    table = _table([label(k, lang) for k in keys], body)
    return f'<section class="user-notes">{heading}{table}{_more(len(shown), total, lang)}</section>'


def _counts_row(data: pd.DataFrame, years: list[int], lang: Lang) -> str:
    """Many units: per year a bar of the share of each status, with the counts on hover."""
    counts = pd.crosstab(data["year"].astype(int), data["status"].astype(str))
    tds = []
    for year in years:
        if year not in counts.index:
            tds.append("<td></td>")
            continue
        row = counts.loc[year]
        total = int(row.sum())
        spans = "".join(
            f'<span style="width:{100 * int(n) / total:.1f}%;background:{COLOURS.get(s, "#ccc")}"></span>'
            for s, n in row.items()
            if n
        )
        tip = ", ".join(f"{int(n)} {label(str(s), lang)}" for s, n in row.items() if n)
        tds.append(f'<td title="{_e(tip)}"><div class="bar">{spans}</div></td>')
    units = f"{whole(int(data['unit'].nunique()), lang)} {label('units_with', lang)}"
    return f'<tr><td class="u">{_e(units)}</td>{"".join(tds)}</tr>'


def _charts(plan: Plan, rows: pd.DataFrame, every: pd.DataFrame, units: pd.DataFrame, cells: Cells) -> str:
    lang = cells.lang
    worst = [str(u) for p, u in zip(units["plan"], units["unit"], strict=True) if str(p) == plan.id]
    figures = []
    held = {str(k): g for k, g in rows.groupby("indicator", sort=False, observed=True)}
    by_indicator = {str(k): g for k, g in every.groupby("indicator", sort=False, observed=True)}
    for ind in plan.indicators:
        data = by_indicator.get(ind.id)
        if data is None:
            continue
        figure = _chart(plan, ind, data, held.get(ind.id, rows.iloc[:0]), worst, cells)
        if figure:
            figures.append(figure)
    if not figures:
        return ""
    heading = f"<h2>{_e(label('charts', lang))}</h2>"
    return f'<section id="charts">{heading}<div class="charts">{"".join(figures)}</div></section>'


def _chart(
    plan: Plan, ind: Indicator, data: pd.DataFrame, held: pd.DataFrame, worst: list[str], cells: Cells
) -> str:
    """The chart of one indicator: ``data`` every result of it (at least in outline), ``held`` the
    rows held of them, among which are the values of the units drawn one by one (``keeps``)."""
    lang = cells.lang
    suffix = UNIT_SUFFIX[ind.unit.value]

    def fmt(value: float) -> str:
        return number(value, lang, suffix)

    valued = data[data["value"].notna().to_numpy()]
    # Distinct units through the categories: a national file has 50,000 rows per indicator.
    with_values = {str(u) for u in valued["unit"].unique()}
    without = [str(u) for u in data["unit"].unique() if str(u) not in with_values]
    if not with_values:
        return ""
    rank = {u: n for n, u in enumerate(worst)}
    drawn = sorted(with_values, key=lambda u: rank.get(u, len(rank)))[:CHART_UNITS]
    series = []
    chosen = held[held["value"].notna().to_numpy() & held["unit"].isin(drawn).to_numpy()]
    by_unit = {str(k): g for k, g in chosen.groupby(chosen["unit"].astype(str), sort=False)}
    for n, unit in enumerate(drawn):
        points = by_unit[unit].sort_values("year")
        latest = points.iloc[-1]
        projection = None
        if not missing(latest["projected_value"]):
            row = next(points.tail(1).itertuples(index=False))
            year = cells.projection_year(row)
            if year is not None:
                projection = (year, float(latest["projected_value"]))
        tips = [
            f"{unit} {r.year}: {cells.value(r)} – {cells.status(r)}" for r in points.itertuples(index=False)
        ]
        series.append(
            chart.Series(
                unit,
                chart.PALETTE[n % len(chart.PALETTE)],
                [(int(y), float(v)) for y, v in zip(points["year"], points["value"], strict=True)],
                projection,
                tips,
            )
        )
    band = _band(valued) if len(with_values) > CHART_UNITS else None
    marks = [
        chart.Mark(t.year, t.value, f"{t.op.value} {number(t.value, lang, suffix)}")
        for t in ind.targets
        if t.basis.value == "absolute"
    ]
    hi = 100.0 if ind.unit.value == "percent" else None
    title = f"{ind.code} {indicator_name(ind, lang)}" if ind.code else indicator_name(ind, lang)
    picture = chart.svg(series, marks, fmt, title, band, lo=0.0, hi=hi)
    legend = "".join(f'<span><i style="background:{s.colour}"></i>{_e(s.name)}</span>' for s in series)
    if band is not None:
        legend += f'<span><i style="background:#455a64"></i>{_e(band.name)}</span>'
    legend += f'<span style="color:{chart.TARGET}">▬ {_e(label("target", lang))}</span>'
    if any(s.projection for s in series):
        legend += f"<span>┈○ {_e(label('projection', lang))}</span>"
    relative = [stated(t, ind, plan, lang) for t in ind.targets if t.basis.value == "relative"]
    notes = [f"{label('target', lang)}: {', '.join(relative)}"] if relative else []
    if without:
        shown = without[:10]
        more = f" (+{len(without) - len(shown)})" if len(without) > len(shown) else ""
        notes.append(f"{label('no_values', lang)}: {', '.join(shown)}{more}")
    note = "".join(f'<p class="note">{_e(n)}</p>' for n in notes)
    return (
        f'<figure><figcaption>{_e(title)}</figcaption>{picture}<p class="legend">{legend}</p>{note}</figure>'
    )


def _band(valued: pd.DataFrame) -> chart.Band:
    grouped = valued.groupby(valued["year"].astype(int))["value"]
    quantiles = grouped.quantile([0.1, 0.5, 0.9]).unstack()
    years = [int(y) for y in quantiles.index]
    n = int(valued["unit"].nunique())
    return chart.Band(
        f"{n} – 10/50/90%",
        years,
        [float(v) for v in quantiles[0.1]],
        [float(v) for v in quantiles[0.5]],
        [float(v) for v in quantiles[0.9]],
    )


def _milestones(report: Report, lang: Lang) -> str:
    keys = ("unit", "milestone", "owner", "due", "done_on", "status")
    rows = []
    for m in report.milestones.itertuples(index=False):
        plan = report.plans.get(str(m.plan))
        ms = next((x for x in plan.milestones if x.id == m.milestone), None) if plan else None
        name = (ms.name if lang == "vi" else ms.name_en) if ms else str(m.milestone)
        status = str(m.status)
        rows.append(
            f'<tr><td class="u">{_e(str(m.unit))}</td><td>{_e(name)}</td><td>{_e(str(m.owner or ""))}</td>'
            f'<td class="n">{_e(_date(m.due))}</td><td class="n">{_e(_date(m.done_on))}</td>'
            f'<td style="background:{FILLS.get(status, "#fff")}">{_e(label(status, lang))}</td></tr>'
        )
    heading = f"<h2>{_e(label('milestone', lang))}</h2>"
    return f'<section id="milestones">{heading}{_table([label(k, lang) for k in keys], rows)}</section>'


def _date(value: Any) -> str:
    if missing(value) or value is pd.NaT:
        return ""
    return str(value.isoformat() if hasattr(value, "isoformat") else value)


def _table(heads: Iterable[str], rows: list[str]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in heads)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _e(text: str) -> str:
    return html.escape(text, quote=True)
