"""``kpicheck template``: the empty submission a unit fills in for a plan.

One row per unit and indicator the plan tracks, with the indicator's
Vietnamese name, its unit of measure and the target that applies that year,
so the person filling it in sees what is asked. kpicheck reads the helper
columns back and ignores them.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import IO, Any

from kpicheck.errors import Problem, UsageError
from kpicheck.plan.areas import area_units, unit_levels
from kpicheck.plan.model import Plan, Target
from kpicheck.report.output import write_atomically

COLUMNS = ["unit", "indicator", "year", "value", "name", "measure", "target"]
MEASURE = {
    "percent": "%",
    "per_1000": "‰ (trên 1.000 trẻ đẻ sống)",
    "per_100000": "trên 100.000 trẻ em",
    "count": "số lượng",
}
# A unit counted in a share of units ("tỷ lệ xã đạt chuẩn") answers yes or no; the target is its area's.
YES_NO = "đạt / không đạt (tỷ lệ tính cho cả địa bàn)"


def template_rows(plan: Plan, year: int | None, units: list[str]) -> list[dict[str, Any]]:
    """Rows of the template; ``year`` defaults to this year, kept within the plan period."""
    if year is None:
        year = min(max(dt.date.today().year, plan.period.start), plan.period.end)
    chosen = units or plan.units or area_units(plan)
    if not chosen:
        raise UsageError(Problem.of("usage.plan-without-units", plan=plan.id))
    levels = unit_levels(plan, chosen) if any(i.share_of for i in plan.indicators) else {}
    rows = []
    for unit in chosen:
        for ind in plan.indicators:
            target = ind.target_for(year)
            if target is None:
                continue
            measure = MEASURE[ind.unit.value]
            if target.basis.value == "relative":
                measure = "% thay đổi so với năm gốc"
            elif ind.share_of is not None and levels.get(unit) == ind.share_of.value:
                measure = YES_NO  # a commune says whether it meets it; the share is the district's
            rows.append(
                {
                    "unit": unit,
                    "indicator": ind.id,
                    "year": year,
                    "value": "",
                    "name": ind.name,
                    "measure": measure,
                    "target": _target_text(target),
                }
            )
    return rows


def write_template(rows: list[dict[str, Any]], output: Path | None, out: IO[str]) -> None:
    """CSV (UTF-8 with BOM, so Excel shows Vietnamese) to ``out`` or ``output``; .xlsx by suffix."""
    if output is not None and output.suffix.lower() == ".xlsx":
        write_atomically(output, lambda handle: _xlsx(rows, handle), binary=True)
    elif output is not None:
        write_atomically(output, lambda handle: _csv(rows, handle, bom=True))
    else:
        _csv(rows, out, bom=False)


def _csv(rows: list[dict[str, Any]], handle: IO[Any], bom: bool) -> None:
    if bom:
        handle.write("\ufeff")
    writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def _xlsx(rows: list[dict[str, Any]], handle: IO[Any]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "so_lieu"
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([row[c] if row[c] != "" else None for c in COLUMNS])
    for column, width in zip("ABCDEFG", (22, 28, 8, 10, 60, 24, 18), strict=True):
        sheet.column_dimensions[column].width = width
    book.save(handle)


def _target_text(target: Target) -> str:
    value = f"{target.value:g}".replace(".", ",")
    when = f" ({target.year})" if target.year is not None else " (hằng năm)"
    return f"{target.op.value} {value}{when}"
