"""``--format html``: one self-contained page (no network needed to open it).

For each indicator a Plotly chart of every unit's values over the years
against the plan's targets, and a units × indicators grid of the latest
status. Plotly's JavaScript is embedded once, inline.
"""

from __future__ import annotations

import html
from typing import TextIO

import pandas as pd
import plotly.graph_objects as go

from kpicheck.plan.model import Indicator, Plan
from kpicheck.report import errors_section
from kpicheck.report.labels import Lang, label
from kpicheck.report.report import Report
from kpicheck.report.style import COLOURS

STYLE = """
body{font-family:system-ui,'Segoe UI',Roboto,sans-serif;margin:24px;color:#222}
table.grid{border-collapse:collapse;font-size:13px;margin:12px 0}
table.grid th,table.grid td{border:1px solid #ddd;padding:4px 8px}
table.grid th{background:#f5f5f5;text-align:left}
td.s{color:#fff;text-align:center;font-weight:600}
.summary span{display:inline-block;margin-right:12px}
h2{margin-top:32px}
"""


def render(report: Report, out: TextIO, color: bool = False) -> None:
    lang = report.lang
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>kpicheck – {html.escape(label('summary', lang))}</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>kpicheck</h1>",
        *errors_section.html_parts(report.errors, lang),
        _summary(report, lang),
    ]
    first_chart = True
    for plan_id, rows in report.results.groupby("plan", sort=False, observed=True):
        plan = report.plans.get(str(plan_id))
        if plan is None:
            continue
        parts.append(f"<h2>{html.escape(plan.title if lang == 'vi' else plan.title_en)}</h2>")
        parts.append(_grid(plan, rows, lang))
        for ind in plan.indicators:
            data = rows[rows["indicator"] == ind.id]
            if data["value"].notna().any():
                parts.append(_chart(plan, ind, data, lang, include_js=first_chart))
                first_chart = False
    parts.append("</body></html>")
    out.write("\n".join(parts))
    out.write("\n")


def _summary(report: Report, lang: Lang) -> str:
    spans = "".join(
        f'<span style="color:{COLOURS.get(s, "#222")}">{n} {html.escape(label(s, lang))}</span>'
        for s, n in report.summary().items()
        if n
    )
    return f'<p class="summary"><b>{html.escape(label("summary", lang))}:</b> {spans}</p>'


def _grid(plan: Plan, rows: pd.DataFrame, lang: Lang) -> str:
    """Latest status of each unit (rows) for each indicator (columns)."""
    latest = rows.sort_values("year").groupby(["unit", "indicator"], observed=True).tail(1)
    cells = {
        (str(r.unit), str(r.indicator)): (str(r.status), f"{r.year}{'*' if r.small_numerator else ''}")
        for r in latest.itertuples(index=False)
    }
    indicators = [i for i in plan.indicators if i.id in set(rows["indicator"].astype(str))]
    head = "".join(
        f'<th title="{html.escape(_name(i, lang))}">{html.escape(i.code or "")} {html.escape(i.id)}</th>'
        for i in indicators
    )
    body = []
    for unit in sorted({str(u) for u in rows["unit"]}):
        tds = []
        for ind in indicators:
            status, year = cells.get((unit, ind.id), ("", ""))
            colour = COLOURS.get(status, "#fff")
            text = f"{label(status, lang)} {year}" if status else ""
            tds.append(f'<td class="s" style="background:{colour}">{html.escape(text)}</td>')
        body.append(f"<tr><th>{html.escape(unit)}</th>{''.join(tds)}</tr>")
    corner = html.escape(label("unit", lang))
    return f'<table class="grid"><tr><th>{corner}</th>{head}</tr>{"".join(body)}</table>'


def _chart(plan: Plan, ind: Indicator, data: pd.DataFrame, lang: Lang, include_js: bool) -> str:
    fig = go.Figure()
    for unit, series in data.dropna(subset=["value"]).sort_values("year").groupby("unit", observed=True):
        fig.add_trace(go.Scatter(x=series["year"], y=series["value"], mode="lines+markers", name=str(unit)))
    years = sorted(t.year for t in ind.targets if t.year is not None and t.basis.value == "absolute")
    if years:
        values = [next(t.value for t in ind.targets if t.year == y) for y in years]
        fig.add_trace(
            go.Scatter(
                x=years,
                y=values,
                mode="lines+markers",
                name=label("target", lang),
                line={"dash": "dash", "color": "#c62828"},
                marker={"symbol": "diamond", "size": 10},
            )
        )
    _projections(fig, ind, data, lang)
    standing = [t for t in ind.targets if t.year is None]
    if standing:
        fig.add_hline(
            y=standing[0].value,
            line_dash="dash",
            line_color="#c62828",
            annotation_text=label("target", lang),
        )
    fig.update_layout(
        title=f"{ind.code or ''} {_name(ind, lang)}".strip(),
        xaxis_title=label("year", lang),
        yaxis_title=label("value", lang),
        height=380,
        margin={"l": 50, "r": 20, "t": 60, "b": 40},
        xaxis={"dtick": 1},
    )
    return str(fig.to_html(full_html=False, include_plotlyjs=include_js, config={"displaylogo": False}))


def _projections(fig: go.Figure, ind: Indicator, data: pd.DataFrame, lang: Lang) -> None:
    """A dotted line from each unit's latest value to its projection for the next target year."""
    years = sorted(t.year for t in ind.targets if t.year is not None)
    for row in data.dropna(subset=["projected_value"]).itertuples(index=False):
        ahead = [y for y in years if y > row.year]
        if not ahead:
            continue
        fig.add_trace(
            go.Scatter(
                x=[row.year, ahead[0]],
                y=[row.value, row.projected_value],
                mode="lines+markers",
                line={"dash": "dot", "color": "#757575"},
                marker={"symbol": "circle-open"},
                name=f"{row.unit}: {label('projection', lang)}",
            )
        )


def _name(ind: Indicator, lang: Lang) -> str:
    return ind.name if lang == "vi" else ind.name_en
