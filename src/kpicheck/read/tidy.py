"""The checks every format's rows go through on their way to the long table.

Whatever the format, rows arrive with canonical column names (``columns``) and
leave as one checked table: names trimmed and NFC-normalised as categoricals,
years as integers, numbers as floats, every problem located by file, line and
column. A cell that cannot be read without guessing is an error, never a guess.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from kpicheck.errors import DataError, Problem
from kpicheck.names import nfc
from kpicheck.read.columns import (
    CODE_COLUMNS,
    MISSING_TOKENS,
    OPTIONAL,
    PARENT_COLUMNS,
    THOUSANDS_DOT,
    ambiguous,
)
from kpicheck.read.encodings import foreign_letter

_DECIMAL_COMMA = re.compile(r"^\s*-?\d+,\d+\s*$")


_THOUSANDS_COMMA = re.compile(r"^\s*-?\d{1,3}(,\d{3})+\s*$")


_PERCENT = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*%\s*$")


_YEAR = re.compile(r"^\s*(?:(năm)\s*)?(\d{4})(?:\.0+)?\s*$", re.IGNORECASE)


def tidy(
    frame: pd.DataFrame, name: str, decimal: str, line: np.ndarray, notes: list[Problem] | None = None
) -> pd.DataFrame:
    """Rows with canonical columns, as read from any format, to the checked long table."""
    if frame.empty:
        raise DataError(Problem.of("data.no-rows", name, container="file"))
    value = _numbers(frame["value"], name, line, "value", decimal)
    raw = value.attrs.pop("raw", None)
    code = _codes(frame["unit_code"], name, line) if "unit_code" in frame.columns else None
    if "unit" in frame.columns:
        unit = _names(frame["unit"], name, line, "unit")
    else:  # units named by code alone: the code stands for the name until it is looked up
        assert code is not None
        unit = code.cat.add_categories([""]).fillna("")
    columns: dict[str, Any] = {
        "unit": unit,
        "indicator": _names(frame["indicator"], name, line, "indicator"),
        "year": _years(frame["year"], name, line, notes),
        "value": value,
    }
    pair = [c for c in ("numerator", "denominator") if c in frame.columns]
    if len(pair) == 1:
        # One without the other aggregates nothing: set aside, and said so.
        other = "denominator" if pair == ["numerator"] else "numerator"
        if notes is not None:
            notes.append(Problem.of("warning.lone-numerator", name, kept=pair[0], other=other))
        pair = []
    for col in pair:
        columns[col] = _numbers(frame[col], name, line, col, decimal)
    for col in PARENT_COLUMNS:
        if col in frame.columns:
            columns[col] = _names(frame[col], name, line, col)
    indicator = columns["indicator"]
    no_unit = unit.isna() | (unit == "")
    if code is not None:
        columns["unit_code"] = code
        no_unit &= code.isna()  # a code is enough
    blank = no_unit | (indicator.isna() | (indicator == ""))
    if blank.any():
        at = int(np.flatnonzero(blank.to_numpy())[0])
        col = "indicator" if not no_unit.iloc[at] else "unit" if code is None else "unit_code"
        raise DataError(Problem.of("data.blank-name", name, int(line[at]), col, name=col))
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
    cats = [nfc(str(c)).strip() for c in cat.cat.categories]
    codes = cat.cat.codes.to_numpy()
    for k, text in enumerate(cats):
        char = foreign_letter(text)
        if char is not None:
            at = int(np.flatnonzero(codes == k)[0])
            raise DataError(
                Problem.of("data.legacy-font-name", name, int(line[at]), col, text=text, char=char)
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


def _codes(column: pd.Series, name: str, line: np.ndarray) -> pd.Series:
    """Unit codes as text, compared on their categories only: "03433" keeps its zero; a number cell
    (3433 in a spreadsheet) is its digits, which the lookup pads to a code's length. A blank is no
    code. Anything but digits is refused: a name in the code column is a mistake to point at."""
    col = CODE_COLUMNS[0]
    if pd.api.types.is_float_dtype(column.dtype) or pd.api.types.is_integer_dtype(column.dtype):
        column = column.astype("object")
    cat = column.astype("category") if not isinstance(column.dtype, pd.CategoricalDtype) else column
    texts = [_code_text(c) for c in cat.cat.categories]
    for k, text in enumerate(texts):
        if text is not None and not (text.isdigit() and text.isascii()):
            at = int(np.flatnonzero(cat.cat.codes.to_numpy() == k)[0])
            raise DataError(Problem.of("data.bad-unit-code", name, int(line[at]), col, text=text))
    uniques = sorted({t for t in texts if t is not None})
    position = {text: i for i, text in enumerate(uniques)}
    remap = np.array([position[t] if t is not None else -1 for t in texts] + [-1], dtype=np.int32)
    codes = remap[cat.cat.codes.to_numpy()]  # code -1 (missing) hits the final -1
    return pd.Series(pd.Categorical.from_codes(codes, categories=uniques), index=column.index)


def _code_text(cell: object) -> str | None:
    """One code cell as text: 3433.0 (a number cell) is "3433"; blank, "-" and friends are none."""
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    text = nfc(str(cell)).strip()
    return None if text in MISSING_TOKENS else text


def _years(column: pd.Series, name: str, line: np.ndarray, notes: list[Problem] | None = None) -> pd.Series:
    if pd.api.types.is_integer_dtype(column.dtype) and not column.isna().any():
        return column if column.dtype == np.int32 else column.astype(np.int32)
    text = column.astype("string").str.normalize("NFC")
    match = text.str.extract(_YEAR, expand=True)
    bad = match[1].isna().to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raw = column.iloc[i]
        shown = "blank" if pd.isna(raw) or str(raw).strip() == "" else repr(raw)
        raise DataError(Problem.of("data.bad-year", name, int(line[i]), "year", shown=shown))
    worded = match[0].notna().to_numpy()
    if worded.any() and notes is not None:
        i = int(np.flatnonzero(worded)[0])
        notes.append(
            Problem.of(
                "warning.year-with-word",
                name,
                count=int(worded.sum()),
                first=int(line[i]),
                text=column.iloc[i],
            )
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
                Problem.of("data.percent-sign", name, int(line[i]), col, text=raw, number=percent[1])
            )
        if decimal == "." and (_DECIMAL_COMMA.match(raw) or _THOUSANDS_COMMA.match(raw)):
            raise DataError(ambiguous(raw, name, int(line[i]), col))
    if bad.any() and col != "value":
        first = int(np.flatnonzero(bad)[0])
        raise DataError(Problem.of("data.not-a-number", name, int(line[first]), col, text=text.iloc[first]))
    if bad.any():
        # Not a number: kept, and judged ``invalid`` with the text shown back.
        values.attrs["raw"] = {int(i): nfc(str(text.iloc[i])) for i in np.flatnonzero(bad)}
    return values


def from_wide(
    frame: pd.DataFrame, columns: list[str], name: str, decimal: str, line: np.ndarray, notes: list[Problem]
) -> pd.DataFrame:
    indicator_cols = [c for c in columns if c and c not in ("unit", "year", *OPTIONAL)]
    if not indicator_cols:
        raise DataError(Problem.of("data.no-indicator-columns", name, 1))
    frame = frame.loc[:, ~frame.columns.duplicated()].copy()
    frame["__line"] = line
    ids = [c for c in ("unit", *CODE_COLUMNS) if c in frame.columns]
    long = frame.melt(id_vars=[*ids, "year", "__line"], value_vars=indicator_cols, var_name="indicator")
    long = long.dropna(subset=["value"]) if long["value"].notna().any() else long
    long_line = long.pop("__line").to_numpy(dtype=np.int64)
    long = long.reset_index(drop=True)
    return tidy(long[[*ids, "indicator", "year", "value"]], name, decimal, long_line, notes)


def without_repeats(frame: pd.DataFrame) -> pd.DataFrame:
    """Refuse a unit, indicator and year given twice with different values; drop exact repeats.

    Found with one sort of integer keys built from the category codes: a
    hash over three columns would cost more than reading the file.
    """
    n_ind = len(frame["indicator"].cat.categories) + 1
    # Built in place: a national file has two million keys, temporaries add up.
    key = frame["unit"].cat.codes.to_numpy().astype(np.int64)
    if "unit_code" in frame.columns:  # two units may share a name; their codes tell them apart
        key += (frame["unit_code"].cat.codes.to_numpy().astype(np.int64) + 1) * len(
            frame["unit"].cat.categories
        )
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
    return frame.drop_duplicates([*_unit_key(frame), "indicator", "year", "value"], ignore_index=True)


def _unit_key(frame: pd.DataFrame) -> list[str]:
    return ["unit", "unit_code"] if "unit_code" in frame.columns else ["unit"]


def _equal(column: pd.Series, value: object) -> np.ndarray:
    """``column == value`` where a missing value equals a missing value."""
    if pd.isna(value):
        return column.isna().to_numpy()
    return (column == value).to_numpy()


def _refuse_conflicts(frame: pd.DataFrame, dup: np.ndarray) -> None:
    """The same unit, indicator and year twice with different values: never pick one."""
    key = [*_unit_key(frame), "indicator", "year"]
    rows = frame.loc[dup, [*key, "value", "file", "line"]]
    distinct = rows.groupby(key, observed=True, dropna=False)["value"].nunique(dropna=False)
    conflicting = distinct[distinct > 1]
    if conflicting.empty:
        return
    first = dict(zip(key, conflicting.index[0], strict=True))
    same = rows[np.logical_and.reduce([_equal(rows[c], v) for c, v in first.items()])]
    unit, indicator, year = first["unit"], first["indicator"], first["year"]
    if first.get("unit_code") is not None and not pd.isna(first["unit_code"]):
        unit = f"{unit} ({first['unit_code']})" if unit != first["unit_code"] else unit
    places = "; ".join(
        f"{r.file}:{r.line} = {'missing' if pd.isna(r.value) else format(r.value, 'g')}"
        for r in same.itertuples()
    )
    last = same.iloc[-1]
    raise DataError(
        Problem.of(
            "data.conflicting-duplicate",
            str(last["file"]),
            int(last["line"]),
            "value",
            unit=unit,
            indicator=indicator,
            year=year,
            count=len(same),
            places=places,
        )
    )
