"""Reading submitted figures ("số liệu thực hiện") into one tidy table.

The canonical shape is long: one row per unit, indicator and year. Files are
read with pyarrow's multithreaded CSV reader, unit and indicator names as
dictionary (categorical) columns, so a national file costs little more than
its parse. Anything that cannot be read without guessing is an error that
names the file, the line and the column.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from kpicheck.errors import DataError, Problem

REQUIRED = ("unit", "indicator", "year", "value")
# Higher units a row belongs to, for ``--rollup``.
PARENT_COLUMNS = ("parent", "district", "province")
# Columns of ``kpicheck template`` that help whoever fills it in; read and ignored.
TEMPLATE_COLUMNS = ("name", "measure", "target")
OPTIONAL = ("numerator", "denominator", *PARENT_COLUMNS, "note", *TEMPLATE_COLUMNS)
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
_YEAR_FLOAT = re.compile(r"^\s*(\d{4})(\.0+)?\s*$")
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


@dataclass
class Actuals:
    """The figures of one or more files, and what was assumed while reading them."""

    frame: pd.DataFrame
    warnings: list[str] = field(default_factory=list)


def read_actuals(paths: Iterable[Path], decimal: str = ".") -> Actuals:
    """Read every file into one long table with columns unit, indicator, year, value, file, line."""
    frames: list[pd.DataFrame] = []
    warnings: list[str] = []
    for path in paths:
        frame, notes = read_one(path, decimal)
        frames.append(frame)
        warnings.extend(notes)
    if not frames:
        raise DataError("no data files given")
    frame = frames[0] if len(frames) == 1 else _concat(frames)
    _refuse_conflicts(frame)
    frame = frame.drop_duplicates(["unit", "indicator", "year", "value"], ignore_index=True)
    return Actuals(frame, warnings)


def read_one(path: Path, decimal: str = ".") -> tuple[pd.DataFrame, list[str]]:
    """One CSV file as a long table; the errors name ``path``."""
    name = str(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(65536)
    except OSError as exc:
        raise DataError(Problem(f"cannot read the file: {exc.strerror}", name)) from None
    if not head.strip():
        raise DataError(Problem("the file is empty; it needs a header line and data rows", name))
    if b"\x00" in head:
        raise DataError(Problem("not a text file (CSV expected); is it a spreadsheet or binary?", name))
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    try:
        first_line = head.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        raise DataError(Problem("the header is not UTF-8; save the file as CSV UTF-8", name, 1)) from None
    delimiter = max((",", ";", "\t"), key=first_line.count)
    header = next(csv.reader([first_line], delimiter=delimiter))
    columns = _header_names(header, name)
    warnings: list[str] = []
    extra = [raw for raw, canon in zip(header, columns, strict=True) if canon not in (*REQUIRED, *OPTIONAL)]
    if "indicator" not in columns and "value" not in columns and {"unit", "year"} <= set(columns):
        table = _read_table(path, header, delimiter, {})
        return _from_wide(table, header, columns, name, decimal), warnings
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise DataError(
            Problem(
                f"missing column {', '.join(repr(m) for m in missing)}; "
                f"the header must have unit,indicator,year,value (found: {', '.join(header)})",
                name,
                1,
            )
        )
    if extra:
        warnings.append(f"{name}: ignoring unknown column(s) {', '.join(extra)}")
    raw_of = dict(zip(columns, header, strict=True))
    numeric = {"value": pa.float64(), "year": pa.int32()}
    numeric.update({c: pa.float64() for c in ("numerator", "denominator") if c in raw_of})
    types = {raw_of[c]: t for c, t in numeric.items() if decimal == "."}
    try:
        table = _read_table(path, header, delimiter, types)
    except pa.ArrowInvalid:
        # Some cell is not a plain number: read as text and say which one.
        table = _read_table(path, header, delimiter, {raw_of[c]: pa.string() for c in numeric})
    frame = table.to_pandas()
    frame.columns = pd.Index(columns)
    frame = frame[[c for c in (*REQUIRED, *OPTIONAL) if c in frame.columns]]
    return _tidy(frame, name, decimal), warnings


def _read_table(path: Path, header: list[str], delimiter: str, types: dict[str, pa.DataType]) -> pa.Table:
    name = str(path)
    string_types = {raw: pa.string() for raw in header if raw not in types}
    try:
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(use_threads=True, block_size=1 << 24),
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
        text = str(exc)
        if "CSV conversion error" in text or ("In CSV column" in text and "conversion" in text):
            raise
        line = _line_in(text)
        raise DataError(
            Problem(f"not a well-formed CSV file ({_first_sentence(text)})", name, line)
        ) from None


def _tidy(frame: pd.DataFrame, name: str, decimal: str) -> pd.DataFrame:
    if frame.empty:
        raise DataError(Problem("the file has a header but no data rows", name))
    line = np.arange(2, len(frame) + 2, dtype=np.int64)
    value = _numbers(frame["value"], name, line, "value", decimal)
    raw = value.attrs.pop("raw", None)
    out = pd.DataFrame(
        {
            "unit": _names(frame["unit"]),
            "indicator": _names(frame["indicator"]),
            "year": _years(frame["year"], name, line),
            "value": value,
        }
    )
    for col in ("numerator", "denominator"):
        if col in frame.columns:
            out[col] = _numbers(frame[col], name, line, col, decimal)
    for col in PARENT_COLUMNS:
        if col in frame.columns:
            out[col] = _names(frame[col])
    blank = (out["unit"].isna() | (out["unit"] == "")) | (out["indicator"].isna() | (out["indicator"] == ""))
    if blank.any():
        first = int(line[np.flatnonzero(blank.to_numpy())[0]])
        unit = out["unit"].iloc[first - 2]
        col = "unit" if pd.isna(unit) or unit == "" else "indicator"
        raise DataError(Problem(f"{col} is blank; every row needs a unit and an indicator", name, first, col))
    if raw:
        note = pd.Series(pd.NA, index=out.index, dtype="string")
        note.iloc[list(raw)] = [f"not a number: {v!r}" for v in raw.values()]
        out["raw_note"] = note
    out["file"] = pd.Categorical.from_codes(np.zeros(len(out), dtype=np.int8), categories=[name])
    out["line"] = line
    return out


def _names(column: pd.Series) -> pd.Series:
    """Unit and indicator names: trimmed and NFC-normalised, compared on their categories only."""
    cat = column.astype("category") if not isinstance(column.dtype, pd.CategoricalDtype) else column
    cats = [unicodedata.normalize("NFC", str(c)).strip() for c in cat.cat.categories]
    uniques: list[str] = sorted(set(cats))
    position = {name: i for i, name in enumerate(uniques)}
    inverse = [position[c] for c in cats]
    codes = cat.cat.codes.to_numpy()
    remap = np.asarray(inverse, dtype=np.int32)
    new_codes = np.where(codes >= 0, remap[np.maximum(codes, 0)] if len(remap) else -1, -1)
    return pd.Series(pd.Categorical.from_codes(new_codes, categories=uniques), index=column.index)


def _years(column: pd.Series, name: str, line: np.ndarray) -> pd.Series:
    if pd.api.types.is_integer_dtype(column.dtype) and not column.isna().any():
        return column.astype(np.int32)
    text = column.astype("string")
    match = text.str.extract(_YEAR_FLOAT, expand=True)[0]
    bad = match.isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raw = column.iloc[i]
        shown = "blank" if pd.isna(raw) else repr(raw)
        raise DataError(
            Problem(
                f"year is {shown}; write the year as four digits, e.g. 2025",
                name,
                int(line[i]),
                "year",
            )
        )
    return match.astype(np.int32)


def _numbers(column: pd.Series, name: str, line: np.ndarray, col: str, decimal: str) -> pd.Series:
    """Numbers from a column; missing stays NaN, unreadable text raises or stays NaN with a note."""
    if pd.api.types.is_float_dtype(column.dtype):
        return column.astype(np.float64)
    text = column.astype("string").str.strip()
    text = text.mask(text.isin(MISSING_TOKENS))
    if decimal == ",":
        text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    values = pd.to_numeric(text, errors="coerce").astype(np.float64)
    bad = values.isna().to_numpy() & text.notna().to_numpy()
    if bad.any() and decimal == ".":
        for i in np.flatnonzero(bad):
            raw = str(text.iloc[i])
            if _DECIMAL_COMMA.match(raw) or _THOUSANDS_COMMA.match(raw):
                raise DataError(
                    Problem(
                        f"{raw!r} is ambiguous (decimal comma or thousands separator?); "
                        "write it with a decimal point, or pass --decimal , if the file uses "
                        "decimal commas",
                        name,
                        int(line[i]),
                        col,
                    )
                )
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
        values.attrs["raw"] = {int(i): str(text.iloc[i]) for i in np.flatnonzero(bad)}
    return values


def _from_wide(
    table: pa.Table, header: list[str], columns: list[str], name: str, decimal: str
) -> pd.DataFrame:
    frame = table.to_pandas()
    frame.columns = pd.Index(columns)
    indicator_cols = [c for c in columns if c not in ("unit", "year", *OPTIONAL)]
    if not indicator_cols:
        raise DataError(Problem("no indicator columns next to unit and year", name, 1))
    frame["__line"] = np.arange(2, len(frame) + 2)
    long = frame.melt(id_vars=["unit", "year", "__line"], value_vars=indicator_cols, var_name="indicator")
    long = long.dropna(subset=["value"]) if long["value"].notna().any() else long
    line = long.pop("__line").to_numpy()
    long = long.reset_index(drop=True)
    tidy = _tidy(long[["unit", "indicator", "year", "value"]], name, decimal)
    tidy["line"] = line
    return tidy


def _header_names(header: list[str], name: str) -> list[str]:
    names = []
    for raw in header:
        key = unicodedata.normalize("NFC", raw).strip().lower()
        names.append(HEADER_ALIASES.get(key, key))
    seen: set[str] = set()
    for raw, canon in zip(header, names, strict=True):
        if canon in seen:
            raise DataError(Problem(f"column {raw!r} appears twice in the header; keep one", name, 1, raw))
        seen.add(canon)
    return names


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    from pandas.api.types import union_categoricals

    out = {}
    for col in frames[0].columns:
        parts = [f[col] for f in frames if col in f.columns]
        if isinstance(parts[0].dtype, pd.CategoricalDtype) and len(parts) == len(frames):
            out[col] = pd.Series(union_categoricals(parts, ignore_order=True))
        else:
            out[col] = pd.concat(
                [f[col] if col in f.columns else pd.Series(np.nan, index=f.index) for f in frames],
                ignore_index=True,
            )
    return pd.DataFrame(out)


def _refuse_conflicts(frame: pd.DataFrame) -> None:
    """The same unit, indicator and year twice with different values: never pick one."""
    key = ["unit", "indicator", "year"]
    dup = frame.duplicated(key, keep=False)
    if not dup.any():
        return
    rows = frame.loc[dup, [*key, "value", "file", "line"]]
    distinct = rows.groupby(key, observed=True)["value"].nunique(dropna=False)
    conflicting = distinct[distinct > 1]
    if conflicting.empty:
        return
    unit, indicator, year = conflicting.index[0]
    same = rows[(rows["unit"] == unit) & (rows["indicator"] == indicator) & (rows["year"] == year)]
    places = "; ".join(f"{r.file}:{r.line} = {r.value:g}" for r in same.itertuples())
    raise DataError(
        Problem(
            f"{unit} / {indicator} / {year} is given {len(same)} times with different values "
            f"({places}); keep one row"
        )
    )


def _line_in(text: str) -> int | None:
    match = re.search(r"[Rr]ow #?(\d+)", text)
    return int(match[1]) if match else None


def _first_sentence(text: str) -> str:
    return text.split("\n")[0].strip()
