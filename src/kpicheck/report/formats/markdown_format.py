"""``--format markdown``: a summary that fits a CI job summary page."""

from __future__ import annotations

from typing import Any, TextIO

import pandas as pd

from kpicheck.report import errors_section
from kpicheck.report.labels import UNIT_SUFFIX, Lang, label, number
from kpicheck.report.report import Report


def render(report: Report, out: TextIO, color: bool = False) -> None:
    lang = report.lang
    counts = report.summary()
    out.write("## kpicheck\n\n")
    out.write(errors_section.markdown(report.errors, lang))
    for plan in report.plans.values():
        out.write(f"- **{plan.title if lang == 'vi' else plan.title_en}** (`{plan.id}`)\n")
    shown = " · ".join(f"{n} {label(s, lang)}" for s, n in counts.items() if n)
    out.write(f"\n**{label('summary', lang)}:** {shown or '0'}\n\n")
    units = report.unit_summary()
    if len(units):
        statuses = [c for c in units.columns if c not in ("plan", "unit", "failed")]
        out.write(
            _row(
                [
                    label("plan", lang),
                    label("unit", lang),
                    "❌",
                    *(label(s, lang) for s in statuses),
                ]
            )
        )
        out.write(_row(["---"] * (3 + len(statuses))))
        for row in units.itertuples(index=False):
            out.write(_row([row.plan, row.unit, str(row.failed), *(str(getattr(row, s)) for s in statuses)]))
        out.write("\n")
    failing = report.results[report.results["status"].isin(report.fail_on)]
    if len(failing):
        out.write(f"### {label('not_met', lang)} / {label('off_track', lang)} / {label('invalid', lang)}\n\n")
        _results_table(out, failing, report, lang)
    if len(report.results):
        out.write(f"<details><summary>{label('results', lang)}: {len(report.results)}</summary>\n\n")
        _results_table(out, report.results, report, lang)
        out.write("</details>\n")
    if len(report.milestones):
        out.write(f"\n### {label('milestone', lang)}\n\n")
        out.write(_row([label(k, lang) for k in ("unit", "milestone", "due", "done_on", "status")]))
        out.write(_row(["---"] * 5))
        for m in report.milestones.itertuples(index=False):
            out.write(
                _row(
                    [
                        str(m.unit),
                        str(m.milestone),
                        str(m.due),
                        str(m.done_on or ""),
                        label(str(m.status), lang),
                    ]
                )
            )


def _results_table(out: TextIO, rows: pd.DataFrame, report: Report, lang: Lang) -> None:
    keys = ("unit", "indicator", "year", "value", "target", "status", "gap", "projection")
    out.write(_row([label(k, lang) for k in keys]))
    out.write(_row(["---", "---", "---:", "---:", "---", "---", "---:", "---"]))
    for row in rows.itertuples(index=False):
        suffix = _suffix(report, row)
        target = "" if pd.isna(row.target) else f"{row.op} {number(row.target, lang, suffix)}"
        if not pd.isna(row.target_year) and row.target_year != row.year:
            target += f" ({row.target_year})"
        out.write(
            _row(
                [
                    str(row.unit),
                    f"`{row.indicator}`",
                    str(row.year),
                    ""
                    if pd.isna(row.value)
                    else number(row.value, lang, suffix) + ("*" if row.small_numerator else ""),
                    target,
                    label(str(row.status), lang),
                    "" if pd.isna(row.gap) else number(row.gap, lang, signed=True),
                    _projection(row, lang, suffix),
                ]
            )
        )
    out.write("\n")


def _projection(row: Any, lang: Lang, suffix: str) -> str:
    if pd.isna(row.outlook):
        return ""
    value = "" if pd.isna(row.projected_value) else number(row.projected_value, lang, suffix) + " "
    return value + label(str(row.outlook), lang)


def _suffix(report: Report, row: Any) -> str:
    plan = report.plans.get(str(row.plan))
    ind = plan.indicator(str(row.indicator)) if plan else None
    if ind is None:
        return ""
    return "%" if row.basis == "relative" else UNIT_SUFFIX[ind.unit.value]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |\n"
