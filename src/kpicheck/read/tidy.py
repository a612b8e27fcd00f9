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
from kpicheck.read.columns import MISSING_TOKENS, OPTIONAL, PARENT_COLUMNS, THOUSANDS_DOT, ambiguous
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
            notes.append(Problem.of("warning.lone-numerator", name, kept=pair[0], other=other))
        pair = []
    for col in pair:
        columns[col] = _numbers(frame[col], name, line, col, decimal)
    for col in PARENT_COLUMNS:
        if col in frame.columns:
            columns[col] = _names(frame[col], name, line, col)
    if "note" in frame.columns:
        columns["note"] = _user_notes(frame["note"], name, line)
    unit, indicator = columns["unit"], columns["indicator"]
    blank = (unit.isna() | (unit == "")) | (indicator.isna() | (indicator == ""))
    if blank.any():
        at = int(np.flatnonzero(blank.to_numpy())[0])
        col = "unit" if pd.isna(unit.iloc[at]) or unit.iloc[at] == "" else "indicator"
        raise DataError(Problem.of("data.blank-name", name, int(line[at]), col, name=col))
    blank = blank_values(frame)
    if blank is not None:
        columns["blank"] = blank
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


def blank_values(frame: pd.DataFrame) -> np.ndarray | None:
    """Which rows leave the value cell empty (None when none does).

    An empty cell is a figure not submitted yet (a template row nobody filled
    in): judged as if the row were absent, so ``no_data`` where a target
    applies, never ``invalid``; "-", "N/A" or "không có số liệu" say that there
    is no figure, and stay ``invalid``. This holds for every file, template or
    not: nothing on a row tells a template from a copy of it.
    """
    if "blank" in frame.columns:  # told by the CSV reader, where an empty cell is not a NaN
        blank = frame["blank"].fillna(False).to_numpy(dtype=bool)
    elif pd.api.types.is_numeric_dtype(frame["value"].dtype):
        blank = frame["value"].isna().to_numpy()
    else:
        text = frame["value"].astype("string").str.strip()
        blank = (text.isna() | (text == "")).to_numpy(dtype=bool)
    return blank if blank.any() else None


def _user_notes(column: pd.Series, name: str, line: np.ndarray) -> pd.Series:
    """The user's own note on each row, as written (trimmed, NFC); a blank cell is no note."""
    notes = _names(column.astype("string"), name, line, "note")
    return notes.cat.remove_categories([""]) if "" in notes.cat.categories else notes


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
    long = frame.melt(id_vars=["unit", "year", "__line"], value_vars=indicator_cols, var_name="indicator")
    long = long.dropna(subset=["value"]) if long["value"].notna().any() else long
    long_line = long.pop("__line").to_numpy(dtype=np.int64)
    long = long.reset_index(drop=True)
    return tidy(long[["unit", "indicator", "year", "value"]], name, decimal, long_line, notes)


def without_repeats(frame: pd.DataFrame) -> pd.DataFrame:
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
    blank = frame["blank"].to_numpy(dtype=bool) if "blank" in frame.columns else None
    if blank is not None and (dup & blank).any():
        # An empty row beside the same row filled in is not a second value: as if it were absent.
        return without_repeats(frame[~(dup & blank)].reset_index(drop=True))
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
