"""Reading submitted figures ("số liệu thực hiện") into one tidy table.

The canonical shape is long: one row per unit, indicator and year. CSV files
are read with pyarrow's multithreaded CSV reader (``csvfiles``), unit and
indicator names as dictionary (categorical) columns, so a national file costs
little more than its parse. Excel workbooks are read with calamine, Parquet
files with pyarrow; all three end in the same checks (``csvfiles.layout`` for
the header, ``_tidy`` for the rows). Anything that cannot be read without guessing is an error that
names the file, the line (or spreadsheet row) and the column; whatever was
assumed to read a file is said in a warning.

Memory stays bounded on hostile files: only the first 64 KiB are read to
decide the format and encoding, and pyarrow parses in blocks of
``csvfiles.BLOCK_BYTES``, so a line longer than that is refused instead of
being held whole.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from kpicheck.errors import DataError, Problem
from kpicheck.frames import concat
from kpicheck.read.encodings import LEGACY_ADVICE, foreign_letter
from kpicheck.read.formats.csv_reader import (
    EXCEL_SUFFIXES,
    HEADER_ALIASES,
    MISSING_TOKENS,
    NUMERIC,
    OPTIONAL,
    PARENT_COLUMNS,
    PARQUET_SUFFIXES,
    REQUIRED,
    SNIFF_BYTES,
    TEMPLATE_COLUMNS,
    THOUSANDS_DOT,
    NotPlainNumbers,
    ambiguous,
    file_kind,
    layout,
    read_table,
    refuse_thousands_dots,
    shorten,
    sniff_csv,
)

_DECIMAL_COMMA = re.compile(r"^\s*-?\d+,\d+\s*$")
_THOUSANDS_COMMA = re.compile(r"^\s*-?\d{1,3}(,\d{3})+\s*$")
_PERCENT = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*%\s*$")
_YEAR = re.compile(r"^\s*(?:(năm)\s*)?(\d{4})(?:\.0+)?\s*$", re.IGNORECASE)
# A spreadsheet's header is looked for in its first rows, below any title rows.
HEADER_SEARCH_ROWS = 30


@dataclass
class Actuals:
    """The figures of one or more files, and what was assumed while reading them."""

    frame: pd.DataFrame
    warnings: list[str] = field(default_factory=list)


def read_actuals(paths: Iterable[Path], decimal: str = ".", sheet: str | None = None) -> Actuals:
    """Read every file into one long table with columns unit, indicator, year, value, file, line."""
    frames: list[pd.DataFrame] = []
    pending: list[_Pending] = []
    warnings: list[str] = []
    for path in paths:
        frame, notes = read_one(path, decimal, sheet, defer=True)
        if isinstance(frame, _Pending):
            pending.append(frame)
        else:
            frames.append(frame)
        warnings.extend(notes)
    if pending:
        frame, notes = _tidy_pending(pending, decimal)
        frames.append(frame)
        warnings.extend(notes)
    if not frames:
        raise DataError("no data files given")
    frame = concat(frames)
    # Arrow's allocator keeps the memory of the parse for reuse; pandas holds the data now.
    pa.default_memory_pool().release_unused()
    return Actuals(_without_repeats(frame), warnings)


@dataclass
class _Pending:
    """A plain CSV file read by Arrow, waiting to be converted with the others in one go."""

    table: pa.Table
    name: str


def _tidy_pending(pending: list[_Pending], decimal: str) -> tuple[pd.DataFrame, list[str]]:
    """Many plain files converted and checked as one table: 700 district files cost little more
    than one file of the same rows. A problem or a warning is located by redoing file by file."""
    for item in pending:
        if item.table.num_rows == 0:
            raise DataError(Problem("the file has a header but no data rows", item.name))
    sizes = [item.table.num_rows for item in pending]
    notes: list[str] = []
    try:
        combined = pa.concat_tables([item.table for item in pending], promote_options="permissive")
        if len(pending) > 1:
            # One dictionary per name column, unified by Arrow: pandas would unify 700 of them.
            combined = combined.combine_chunks()
        frame = combined.to_pandas(self_destruct=True, split_blocks=True)
        del combined
        ranges = [np.arange(2, n + 2, dtype=np.int32) for n in sizes]
        lines = ranges[0] if len(ranges) == 1 else np.concatenate(ranges)
        out = _tidy(frame, pending[0].name, decimal, lines, notes)
        located = len(pending) == 1 or not notes  # one file's notes already name it
    except (DataError, pa.ArrowInvalid):
        located = False
    if not located:
        # Redo file by file: the error or warning then names the right file.
        notes = []
        frames = [
            _tidy(item.table.to_pandas(), item.name, decimal, np.arange(2, n + 2, dtype=np.int32), notes)
            for item, n in zip(pending, sizes, strict=True)
        ]
        return concat(frames), notes
    codes = np.repeat(np.arange(len(pending), dtype=np.int32), sizes)
    out["file"] = pd.Categorical.from_codes(codes, categories=[item.name for item in pending])
    return out, notes


def read_one(
    path: Path, decimal: str = ".", sheet: str | None = None, defer: bool = False
) -> tuple[pd.DataFrame | _Pending, list[str]]:
    """One CSV, Excel or Parquet file as a long table; the errors name ``path``.

    The format is decided by the file's first bytes, then its suffix: an Excel
    workbook saved under a ``.csv`` name is read as the workbook it is.
    """
    name = str(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise DataError(Problem(f"cannot read the file: {exc.strerror}", name)) from None
    if not head.strip():
        raise DataError(Problem("the file is empty; it needs a header line and data rows", name))
    suffix = path.suffix.lower()
    notes: list[str] = []
    kind = file_kind(head, suffix)
    if kind == "excel":
        if suffix not in EXCEL_SUFFIXES:
            notes.append(f"{name}: the file is an Excel workbook, not {suffix or 'CSV'} text; read as .xlsx")
        frame = _read_excel(path, name, decimal, sheet, notes)
    elif kind == "parquet":
        if suffix not in PARQUET_SUFFIXES:
            notes.append(f"{name}: the file is a Parquet file, not {suffix or 'CSV'} text; read as Parquet")
        frame = _read_parquet(path, name, decimal, notes)
    elif kind == "xls":
        raise DataError(
            Problem(
                "an Excel 97-2003 (.xls) workbook; open it in Excel and save it as .xlsx or 'CSV UTF-8'",
                name,
            )
        )
    else:
        return _read_csv(path, name, head, decimal, notes, defer), notes
    return frame, notes


# --- CSV -------------------------------------------------------------------------------------------


def _read_csv(
    path: Path, name: str, head: bytes, decimal: str, notes: list[str], defer: bool = False
) -> pd.DataFrame | _Pending:
    found = sniff_csv(path, head, notes)
    columns = found.columns
    if found.wide:
        frame = read_table(path, found, {}).to_pandas()
        frame.columns = pd.Index(columns)
        return _from_wide(frame, columns, name, decimal, np.arange(2, len(frame) + 2), notes)
    try:
        table = read_table(path, found, found.types(decimal))
        if decimal == ".":
            # pyarrow read "1.000" as 1.0: look for thousands dots where the text is at hand.
            refuse_thousands_dots(found)
        if defer and decimal == "." and not found.encoding.assumed:
            raw_of = found.raw_name()
            wanted = [c for c in (*REQUIRED, *OPTIONAL) if c in raw_of and c not in TEMPLATE_COLUMNS]
            keep = table.select([raw_of[c] for c in wanted]).rename_columns(wanted)
            return _Pending(keep, name)
    except NotPlainNumbers:
        # Some cell is not a plain number: read as text and say which one.
        table = read_table(path, found, found.text_types())
    # The Arrow buffers are released column by column as pandas takes them over.
    frame = table.to_pandas(self_destruct=True, split_blocks=True)
    del table
    frame.columns = pd.Index(columns)
    frame = frame[[c for c in (*REQUIRED, *OPTIONAL) if c in frame.columns]]
    return _tidy(frame, name, decimal, np.arange(2, len(frame) + 2, dtype=np.int32), notes)


# --- Excel -----------------------------------------------------------------------------------------


def _read_excel(path: Path, name: str, decimal: str, sheet: str | None, notes: list[str]) -> pd.DataFrame:
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
            raise DataError(
                Problem(f"the workbook has no sheet {sheet!r} (sheets: {', '.join(names)})", name)
            )
        found: list[tuple[str, list[list[Any]], int]] = []
        for candidate in [sheet] if sheet is not None else names:
            top = book.get_sheet_by_name(candidate).to_python(skip_empty_area=False, nrows=HEADER_SEARCH_ROWS)
            row = _header_row(top)
            if row is not None or sheet is not None:
                found.append((candidate, top, -1 if row is None else row))
        if not found:
            raise DataError(
                Problem(
                    f"no sheet has a header row with unit, indicator, year, value in its first "
                    f"{HEADER_SEARCH_ROWS} rows (sheets: {', '.join(names)})",
                    name,
                )
            )
        if len(found) > 1:
            shown = ", ".join(repr(f[0]) for f in found)
            raise DataError(
                Problem(f"sheets {shown} each hold a table of figures; choose one with --sheet", name)
            )
        chosen, _, header_at = found[0]
        if header_at < 0:
            raise DataError(
                Problem(
                    f"sheet {chosen!r} has no header row with unit, indicator, year, value in its "
                    f"first {HEADER_SEARCH_ROWS} rows",
                    name,
                )
            )
        worksheet = book.get_sheet_by_name(chosen)
        rows = [list(r) for r in worksheet.to_python(skip_empty_area=False)]
        merged = worksheet.merged_cell_ranges or []
    except CalamineError as exc:
        if path.suffix.lower() not in EXCEL_SUFFIXES:
            raise DataError(
                Problem(
                    f"not a text file: a zip archive that is not an Excel workbook ({shorten(str(exc))}); "
                    "give a CSV, .xlsx or .parquet file",
                    name,
                )
            ) from None
        raise DataError(
            Problem(
                f"cannot read it as an Excel workbook ({shorten(str(exc))}); save it again as .xlsx", name
            )
        ) from None
    if len(names) > 1 and sheet is None:
        notes.append(f"{name}: read sheet {chosen!r}; the other sheets hold no table of figures")
    return _sheet_table(rows, merged, header_at, name, decimal, notes)


def _sheet_table(
    rows: list[list[Any]],
    merged: list[tuple[tuple[int, int], tuple[int, int]]],
    header_at: int,
    name: str,
    decimal: str,
    notes: list[str],
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
            f"{name}: merged header cells; rows {header_at + 1}-{header_at + depth + 1} read as one header"
        )
    if any(_cell_text(v) for r in rows[:header_at] for v in r):
        notes.append(f"{name}: skipped {header_at} row(s) above the header (a title?)")
    if data_merges:
        notes.append(f"{name}: {data_merges} merged cell range(s) below the header read as repeated values")
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
                Problem(
                    "this column has figures but no name in the header; name it or delete it",
                    name,
                    header_at + 1,
                    f"column {_column_letter(c)} (row {first_filled})",
                )
            )
    header = [header[c] for c in keep]
    frame = pd.DataFrame([[r[c] for c in keep] for r in cells], columns=range(len(keep)), dtype=object)
    columns, wide = layout(header, name, header_at + 1, notes)
    frame.columns = pd.Index(columns)
    if frame.empty:
        raise DataError(
            Problem(
                "the sheet has a header but no data rows; add one row per unit, indicator and year",
                name,
                header_at + 1,
            )
        )
    _note_text_numbers(frame, [c for c in columns if c in (*NUMERIC, "year") or wide], name, notes)
    values = [c for c in columns if c == "value" or (wide and c and c not in ("unit", "year", *OPTIONAL))]
    _note_fractions(frame, values, name, notes)
    if wide:
        return _from_wide(frame, columns, name, decimal, line, notes)
    frame = frame[[c for c in (*REQUIRED, *OPTIONAL) if c in frame.columns]]
    return _tidy(frame, name, decimal, line, notes)


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
    return unicodedata.normalize("NFC", str(value)).strip() if value is not None else ""


def _note_text_numbers(frame: pd.DataFrame, columns: list[str], name: str, notes: list[str]) -> None:
    count = 0
    for col in columns:
        if col in ("unit", "indicator", *OPTIONAL) and col not in NUMERIC:
            continue
        texts = frame[col][frame[col].map(lambda v: isinstance(v, str))]
        count += int(pd.to_numeric(texts.str.strip(), errors="coerce").notna().sum())
    if count:
        notes.append(f"{name}: {count} cell(s) hold numbers stored as text; read as numbers")


def _note_fractions(frame: pd.DataFrame, columns: list[str], name: str, notes: list[str]) -> None:
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
        notes.append(
            f"{name}: every figure lies between 0 and 1; if the cells are formatted as percentages, "
            "Excel holds 24% as 0.24: enter 24 instead"
        )


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# --- Parquet ---------------------------------------------------------------------------------------


def _read_parquet(path: Path, name: str, decimal: str, notes: list[str]) -> pd.DataFrame:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise DataError(
            Problem(f"cannot read it as a Parquet file ({shorten(str(exc))}); write it again", name)
        ) from None
    header = list(table.column_names)
    columns, wide = layout(header, name, None, notes)
    for raw, col in zip(header, columns, strict=True):
        kind = table.schema.field(raw).type
        if pa.types.is_dictionary(kind):
            kind = kind.value_type
        numeric = col in (*NUMERIC, "year") or (wide and col not in ("unit", *OPTIONAL))
        text_like = pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_null(kind)
        ok = text_like or (
            numeric and (pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind))
        )
        checked = col in (*REQUIRED, *PARENT_COLUMNS, *NUMERIC) or (wide and numeric)
        if checked and not ok:
            expected = "numbers" if numeric else "text"
            raise DataError(Problem(f"the column holds {kind}; it must hold {expected}", name, None, raw))
    frame = table.to_pandas()
    frame.columns = pd.Index(columns)
    line = np.arange(1, len(frame) + 1, dtype=np.int64)  # Parquet has no lines: rows from 1
    if wide:
        return _from_wide(frame, columns, name, decimal, line, notes)
    frame = frame[[c for c in (*REQUIRED, *OPTIONAL) if c in frame.columns]]
    return _tidy(frame, name, decimal, line, notes)


# --- Shared checks ---------------------------------------------------------------------------------


def _tidy(
    frame: pd.DataFrame, name: str, decimal: str, line: np.ndarray, notes: list[str] | None = None
) -> pd.DataFrame:
    """Rows with canonical columns, as read from any format, to the checked long table."""
    if frame.empty:
        raise DataError(
            Problem("the file has a header but no data rows; add one row per unit, indicator and year", name)
        )
    value = _numbers(frame["value"], name, line, "value", decimal)
    raw = value.attrs.pop("raw", None)
    columns: dict[str, Any] = {
        "unit": _names(frame["unit"], name, line, "unit"),
        "indicator": _names(frame["indicator"], name, line, "indicator"),
        "year": _years(frame["year"], name, line, notes),
        "value": value,
    }
    pair = [c for c in ("numerator", "denominator") if c in frame.columns]
    if len(pair) == 1:
        # One without the other aggregates nothing: set aside, and said so.
        other = "denominator" if pair == ["numerator"] else "numerator"
        if notes is not None:
            notes.append(f"{name}: ignoring column '{pair[0]}': it needs a '{other}' column beside it")
        pair = []
    for col in pair:
        columns[col] = _numbers(frame[col], name, line, col, decimal)
    for col in PARENT_COLUMNS:
        if col in frame.columns:
            columns[col] = _names(frame[col], name, line, col)
    unit, indicator = columns["unit"], columns["indicator"]
    blank = (unit.isna() | (unit == "")) | (indicator.isna() | (indicator == ""))
    if blank.any():
        at = int(np.flatnonzero(blank.to_numpy())[0])
        col = "unit" if pd.isna(unit.iloc[at]) or unit.iloc[at] == "" else "indicator"
        raise DataError(
            Problem(f"{col} is blank; every row needs a unit and an indicator", name, int(line[at]), col)
        )
    if raw:
        # The cells that are not numbers, as written: the judge says why they are invalid.
        text = pd.Series(pd.NA, index=frame.index, dtype="string")
        text.iloc[list(raw)] = list(raw.values())
        columns["raw_value"] = text
    columns["file"] = pd.Categorical.from_codes(np.zeros(len(frame), dtype=np.int8), categories=[name])
    columns["line"] = line
    # copy=False: the columns are fresh already; a copy of each would cost more than the checks.
    return pd.DataFrame(columns, copy=False)


def _names(column: pd.Series, name: str, line: np.ndarray, col: str) -> pd.Series:
    """Unit and indicator names: trimmed and NFC-normalised, compared on their categories only.

    A name holding letters Vietnamese never uses is legacy-font text read as
    Unicode (TCVN3 or VNI saved as UTF-8): refused, never shown back garbled.
    """
    cat = column.astype("category") if not isinstance(column.dtype, pd.CategoricalDtype) else column
    cats = [unicodedata.normalize("NFC", str(c)).strip() for c in cat.cat.categories]
    codes = cat.cat.codes.to_numpy()
    for k, text in enumerate(cats):
        char = foreign_letter(text)
        if char is not None:
            at = int(np.flatnonzero(codes == k)[0])
            raise DataError(
                Problem(
                    f"{text!r} holds {char!r}, which Vietnamese does not use: it looks like text in a "
                    f"legacy font (TCVN3/ABC or VNI) saved as Unicode; {LEGACY_ADVICE}",
                    name,
                    int(line[at]),
                    col,
                )
            )
    if len(set(cats)) == len(cats) and all(
        a == str(b) for a, b in zip(cats, cat.cat.categories, strict=True)
    ):
        return cat  # already clean, as almost every file is: keep the codes as they are
    uniques: list[str] = sorted(set(cats))
    position = {name: i for i, name in enumerate(uniques)}
    inverse = [position[c] for c in cats]
    remap = np.asarray(inverse, dtype=np.int32)
    new_codes = np.where(codes >= 0, remap[np.maximum(codes, 0)] if len(remap) else -1, -1)
    return pd.Series(pd.Categorical.from_codes(new_codes, categories=uniques), index=column.index)


def _years(column: pd.Series, name: str, line: np.ndarray, notes: list[str] | None = None) -> pd.Series:
    if pd.api.types.is_integer_dtype(column.dtype) and not column.isna().any():
        return column if column.dtype == np.int32 else column.astype(np.int32)
    text = column.astype("string").str.normalize("NFC")
    match = text.str.extract(_YEAR, expand=True)
    bad = match[1].isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raw = column.iloc[i]
        shown = "blank" if pd.isna(raw) or str(raw).strip() == "" else repr(raw)
        raise DataError(
            Problem(f"year is {shown}; write the year as four digits, e.g. 2025", name, int(line[i]), "year")
        )
    worded = match[0].notna().to_numpy()
    if worded.any() and notes is not None:
        i = int(np.flatnonzero(worded)[0])
        notes.append(
            f"{name}: {int(worded.sum())} year(s) written with the word 'năm' (first on line {line[i]}: "
            f"{column.iloc[i]!r}); read as the number alone"
        )
    return match[1].astype(np.int32)


def _numbers(column: pd.Series, name: str, line: np.ndarray, col: str, decimal: str) -> pd.Series:
    """Numbers from a column; missing stays NaN, unreadable text raises or stays NaN with a note."""
    if pd.api.types.is_float_dtype(column.dtype) or pd.api.types.is_integer_dtype(column.dtype):
        return column if column.dtype == np.float64 else column.astype(np.float64)
    text = column.astype("string").str.strip()
    text = text.mask(text.isin(MISSING_TOKENS))
    if decimal == ".":
        dots = text.str.match(THOUSANDS_DOT).fillna(False).to_numpy(dtype=bool)
        if column.dtype == object:  # spreadsheet cells: a number cell is not ambiguous, only text is
            dots &= column.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
        if dots.any():
            at = int(np.flatnonzero(dots)[0])
            raise DataError(ambiguous(str(text.iloc[at]), name, int(line[at]), col))
    else:
        text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    values = pd.to_numeric(text, errors="coerce").astype(np.float64)
    bad = values.isna().to_numpy() & text.notna().to_numpy()
    for i in np.flatnonzero(bad):
        raw = str(text.iloc[i])
        percent = _PERCENT.match(raw)
        if percent:
            raise DataError(
                Problem(
                    f"{raw!r} has a percent sign; write the number alone ({percent[1]}): "
                    "the indicator's unit comes from the plan",
                    name,
                    int(line[i]),
                    col,
                )
            )
        if decimal == "." and (_DECIMAL_COMMA.match(raw) or _THOUSANDS_COMMA.match(raw)):
            raise DataError(ambiguous(raw, name, int(line[i]), col))
    if bad.any() and col != "value":
        first = int(np.flatnonzero(bad)[0])
        raise DataError(
            Problem(
                f"{text.iloc[first]!r} is not a number; write a plain number or leave it blank",
                name,
                int(line[first]),
                col,
            )
        )
    if bad.any():
        # Not a number: kept, and judged ``invalid`` with the text shown back.
        values.attrs["raw"] = {
            int(i): unicodedata.normalize("NFC", str(text.iloc[i])) for i in np.flatnonzero(bad)
        }
    return values


def _from_wide(
    frame: pd.DataFrame, columns: list[str], name: str, decimal: str, line: np.ndarray, notes: list[str]
) -> pd.DataFrame:
    indicator_cols = [c for c in columns if c and c not in ("unit", "year", *OPTIONAL)]
    if not indicator_cols:
        raise DataError(Problem("no indicator columns next to unit and year", name, 1))
    frame = frame.loc[:, ~frame.columns.duplicated()].copy()
    frame["__line"] = line
    long = frame.melt(id_vars=["unit", "year", "__line"], value_vars=indicator_cols, var_name="indicator")
    long = long.dropna(subset=["value"]) if long["value"].notna().any() else long
    long_line = long.pop("__line").to_numpy(dtype=np.int64)
    long = long.reset_index(drop=True)
    return _tidy(long[["unit", "indicator", "year", "value"]], name, decimal, long_line, notes)


def _without_repeats(frame: pd.DataFrame) -> pd.DataFrame:
    """Refuse a unit, indicator and year given twice with different values; drop exact repeats.

    Found with one sort of integer keys built from the category codes: a
    hash over three columns would cost more than reading the file.
    """
    n_ind = len(frame["indicator"].cat.categories) + 1
    # Built in place: a national file has two million keys, temporaries add up.
    key = frame["unit"].cat.codes.to_numpy().astype(np.int64)
    key *= n_ind
    key += frame["indicator"].cat.codes.to_numpy()
    key <<= 16
    key += frame["year"].to_numpy()
    order = None  # already sorted, as most submissions are: no sort needed
    if not bool(np.all(key[1:] >= key[:-1])):
        order = np.argsort(key, kind="stable")
        key = key[order]
    repeated = key[1:] == key[:-1]
    if not repeated.any():
        return frame
    if order is None:
        order = np.arange(len(key))
    dup = np.zeros(len(frame), dtype=bool)
    dup[order[1:][repeated]] = True
    dup[order[:-1][repeated]] = True
    _refuse_conflicts(frame, dup)
    return frame.drop_duplicates(["unit", "indicator", "year", "value"], ignore_index=True)


def _refuse_conflicts(frame: pd.DataFrame, dup: np.ndarray) -> None:
    """The same unit, indicator and year twice with different values: never pick one."""
    key = ["unit", "indicator", "year"]
    rows = frame.loc[dup, [*key, "value", "file", "line"]]
    distinct = rows.groupby(key, observed=True)["value"].nunique(dropna=False)
    conflicting = distinct[distinct > 1]
    if conflicting.empty:
        return
    unit, indicator, year = conflicting.index[0]
    same = rows[(rows["unit"] == unit) & (rows["indicator"] == indicator) & (rows["year"] == year)]
    places = "; ".join(
        f"{r.file}:{r.line} = {'missing' if pd.isna(r.value) else format(r.value, 'g')}"
        for r in same.itertuples()
    )
    last = same.iloc[-1]
    raise DataError(
        Problem(
            f"{unit} / {indicator} / {year} is given {len(same)} times with different values "
            f"({places}); keep one row",
            str(last["file"]),
            int(last["line"]),
            "value",
        )
    )
