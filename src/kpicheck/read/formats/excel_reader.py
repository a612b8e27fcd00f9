"""Excel workbooks (.xlsx), read with calamine: the header found below title rows, merged cells filled."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kpicheck.errors import DataError, Problem
from kpicheck.names import nfc
from kpicheck.read.columns import HEADER_ALIASES, NUMERIC, OPTIONAL, REQUIRED, layout, shorten
from kpicheck.read.formats.kinds import EXCEL_SUFFIXES
from kpicheck.read.formats.workbook_scan import check_workbook, column_number
from kpicheck.read.problems import Found
from kpicheck.read.tidy import from_wide, tidy

# A spreadsheet's header is looked for in its first rows, below any title rows.
HEADER_SEARCH_ROWS = 30


def read(path: Path, name: str, decimal: str | None, sheet: str | None, notes: list[Problem]) -> pd.DataFrame:
    """A worksheet through calamine: the header found below any title rows, merged cells filled.

    calamine is called directly rather than through ``pandas.read_excel``
    (which uses it too) because pandas drops blank rows, and the row numbers in
    errors must be the ones Excel shows; calamine also gives the merged ranges.
    Formulas are read as the values Excel last computed and saved.
    """
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
        if sheet is not None and sheet not in names:
            raise DataError(Problem.of("data.no-such-sheet", name, sheet=sheet, sheets=", ".join(names)))
        candidates = [sheet] if sheet is not None else names
        # Before calamine builds a sheet: a stray far cell would make it abort the process.
        scans = check_workbook(path, name, candidates)
        found: list[tuple[str, list[list[Any]], int]] = []
        for candidate in candidates:
            top = book.get_sheet_by_name(candidate).to_python(skip_empty_area=False, nrows=HEADER_SEARCH_ROWS)
            row = _header_row(top)
            if row is not None or sheet is not None:
                found.append((candidate, top, -1 if row is None else row))
        if not found:
            raise DataError(
                Problem.of(
                    "data.no-table-in-workbook", name, rows=HEADER_SEARCH_ROWS, sheets=", ".join(names)
                )
            )
        if len(found) > 1:
            shown = ", ".join(repr(f[0]) for f in found)
            raise DataError(Problem.of("data.many-sheets", name, sheets=shown))
        chosen, _, header_at = found[0]
        if header_at < 0:
            raise DataError(
                Problem.of("data.sheet-without-header", name, sheet=chosen, rows=HEADER_SEARCH_ROWS)
            )
        worksheet = book.get_sheet_by_name(chosen)
        rows = [list(r) for r in worksheet.to_python(skip_empty_area=False)]
        merged = worksheet.merged_cell_ranges or []
    except CalamineError as exc:
        if path.suffix.lower() not in EXCEL_SUFFIXES:
            raise DataError(Problem.of("data.zip-not-workbook", name, reason=shorten(str(exc)))) from None
        raise DataError(Problem.of("data.bad-workbook", name, reason=shorten(str(exc)))) from None
    if len(names) > 1 and sheet is None:
        notes.append(Problem.of("warning.sheet-chosen", name, sheet=chosen))
    scan = scans.get(chosen)
    formulas = (scan.formulas, scan.formula_count - len(scan.formulas)) if scan else ([], 0)
    return _sheet_table(rows, merged, header_at, name, decimal, notes, chosen, formulas)


def _sheet_table(
    rows: list[list[Any]],
    merged: list[tuple[tuple[int, int], tuple[int, int]]],
    header_at: int,
    name: str,
    decimal: str | None,
    notes: list[Problem],
    sheet: str = "",
    formulas: tuple[list[str], int] = ([], 0),
) -> pd.DataFrame:
    # Header cells merged down, or a group title merged across: the header spans two or more rows.
    depth = max(
        [r1 - r0 for (r0, c0), (r1, c1) in merged if r0 == header_at]
        + [1 for (r0, c0), (r1, c1) in merged if r0 == r1 == header_at and c1 > c0]
        + [0]
    )
    data_merges = 0
    for (r0, c0), (r1, c1) in merged:
        # Every cell of a merged range shows the top-left value in Excel: read it so.
        top = rows[r0][c0] if r0 < len(rows) and c0 < len(rows[r0]) else ""
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, len(rows[r]) - 1) + 1):
                rows[r][c] = top
        data_merges += r0 > header_at + depth
    width = max((len(r) for r in rows), default=0)
    header = []
    for c in range(width):
        stack = [_cell_text(rows[r][c]) for r in range(header_at, header_at + depth + 1) if c < len(rows[r])]
        header.append(next((t for t in reversed(stack) if t), ""))
    if depth:
        notes.append(
            Problem.of("warning.merged-header", name, first=header_at + 1, last=header_at + depth + 1)
        )
    if any(_cell_text(v) for r in rows[:header_at] for v in r):
        notes.append(Problem.of("warning.title-rows", name, count=header_at))
    if data_merges:
        notes.append(Problem.of("warning.merged-cells", name, count=data_merges))
    first = header_at + depth + 1
    body = [(i + 1, r) for i, r in enumerate(rows[first:], start=first) if any(_cell_text(v) for v in r)]
    line = np.asarray([n for n, _ in body], dtype=np.int64)
    cells = [r + [""] * (width - len(r)) for _, r in body]
    keep = []
    for c, title in enumerate(header):
        if title:
            keep.append(c)
        elif any(_cell_text(r[c]) for r in cells):
            first_filled = next(n for n, r in zip(line, cells, strict=True) if _cell_text(r[c]))
            raise DataError(
                Problem.of(
                    "data.unnamed-column",
                    name,
                    header_at + 1,
                    f"{_column_letter(c)}{first_filled}",  # the first filled cell, as Excel names it
                )
            )
    header = [header[c] for c in keep]
    frame = pd.DataFrame([[r[c] for c in keep] for r in cells], columns=range(len(keep)), dtype=object)
    columns, wide = layout(header, name, header_at + 1, notes)
    frame.columns = pd.Index(columns)
    if frame.empty:
        raise DataError(Problem.of("data.no-rows", name, header_at + 1, container="sheet"))
    _note_text_numbers(frame, [c for c in columns if c in (*NUMERIC, "year") or wide], name, notes)
    values = [c for c in columns if c == "value" or (wide and c and c not in ("unit", "year", *OPTIONAL))]
    _note_fractions(frame, values, name, notes)
    found = _formulas_without_result(formulas, sheet, name, first, keep, columns)
    try:
        if wide:
            table = from_wide(frame, columns, name, decimal, line, notes)
        else:
            table = tidy(
                frame[[c for c in (*REQUIRED, *OPTIONAL) if c in frame.columns]], name, decimal, line, notes
            )
    except DataError as exc:
        found.problems.extend(exc.problems)
    found.check()
    return table


def _formulas_without_result(
    formulas: tuple[list[str], int], sheet: str, name: str, first: int, keep: list[int], columns: list[str]
) -> Found:
    """Formula cells of the table saved without a result: calamine reads them as blank cells,
    which would be judged as missing figures."""
    found = Found()
    cells, more = formulas
    column_of = dict(zip(keep, columns, strict=True))
    for cell in cells:
        place = re.fullmatch(r"([A-Za-z]{1,4})([0-9]+)", cell)
        if place is None:
            continue
        row, column = int(place[2]), column_number(place[1]) - 1
        if row > first and column in column_of:
            found.add(
                Problem.of(
                    "data.formula-without-result",
                    name,
                    row,
                    column_of[column] or None,
                    cell=cell,
                    sheet=sheet,
                )
            )
    found.more += more
    return found


def _header_row(rows: list[list[Any]]) -> int | None:
    """The first row naming at least two of unit, indicator, year, value."""
    for i, row in enumerate(rows):
        names = {HEADER_ALIASES.get(k, k) for k in (_cell_text(v).lower() for v in row)}
        if len(names & set(REQUIRED)) >= 2:
            return i
    return None


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value)).strip() if value is not None else ""


def _note_text_numbers(frame: pd.DataFrame, columns: list[str], name: str, notes: list[Problem]) -> None:
    count = 0
    for col in columns:
        if col in ("unit", "indicator", *OPTIONAL) and col not in NUMERIC:
            continue
        texts = frame[col][frame[col].map(lambda v: isinstance(v, str))]
        count += int(pd.to_numeric(texts.str.strip(), errors="coerce").notna().sum())
    if count:
        notes.append(Problem.of("warning.numbers-as-text", name, count=count))


def _note_fractions(frame: pd.DataFrame, columns: list[str], name: str, notes: list[Problem]) -> None:
    """Warn when every figure lies between 0 and 1: percent-formatted cells hold 24% as 0.24.

    calamine gives cell values, not their formats, so this cannot be told for
    sure; the plans' percentages are 0-100, and a sheet of fractions only is
    far more often a percent format than a rate per 1,000 below one.
    """
    numbers = [
        v
        for col in columns
        for v in frame[col]
        if isinstance(v, int | float) and not isinstance(v, bool) and v == v  # NaN aside
    ]
    if numbers and any(numbers) and all(0 <= v <= 1 for v in numbers):
        notes.append(Problem.of("warning.fractions", name))


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
