"""``--format table``: the Rich table an analyst reads, grouped like the plan."""

from __future__ import annotations

import math
from typing import Any, TextIO

import pandas as pd
from rich.table import Table
from rich.text import Text

from kpicheck.plan.model import Plan
from kpicheck.report import terminal
from kpicheck.report.labels import UNIT_SUFFIX, Lang, label, note_text
from kpicheck.report.labels import number as _num
from kpicheck.report.report import Report
from kpicheck.report.style import STYLES, summary_parts


def render(report: Report, out: TextIO, color: bool = False) -> None:
    console = terminal.console(out, color)
    lang = report.lang
    for plan_id, rows in report.results.groupby("plan", sort=False, observed=True):
        for part in _plan_tables(str(plan_id), report.plans.get(str(plan_id)), rows, lang):
            console.print(part)
    if len(report.milestones):
        console.print(_milestone_table(report, lang))
    if len(report.results) and report.results["small_numerator"].any():
        console.print(Text(label("small_numerator_note", lang), style="yellow"))
    if len(report.results) or len(report.milestones):
        console.print(_unit_table(report, lang))
    console.print(summary_line(report.summary(), lang))


def _unit_table(report: Report, lang: Lang) -> Table:
    """Units × count of each status, worst first."""
    units = report.unit_summary()
    statuses = [c for c in units.columns if c not in ("plan", "unit", "failed")]
    table = Table(title=label("by_unit", lang), title_justify="left", title_style="bold")
    table.add_column(label("unit", lang))
    table.add_column(label("failed", lang), justify="right", style="bold")
    for status in statuses:
        table.add_column(Text(label(status, lang), style=STYLES.get(status, "")), justify="right")
    for row in units.itertuples(index=False):
        counts = [str(getattr(row, s)) or "" for s in statuses]
        table.add_row(str(row.unit), str(row.failed), *(c if c != "0" else "·" for c in counts))
    return table


def summary_line(counts: dict[str, int], lang: Lang) -> Text:
    """``Tổng hợp: 3 Đạt · 1 Không đạt`` with each status in its colour."""
    (head, head_style), *rest = summary_parts(counts, lang)
    text = Text(head, style=head_style)
    for piece, style in rest:
        text.append(piece, style=style)
    return text


def _plan_tables(plan_id: str, plan: Plan | None, rows: pd.DataFrame, lang: Lang) -> list[Any]:
    """The plan's title, then one table per goal of the plan, indicators in plan order."""
    title = plan_id if plan is None else (plan.title if lang == "vi" else plan.title_en)
    indicators = {i.id: i for i in plan.indicators} if plan else {}
    goals = {g.id: g for g in plan.goals} if plan else {}
    order = {i: n for n, i in enumerate(indicators)}
    goal_order = {g: n for n, g in enumerate(goals)}
    rows = rows.assign(
        _goal=rows["goal"].map(lambda g: goal_order.get(g, len(goal_order))),
        _ind=rows["indicator"].astype(str).map(lambda i: order.get(i, len(order))),
    ).sort_values(["_goal", "_ind", "indicator", "unit", "year"], kind="stable")
    out: list[Any] = [Text(title, style="bold")]
    for _, group in rows.groupby("_goal", sort=True):
        goal = goals.get(str(group["goal"].iloc[0]))
        if goal is not None:
            heading = goal.name if lang == "vi" else goal.name_en
        else:
            heading = label("other", lang) if plan and plan.goals else ""
        out.append(_goal_table(heading, group, indicators, lang))
    return out


def _goal_table(heading: str, rows: pd.DataFrame, indicators: dict[str, Any], lang: Lang) -> Table:
    table = Table(title=heading or None, title_justify="left", title_style="bold cyan")
    for key, justify in (
        ("indicator", "left"),
        ("unit", "left"),
        ("year", "right"),
        ("value", "right"),
        ("target", "right"),
        ("status", "left"),
        ("gap", "right"),
        ("projection", "left"),
    ):
        table.add_column(label(key, lang), justify=justify)  # type: ignore[arg-type]
    # The user's own notes, when any row of the table has one.
    user_notes = "user_note" in rows.columns and bool(rows["user_note"].notna().any())
    if user_notes:
        table.add_column(label("user_note", lang))
    current_ind = None
    for row in rows.itertuples(index=False):
        ind = indicators.get(str(row.indicator))
        first = row.indicator != current_ind
        if first and current_ind is not None:
            table.add_section()
        current_ind = row.indicator
        unit_suffix = UNIT_SUFFIX.get(ind.unit.value, "") if ind else ""
        table.add_row(
            _indicator_cell(ind, str(row.indicator), lang) if first else "",
            str(row.unit),
            str(row.year),
            _value_cell(row, unit_suffix, lang),
            _target_cell(row, unit_suffix, lang),
            Text(label(str(row.status), lang), style=STYLES.get(str(row.status), "")),
            _gap_cell(row, lang),
            _projection_cell(row, unit_suffix, lang),
            *([Text("" if _missing(row.user_note) else str(row.user_note))] if user_notes else []),
        )
    return table


def _value_cell(row: Any, unit_suffix: str, lang: Lang) -> str:
    if not _missing(row.value):
        return _num(row.value, lang, unit_suffix) + ("*" if row.small_numerator else "")
    if row.status == "invalid" and not _missing(row.note):
        return note_text(str(row.note), lang)
    return "—"


def _milestone_table(report: Report, lang: Lang) -> Table:
    table = Table(title=label("milestone", lang), title_justify="left")
    for key in ("plan", "unit", "milestone", "owner", "due", "done_on", "status"):
        table.add_column(label(key, lang))
    for row in report.milestones.itertuples(index=False):
        plan = report.plans.get(str(row.plan))
        ms = next((m for m in plan.milestones if m.id == row.milestone), None) if plan else None
        name = (ms.name if lang == "vi" else ms.name_en) if ms else str(row.milestone)
        table.add_row(
            str(row.plan),
            str(row.unit),
            name,
            str(row.owner or ""),
            _date(row.due, lang),
            _date(row.done_on, lang),
            Text(label(str(row.status), lang), style=STYLES.get(str(row.status), "")),
        )
    return table


def _indicator_cell(ind: Any, ident: str, lang: Lang) -> str:
    if ind is None:
        return ident
    name = ind.name if lang == "vi" else ind.name_en
    return f"{ind.code} {name}" if ind.code else name


def _target_cell(row: Any, unit_suffix: str, lang: Lang) -> str:
    if _missing(row.target):
        return ""
    if row.basis == "relative":
        change = _num(row.target, lang, "%", signed=True)
        text = f"{row.op} {change} ({label('change_vs', lang)} {row.baseline_year})"
    else:
        text = f"{row.op} {_num(row.target, lang, unit_suffix)}"
    if not _missing(row.target_year) and row.target_year != row.year:
        text += f" ({row.target_year})"
    elif _missing(row.target_year):
        text += f" ({label('every_year', lang)})"
    return text


def _gap_cell(row: Any, lang: Lang) -> Text:
    if _missing(row.gap):
        return Text("")
    style = "green" if row.gap > 0 else ("red" if row.gap < 0 else "")
    text = Text(_num(row.gap, lang, "", signed=True), style=style)
    if not _missing(row.path_value):
        text.append(f" ({label('path', lang)} {_num(row.path_value, lang, '')})", style="dim")
    if row.expired:
        text.append(f" · {label('expired', lang)}", style="dim")
    return text


def _projection_cell(row: Any, unit_suffix: str, lang: Lang) -> Text:
    if row.outlook is None or _missing(row.outlook):
        return Text("")
    text = Text()
    if not _missing(row.projected_value):
        text.append(f"{_num(row.projected_value, lang, unit_suffix)} ")
    text.append(
        label(str(row.outlook), lang),
        style=STYLES.get("met" if row.outlook in ("achieved", "on_course") else "", ""),
    )
    return text


def _date(value: Any, lang: Lang) -> str:
    if _missing(value):
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat()
    return str(value)


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
