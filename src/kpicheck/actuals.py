"""Reading submitted figures ("số liệu thực hiện") into one tidy table.

The canonical shape is long: one row per unit, indicator and year. CSV files
are read with pyarrow's multithreaded CSV reader, unit and indicator names as
dictionary (categorical) columns, so a national file costs little more than
its parse. Excel workbooks are read with calamine, Parquet files with pyarrow;
all three end in the same checks (``_layout`` for the header, ``_tidy`` for
the rows). Anything that cannot be read without guessing is an error that
names the file, the line (or spreadsheet row) and the column; whatever was
assumed to read a file is said in a warning.

Memory stays bounded on hostile files: only the first 64 KiB are read to
decide the format and encoding, and pyarrow parses in blocks of ``BLOCK_BYTES``, so a
line longer than that is refused instead of being held whole.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from kpicheck.encodings import LEGACY_ADVICE, Encoding, foreign_letter, sniff
from kpicheck.errors import DataError, Problem
from kpicheck.frames import concat

REQUIRED = ("unit", "indicator", "year", "value")
NAMES = ("unit", "indicator")
# Higher units a row belongs to, for ``--rollup``.
PARENT_COLUMNS = ("parent", "district", "province")
# Columns of ``kpicheck template`` that help whoever fills it in; read and ignored.
TEMPLATE_COLUMNS = ("name", "measure", "target")
OPTIONAL = ("numerator", "denominator", *PARENT_COLUMNS, "note", *TEMPLATE_COLUMNS)
NUMERIC = ("value", "numerator", "denominator")
# Written by offices for "no figure"; read as missing, judged ``invalid``.
MISSING_TOKENS = (
    "",
    "-",
    "--",
    "n/a",
    "na",
    "N/A",
    "NA",
    "null",
    "NULL",
    "không có số liệu",
    "Không có số liệu",
    "x",
    "X",
)
_DECIMAL_COMMA = re.compile(r"^\s*-?\d+,\d+\s*$")
_THOUSANDS_COMMA = re.compile(r"^\s*-?\d{1,3}(,\d{3})+\s*$")
# "1.000" or "12.500.000": dots grouping thousands, as Vietnamese-locale Excel writes them.
_THOUSANDS_DOT = re.compile(r"^\s*-?[1-9]\d{0,2}(\.\d{3})+\s*$")
_DOT_THREE = re.compile(r"\.[0-9]{3}(?![0-9])")
_PERCENT = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*%\s*$")
_YEAR = re.compile(r"^\s*(?:(năm)\s*)?(\d{4})(?:\.0+)?\s*$", re.IGNORECASE)
HEADER_ALIASES = {
    "don_vi": "unit",
    "đơn vị": "unit",
    "chi_tieu": "indicator",
    "chỉ tiêu": "indicator",
    "nam": "year",
    "năm": "year",
    "gia_tri": "value",
    "giá trị": "value",
}

SNIFF_BYTES = 1 << 16
# pyarrow's block: one line must fit in it, and memory stays within a few blocks.
BLOCK_BYTES = 1 << 22
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
PARQUET_SUFFIXES = (".parquet",)
# A spreadsheet's header is looked for in its first rows, below any title rows.
HEADER_SEARCH_ROWS = 30
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PARQUET_MAGIC = b"PAR1"
_NEWLINE = re.compile(r"\r\n|\r|\n")
# C0 control characters that no text file holds (tab, newlines, form feed and DOS's EOF aside),
# mapped to 0 for one ``translate`` (ten times faster than a regular expression on 64 KiB).
_CONTROL = bytes(0 if c < 0x20 and c not in b"\t\n\x0c\r\x1a" else 1 for c in range(256))


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
        frame = combined.to_pandas(self_destruct=True, split_blocks=True)
        del combined
        ranges = [np.arange(2, n + 2, dtype=np.int64) for n in sizes]
        lines = ranges[0] if len(ranges) == 1 else np.concatenate(ranges)
        out = _tidy(frame, pending[0].name, decimal, lines, notes)
        located = len(pending) == 1 or not notes  # one file's notes already name it
    except (DataError, pa.ArrowInvalid):
        located = False
    if not located:
        # Redo file by file: the error or warning then names the right file.
        notes = []
        frames = [
            _tidy(item.table.to_pandas(), item.name, decimal, np.arange(2, n + 2, dtype=np.int64), notes)
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
    if head.startswith(_ZIP_MAGIC) or suffix in EXCEL_SUFFIXES:
        if suffix not in EXCEL_SUFFIXES:
            notes.append(f"{name}: the file is an Excel workbook, not {suffix or 'CSV'} text; read as .xlsx")
        frame = _read_excel(path, name, decimal, sheet, notes)
    elif head.startswith(_PARQUET_MAGIC) or suffix in PARQUET_SUFFIXES:
        if suffix not in PARQUET_SUFFIXES:
            notes.append(f"{name}: the file is a Parquet file, not {suffix or 'CSV'} text; read as Parquet")
        frame = _read_parquet(path, name, decimal, notes)
    elif head.startswith(_OLE_MAGIC):
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
    encoding = _text_encoding(head, name)
    if encoding.assumed:
        notes.append(f"{name}: read as {encoding.assumed}")
    try:
        text = encoding.decode_head(head)
    except UnicodeDecodeError:
        raise DataError(Problem("the first line is not valid text", name, 1)) from None
    complete = len(head) < SNIFF_BYTES
    # Lines end in \n, \r\n or (old Mac files) \r alone; pyarrow takes all three.
    lines = _NEWLINE.split(text, maxsplit=1)
    if len(lines) == 1 and not complete:
        raise DataError(
            Problem(f"the first line is longer than {SNIFF_BYTES // 1024} KiB; is this a CSV file?", name, 1)
        )
    first_line = lines[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        header = next(csv.reader([first_line], delimiter=delimiter), [])
    except csv.Error as exc:
        raise DataError(Problem(f"the header line is not CSV ({exc})", name, 1)) from None
    columns, wide = _layout(header, name, 1, notes)
    if wide:
        table = _read_table(path, encoding, header, delimiter, {})
        frame = table.to_pandas()
        frame.columns = pd.Index(columns)
        return _from_wide(frame, columns, name, decimal, np.arange(2, len(frame) + 2), notes)
    raw_of = dict(zip(columns, header, strict=True))
    numeric = {"value": pa.float64(), "year": pa.int32()}
    numeric.update({c: pa.float64() for c in ("numerator", "denominator") if c in raw_of})
    # Names as dictionaries from the first block on: a column of two million
    # strings is never built, which halves the reader's peak memory.
    names = {
        raw_of[c]: pa.dictionary(pa.int32(), pa.string()) for c in (*NAMES, *PARENT_COLUMNS) if c in raw_of
    }
    types = {**names, **{raw_of[c]: t for c, t in numeric.items() if decimal == "."}}
    try:
        table = _read_table(path, encoding, header, delimiter, types)
        if decimal == ".":
            # pyarrow read "1.000" as 1.0: look for thousands dots where the text is at hand.
            _refuse_thousands_dots(text, complete, delimiter, columns, name)
        if defer and decimal == "." and not encoding.assumed:
            wanted = [c for c in (*REQUIRED, *OPTIONAL) if c in raw_of and c not in TEMPLATE_COLUMNS]
            keep = table.select([raw_of[c] for c in wanted]).rename_columns(wanted)
            return _Pending(keep, name)
    except _NotPlainNumbers:
        # Some cell is not a plain number: read as text and say which one.
        table = _read_table(
            path, encoding, header, delimiter, {**names, **{raw_of[c]: pa.string() for c in numeric}}
        )
    # The Arrow buffers are released column by column as pandas takes them over.
    frame = table.to_pandas(self_destruct=True, split_blocks=True)
    del table
    frame.columns = pd.Index(columns)
    frame = frame[[c for c in (*REQUIRED, *OPTIONAL) if c in frame.columns]]
    return _tidy(frame, name, decimal, np.arange(2, len(frame) + 2, dtype=np.int64), notes)


def _text_encoding(head: bytes, name: str) -> Encoding:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return sniff(head, name)  # UTF-16 holds NUL bytes by nature
    if b"\x00" in head.translate(_CONTROL):
        raise DataError(
            Problem(
                "not a text file: it holds control bytes (a binary file renamed .csv?); "
                "give a CSV, .xlsx or .parquet file",
                name,
            )
        )
    return sniff(head, name)


class _NotPlainNumbers(Exception):
    """A numeric column holds text: read the file again as text to name the cell."""


def _read_table(
    path: Path, encoding: Encoding, header: list[str], delimiter: str, types: dict[str, pa.DataType]
) -> pa.Table:
    name = str(path)
    string_types = {raw: pa.string() for raw in header if raw not in types}
    try:
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(
                use_threads=True,
                block_size=BLOCK_BYTES,
                # pyarrow transcodes other encodings block by block, so memory stays bounded.
                encoding="utf8" if encoding.is_utf8 else encoding.codec,
            ),
            parse_options=pacsv.ParseOptions(delimiter=delimiter),
            convert_options=pacsv.ConvertOptions(
                column_types={**string_types, **types},
                # Missing-value words apply to numeric columns only: a unit may be called "X".
                null_values=list(MISSING_TOKENS),
                strings_can_be_null=False,
                auto_dict_encode=True,
                auto_dict_max_cardinality=1 << 20,
            ),
        )
    except pa.ArrowInvalid as exc:
        raise _csv_problem(path, encoding, header, delimiter, str(exc)) from None
    except UnicodeDecodeError as exc:
        line = _first_line_where(path, encoding.codec)
        raise DataError(
            Problem(
                f"byte {exc.object[exc.start]:#04x} is not {encoding.label} text; {LEGACY_ADVICE}",
                name,
                line,
            )
        ) from None


def _csv_problem(path: Path, encoding: Encoding, header: list[str], delimiter: str, text: str) -> Exception:
    """pyarrow's complaint as one located problem; the file is scanned again only on this error path."""
    name = str(path)
    column = re.search(r"In CSV column #(\d+)", text)
    if "conversion error to string" in text:
        key = header[int(column[1])] if column and int(column[1]) < len(header) else None
        line = _first_line_where(path, encoding.codec)
        return DataError(Problem(f"the text is not valid {encoding.label}; {LEGACY_ADVICE}", name, line, key))
    if "conversion error" in text:
        return _NotPlainNumbers()
    if "straddles" in text:
        line = _long_line(path)
        return DataError(
            Problem(f"a line longer than {BLOCK_BYTES >> 20} MiB: is this a CSV file?", name, line)
        )
    expected = re.search(r"Expected (\d+) columns, got (\d+)", text)
    if expected:
        line = _row_with_fields(path, encoding, delimiter, int(expected[1]))
        return DataError(
            Problem(
                f"{expected[2]} fields where the header has {expected[1]}; check the delimiters "
                "and quotes on this line",
                name,
                line,
            )
        )
    return DataError(
        Problem(
            f"not a well-formed CSV file ({_shorten(text)}); save it again as 'CSV UTF-8'",
            name,
            _line_in(text),
        )
    )


def _refuse_thousands_dots(text: str, complete: bool, delimiter: str, columns: list[str], name: str) -> None:
    """Refuse "1.000" in a number column of the sniffed rows; pyarrow would read it as 1.

    Only the first 64 KiB, already in memory, are looked at: the fast path
    makes no second pass over a large file. The text path checks every row.
    """
    if not _DOT_THREE.search(text):  # the cheap look first: a dot and exactly three digits
        return
    wanted = [i for i, c in enumerate(columns) if c in NUMERIC]
    lines = _NEWLINE.split(text)
    if not complete:
        lines.pop()  # cut by the 64 KiB limit
    for line, row in enumerate(csv.reader(lines[1:], delimiter=delimiter), start=2):
        for i in wanted:
            if i < len(row) and _THOUSANDS_DOT.match(row[i]):
                raise DataError(_ambiguous(row[i].strip(), name, line, columns[i]))


def _first_line_where(path: Path, codec: str) -> int | None:
    """The first line that does not decode; None for UTF-16, whose lines do not split on a byte."""
    if codec.startswith("utf-16"):
        return None
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not _decodes(raw, codec):
                return number
    return None


def _decodes(raw: bytes, codec: str) -> bool:
    try:
        raw.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _long_line(path: Path) -> int | None:
    """The number of the first line longer than a pyarrow block, read in 1 MiB pieces."""
    number, length = 1, 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            start = 0
            while (end := chunk.find(b"\n", start)) >= 0:
                if length + end - start > BLOCK_BYTES:
                    return number
                number, length, start = number + 1, 0, end + 1
            length += len(chunk) - start
            if length > BLOCK_BYTES:
                return number
    return None


def _row_with_fields(path: Path, encoding: Encoding, delimiter: str, expected: int) -> int | None:
    codec = "utf-8-sig" if encoding.is_utf8 else encoding.codec
    with path.open(encoding=codec, errors="replace", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            for row in reader:
                if row and len(row) != expected:
                    return reader.line_num
        except csv.Error:
            return reader.line_num
    return None


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
                    f"not a text file: a zip archive that is not an Excel workbook ({_shorten(str(exc))}); "
                    "give a CSV, .xlsx or .parquet file",
                    name,
                )
            ) from None
        raise DataError(
            Problem(
                f"cannot read it as an Excel workbook ({_shorten(str(exc))}); save it again as .xlsx", name
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
    columns, wide = _layout(header, name, header_at + 1, notes)
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
            Problem(f"cannot read it as a Parquet file ({_shorten(str(exc))}); write it again", name)
        ) from None
    header = list(table.column_names)
    columns, wide = _layout(header, name, None, notes)
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


def _layout(header: list[str], name: str, line: int | None, notes: list[str]) -> tuple[list[str], bool]:
    """Canonical column names, and whether the table is wide (one column per indicator)."""
    columns = _header_names(header, name, line)
    wide = "indicator" not in columns and "value" not in columns and {"unit", "year"} <= set(columns)
    if wide:
        return columns, True
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        found = ", ".join(header)
        raise DataError(
            Problem(
                f"missing column {', '.join(repr(m) for m in missing)}; "
                f"the header must have unit,indicator,year,value (found: {_shorten(found)})",
                name,
                line,
            )
        )
    extra = [
        repr(raw) if raw.strip() else f"{i + 1} (no name)"
        for i, (raw, canon) in enumerate(zip(header, columns, strict=True))
        if canon not in (*REQUIRED, *OPTIONAL)
    ]
    if extra:
        notes.append(f"{name}: ignoring unknown column(s) {', '.join(extra)}")
    return columns, False


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
    out = pd.DataFrame(
        {
            "unit": _names(frame["unit"], name, line, "unit"),
            "indicator": _names(frame["indicator"], name, line, "indicator"),
            "year": _years(frame["year"], name, line, notes),
            "value": value,
        }
    )
    pair = [c for c in ("numerator", "denominator") if c in frame.columns]
    if len(pair) == 1:
        # One without the other aggregates nothing: set aside, and said so.
        other = "denominator" if pair == ["numerator"] else "numerator"
        if notes is not None:
            notes.append(f"{name}: ignoring column '{pair[0]}': it needs a '{other}' column beside it")
        pair = []
    for col in pair:
        out[col] = _numbers(frame[col], name, line, col, decimal)
    for col in PARENT_COLUMNS:
        if col in frame.columns:
            out[col] = _names(frame[col], name, line, col)
    blank = (out["unit"].isna() | (out["unit"] == "")) | (out["indicator"].isna() | (out["indicator"] == ""))
    if blank.any():
        at = int(np.flatnonzero(blank.to_numpy())[0])
        unit = out["unit"].iloc[at]
        col = "unit" if pd.isna(unit) or unit == "" else "indicator"
        raise DataError(
            Problem(f"{col} is blank; every row needs a unit and an indicator", name, int(line[at]), col)
        )
    if raw:
        note = pd.Series(pd.NA, index=out.index, dtype="string")
        note.iloc[list(raw)] = [f"not a number: {v!r}" for v in raw.values()]
        out["raw_note"] = note
    out["file"] = pd.Categorical.from_codes(np.zeros(len(out), dtype=np.int8), categories=[name])
    out["line"] = line
    return out


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
        dots = text.str.match(_THOUSANDS_DOT).fillna(False).to_numpy(dtype=bool)
        if column.dtype == object:  # spreadsheet cells: a number cell is not ambiguous, only text is
            dots &= column.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
        if dots.any():
            at = int(np.flatnonzero(dots)[0])
            raise DataError(_ambiguous(str(text.iloc[at]), name, int(line[at]), col))
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
            raise DataError(_ambiguous(raw, name, int(line[i]), col))
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


def _ambiguous(raw: str, name: str, line: int, col: str) -> Problem:
    return Problem(
        f"{raw!r} is ambiguous (decimal mark or thousands separator?); write it without a thousands "
        "separator and with a decimal point, or pass --decimal , if the file writes decimal commas "
        "and thousands dots",
        name,
        line,
        col,
    )


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


def _header_names(header: list[str], name: str, line: int | None = 1) -> list[str]:
    names = []
    for raw in header:
        key = unicodedata.normalize("NFC", raw).strip().lower()
        names.append(HEADER_ALIASES.get(key, key))
    seen: set[str] = set()
    for raw, canon in zip(header, names, strict=True):
        if canon in seen:
            raise DataError(Problem(f"column {raw!r} appears twice in the header; keep one", name, line, raw))
        if canon:  # columns without a name are ignored, however many
            seen.add(canon)
    return names


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


def _line_in(text: str) -> int | None:
    match = re.search(r"[Rr]ow #?(\d+)", text)
    return int(match[1]) if match else None


def _shorten(text: str, limit: int = 120) -> str:
    first = text.split("\n")[0].strip()
    return first if len(first) <= limit else first[: limit - 1] + "…"
