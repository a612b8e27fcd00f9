"""``kpicheck template``: the empty submission a unit fills in for a plan.

One row per unit and indicator the plan tracks that year: the unit, the
indicator's id (what kpicheck reads), the plan's code and name beside it, the
year, an empty value cell, the unit of measure, the target, and a note column
for the unit's own remarks. Headers are Vietnamese (English with ``--lang
en``); kpicheck reads either back, keeps the note and ignores the helper
columns. A value cell left empty means "not yet submitted" (``no_data``), as
if the row were absent.

The workbook freezes the header row and lets Excel refuse what cannot be a
figure (a negative number, a percent above 100) as it is typed.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import IO, Any

from kpicheck.errors import Problem, UsageError
from kpicheck.plan.areas import area_units, unit_levels
from kpicheck.plan.model import Plan, Target
from kpicheck.report.labels import Lang
from kpicheck.report.output import write_atomically

# Canonical names, in the order a person fills them in.
COLUMNS = ["unit", "indicator", "code", "name", "year", "value", "measure", "target", "note"]
HEADERS: dict[Lang, list[str]] = {
    # kpicheck.read.columns reads each of these back (HEADER_ALIASES).
    "vi": [
        "Đơn vị",
        "Chỉ tiêu",
        "Số hiệu",
        "Tên chỉ tiêu",
        "Năm",
        "Giá trị",
        "Đơn vị đo",
        "Mục tiêu",
        "Ghi chú",
    ],
    "en": COLUMNS,
}
WIDTHS = [22, 28, 12, 60, 8, 10, 24, 18, 30]
MEASURE: dict[Lang, dict[str, str]] = {
    "vi": {
        "percent": "%",
        "per_1000": "‰ (trên 1.000 trẻ đẻ sống)",
        "per_100000": "trên 100.000 trẻ em",
        "count": "số lượng",
    },
    "en": {
        "percent": "%",
        "per_1000": "‰ (per 1,000 live births)",
        "per_100000": "per 100,000 children",
        "count": "count",
    },
}
EVERY_YEAR: dict[Lang, str] = {"vi": "hằng năm", "en": "every year"}
# A relative target is a change of the figure itself: the unit fills in the figure, kpicheck the change.
CHANGE_ON: dict[Lang, str] = {"vi": "so với năm", "en": "on"}
# What Excel says when a typed value cannot be a figure of the indicator.
INVALID_TITLE: dict[Lang, str] = {"vi": "Giá trị không hợp lệ", "en": "Not a possible value"}
INVALID_TEXT: dict[Lang, str] = {
    "vi": "Hãy nhập một số từ 0 đến {maximum}; để trống nếu chưa có số liệu.",
    "en": "Enter a number from 0 to {maximum}; leave it empty if there is no figure yet.",
}
NO_LIMIT: dict[Lang, str] = {"vi": "không giới hạn", "en": "any"}
# A unit counted in a share of units ("tỷ lệ xã đạt chuẩn") answers yes or no; the target is its area's.
YES_NO: dict[Lang, str] = {
    "vi": "1 (đạt) / 0 (không đạt); tỷ lệ tính cho cả địa bàn",
    "en": "1 (meets it) / 0 (does not); the share is computed for the whole area",
}


def template_rows(plan: Plan, year: int | None, units: list[str], lang: Lang = "vi") -> list[dict[str, Any]]:
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
            measure, maximum = MEASURE[lang][ind.unit.value], ind.unit.maximum
            if ind.share_of is not None and levels.get(unit) == ind.share_of.value:
                # A commune says whether it meets it; the share is the district's.
                measure, maximum = YES_NO[lang], 1.0
            rows.append(
                {
                    "unit": unit,
                    "indicator": ind.id,
                    "code": ind.code or "",
                    "name": ind.name if lang == "vi" else ind.name_en,
                    "year": year,
                    "value": "",
                    "measure": measure,
                    "target": _target_text(target, plan.baseline_year, lang),
                    "note": "",
                    "_maximum": maximum,
                }
            )
    return rows


def write_template(rows: list[dict[str, Any]], output: Path | None, out: IO[str], lang: Lang = "vi") -> None:
    """CSV (UTF-8 with BOM, so Excel shows Vietnamese) to ``out`` or ``output``; .xlsx by suffix."""
    if output is not None and output.suffix.lower() == ".xlsx":
        write_atomically(output, lambda handle: _xlsx(rows, handle, lang), binary=True)
    elif output is not None:
        write_atomically(output, lambda handle: _csv(rows, handle, lang, bom=True))
    else:
        _csv(rows, out, lang, bom=False)


def _csv(rows: list[dict[str, Any]], handle: IO[Any], lang: Lang, bom: bool) -> None:
    if bom:
        handle.write("\ufeff")
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(HEADERS[lang])
    writer.writerows([row[c] for c in COLUMNS] for row in rows)


def _xlsx(rows: list[dict[str, Any]], handle: IO[Any], lang: Lang) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "so_lieu" if lang == "vi" else "figures"
    sheet.append(HEADERS[lang])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row[c] if row[c] != "" else None for c in COLUMNS])
    for n, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = "A2"  # the header stays in view however far down the rows go
    # One rule per range of possible values: 0-100 for a percent, 0-1,000 per 1,000, 0 and up for a count.
    value_column = get_column_letter(COLUMNS.index("value") + 1)
    rules: dict[float | None, DataValidation] = {}
    for number, row in enumerate(rows, start=2):
        maximum = row["_maximum"]
        if maximum not in rules:
            limit = (
                NO_LIMIT[lang]
                if maximum is None
                else f"{maximum:,.0f}".replace(",", "." if lang == "vi" else ",")
            )
            rule = DataValidation(
                type="decimal",
                operator="greaterThanOrEqual" if maximum is None else "between",
                formula1="0",
                formula2=None if maximum is None else f"{maximum:g}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=INVALID_TITLE[lang],
                error=INVALID_TEXT[lang].format(maximum=limit),
            )
            rules[maximum] = rule
            sheet.add_data_validation(rule)
        rules[maximum].add(f"{value_column}{number}")
    book.save(handle)


def _target_text(target: Target, plan_baseline: int | None, lang: Lang) -> str:
    value = f"{target.value:g}"
    if lang == "vi":
        value = value.replace(".", ",")
    if target.basis.value == "relative":
        value += f"% {CHANGE_ON[lang]} {target.baseline_year or plan_baseline}"
    when = f" ({target.year})" if target.year is not None else f" ({EVERY_YEAR[lang]})"
    return f"{target.op.value} {value}{when}"
