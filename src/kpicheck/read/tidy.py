"""The checks every format's rows go through on their way to the long table.

Whatever the format, rows arrive with canonical column names (``columns``) and
leave as one checked table: names trimmed and NFC-normalised as categoricals,
years as integers, numbers as floats, every problem located by file, line and
column. A cell that cannot be read without guessing is an error, never a guess,
and every such cell of a file is found in one pass (``problems.Found``).

How numbers are read (``decimal``; the README's data section says the same):

- a cell that already holds a number (a numeric cell of a workbook, a numeric
  Parquet or DataFrame column) is that number, whatever the decimal mark;
- ``None``, no decimal mark given: "24.5" is 24.5; "1.000" or "57.781" (one to
  three digits, then groups of three after dots) is refused as ambiguous, since
  Vietnamese-locale Excel writes a thousand as "1.000"; a comma is refused;
- ``"."``, decimal points declared: "57.781" is 57.781 and "1.000" is one; a
  comma is refused ("1,000" may be a thousand, "24,5" a decimal comma);
- ``","``, decimal commas declared: "24,5" is 24.5 and "1.000" or "12.500,5"
  group thousands with dots; "24.6" groups nothing and is refused.

A figure that is infinite or too large for a float ("inf", "1e400") or "nan"
is not a figure: in the value column it is kept as text and judged
``invalid``, in a numerator or denominator it is an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from kpicheck.errors import DataError, Problem
from kpicheck.frames import category_texts
from kpicheck.names import fold_all, nfc
from kpicheck.read.columns import (
    CODE_COLUMNS,
    FIRST_YEAR,
    LAST_YEAR,
    MISSING_TOKENS,
    NAMES,
    OPTIONAL,
    PARENT_COLUMNS,
    THOUSANDS_DOT,
    ambiguous,
)
from kpicheck.read.encodings import foreign_letter
from kpicheck.read.problems import CAP, MORE, Found

# Digits with a comma (and perhaps points): "24,5", "1,000", "12.500,5", read with a decimal point.
_COMMA_NUMBER = re.compile(r"^\s*-?\d[\d.]*,[\d.,]*\d\s*$")


# Under decimal commas, the only place for a point: grouping thousands ("1.000", "12.500,5").
_GROUPED_BY_POINTS = re.compile(r"^\s*-?[1-9]\d{0,2}(\.\d{3})+(,\d+)?\s*$")


_PERCENT = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*%\s*$")


# A whole number, perhaps after the word "năm" or with ".0" (a spreadsheet's number as text);
# whether it is a plausible year is checked apart, so that 25 and 20255 say so.
_YEAR = re.compile(r"^\s*(?:(năm)\s*)?(-?\d{1,12})(?:\.0+)?\s*$", re.IGNORECASE)


def tidy(
    frame: pd.DataFrame,
    name: str,
    decimal: str | None,
    line: np.ndarray,
    notes: list[Problem] | None = None,
    cells: np.ndarray | None = None,
) -> pd.DataFrame:
    """Rows with canonical columns, as read from any format, to the checked long table.

    Every problem of the file is found before any is raised: one ``DataError``
    carries them all (the first ``problems.CAP`` of them, by line). ``cells``
    names, per row, the column its value was in (a wide table's indicator).
    """
    if frame.empty:
        raise DataError(Problem.of("data.no-rows", name, container="file"))
    found = Found()
    code = _codes(frame["unit_code"], name, line, found) if "unit_code" in frame.columns else None
    if "unit" in frame.columns:
        unit = _names(frame["unit"], name, line, "unit", found)
    else:  # units named by code alone: the code stands for the name until it is looked up
        assert code is not None
        unit = code.cat.add_categories([""]).fillna("")
    columns: dict[str, Any] = {
        "unit": unit,
        "indicator": _names(frame["indicator"], name, line, "indicator", found),
        "year": _years(frame["year"], name, line, found, notes),
    }
    columns["value"], raw = _numbers(frame["value"], name, line, "value", decimal, found, cells)
    pair = [c for c in ("numerator", "denominator") if c in frame.columns]
    if len(pair) == 1:
        # One without the other aggregates nothing: set aside, and said so.
        other = "denominator" if pair == ["numerator"] else "numerator"
        if notes is not None:
            notes.append(Problem.of("warning.lone-numerator", name, kept=pair[0], other=other))
        pair = []
    for col in pair:
        columns[col], _ = _numbers(frame[col], name, line, col, decimal, found)
    for col in PARENT_COLUMNS:
        if col in frame.columns:
            columns[col] = _names(frame[col], name, line, col, found)
    if "note" in frame.columns:
        columns["note"] = _user_notes(frame["note"], name, line, found)
    if code is not None:
        columns["unit_code"] = code
    for col in NAMES:
        names = columns[col]
        blank = (names.isna() | (names == "")).to_numpy(dtype=bool)
        if col == "unit" and code is not None:
            blank = blank & code.isna().to_numpy()  # a code is enough
            col = "unit" if "unit" in frame.columns else "unit_code"
        found.rows(blank, partial(_blank, name, line, col), line)
    blank = blank_values(frame)
    if blank is not None:
        columns["blank"] = blank
    if raw is not None:
        # The cells that are not numbers, as written: the judge says why they are invalid.
        columns["raw_value"] = raw
    columns["file"] = pd.Categorical.from_codes(np.zeros(len(frame), dtype=np.int8), categories=[name])
    columns["line"] = line
    # copy=False: the columns are fresh already; a copy of each would cost more than the checks.
    table = pd.DataFrame(columns, copy=False)
    if found.problems and not found.more:
        _conflicts_among_the_rest(found, table)
    found.check()
    return table


def _conflicts_among_the_rest(found: Found, table: pd.DataFrame) -> None:
    """In a file already refused, the rows that read cleanly are still checked for the same unit,
    indicator and year given twice with different values: every problem told in one run, not the
    conflict only once the bad cells are mended. (Past the cap, some refused rows are not known
    by line, so the check is left to the next run.)"""
    line = table["line"].to_numpy()
    rest = table[~np.isin(line, [p.line for p in found.problems if p.line is not None])]
    if len(rest) > 1:
        for problem in without_repeats(rest.reset_index(drop=True))[1]:
            found.add(problem)


def _blank(name: str, line: np.ndarray, col: str, i: int) -> Problem:
    return Problem.of("data.blank-name", name, int(line[i]), col, name=col)


def _names(column: pd.Series, name: str, line: np.ndarray, col: str, found: Found) -> pd.Series:
    """Unit and indicator names: trimmed and NFC-normalised, compared on their categories only.

    A name holding letters Vietnamese never uses is legacy-font text read as
    Unicode (TCVN3 or VNI saved as UTF-8): refused, never shown back garbled.
    """
    cat = column.astype("category") if not isinstance(column.dtype, pd.CategoricalDtype) else column
    raw = category_texts(cat)
    cats = [nfc(c).strip() for c in raw]
    codes = cat.cat.codes.to_numpy()
    for k, text in enumerate(cats):
        char = foreign_letter(text)
        if char is not None:
            at = int(np.flatnonzero(codes == k)[0])
            found.add(Problem.of("data.legacy-font-name", name, int(line[at]), col, text=text, char=char))
    if len(set(cats)) == len(cats) and cats == raw:
        return cat  # already clean, as almost every file is: keep the codes as they are
    uniques: list[str] = sorted(set(cats))
    position = {name: i for i, name in enumerate(uniques)}
    inverse = [position[c] for c in cats]
    remap = np.asarray(inverse, dtype=np.int32)
    new_codes = np.where(codes >= 0, remap[np.maximum(codes, 0)] if len(remap) else -1, -1)
    return pd.Series(pd.Categorical.from_codes(new_codes, categories=uniques), index=column.index)


def _codes(column: pd.Series, name: str, line: np.ndarray, found: Found) -> pd.Series:
    """Unit codes as text, compared on their categories only: "03433" keeps its zero; a number cell
    (3433 in a spreadsheet) is its digits, which the lookup pads to a code's length. A blank is no
    code. Anything but digits is a problem: a name in the code column is a mistake to point at."""
    col = CODE_COLUMNS[0]
    if pd.api.types.is_float_dtype(column.dtype) or pd.api.types.is_integer_dtype(column.dtype):
        column = column.astype("object")
    cat = column.astype("category") if not isinstance(column.dtype, pd.CategoricalDtype) else column
    texts = [_code_text(c) for c in cat.cat.categories.tolist()]
    for k, text in enumerate(texts):
        if text is not None and not (text.isdigit() and text.isascii()):
            at = int(np.flatnonzero(cat.cat.codes.to_numpy() == k)[0])
            found.add(Problem.of("data.bad-unit-code", name, int(line[at]), col, text=text))
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


def _user_notes(column: pd.Series, name: str, line: np.ndarray, found: Found) -> pd.Series:
    """The user's own note on each row, as written (trimmed, NFC); a blank cell is no note."""
    notes = _names(column.astype("string"), name, line, "note", found)
    return notes.cat.remove_categories([""]) if "" in notes.cat.categories else notes


def _years(
    column: pd.Series, name: str, line: np.ndarray, found: Found, notes: list[Problem] | None = None
) -> pd.Series:
    """Years as int32; a year that is not four digits, or lies outside the years plans can have
    (25, 20255, -2025, an int8 25 or a uint64 that overflows), is a problem, never a dropped row."""
    if pd.api.types.is_integer_dtype(column.dtype) and not column.isna().any():
        numbers = column.to_numpy()
        if len(numbers) and (numbers.min() < FIRST_YEAR or numbers.max() > LAST_YEAR):
            outside = (numbers < FIRST_YEAR) | (numbers > LAST_YEAR)
            found.rows(outside, lambda i: _outside(name, line, i, int(numbers[i])), line)
            return pd.Series(np.where(outside, 0, numbers).astype(np.int32), index=column.index)
        return column if column.dtype == np.int32 else column.astype(np.int32)
    text = column.astype("string").str.normalize("NFC")
    match = text.str.extract(_YEAR, expand=True)
    bad = match[1].isna().to_numpy()

    def not_a_year(i: int) -> Problem:
        raw = column.iloc[i]
        shown = "blank" if pd.isna(raw) or str(raw).strip() == "" else repr(raw)
        return Problem.of("data.bad-year", name, int(line[i]), "year", shown=shown)

    found.rows(bad, not_a_year, line)
    years = pd.to_numeric(match[1]).fillna(0).to_numpy(dtype=np.int64)
    outside = ~bad & ((years < FIRST_YEAR) | (years > LAST_YEAR))
    found.rows(outside, lambda i: _outside(name, line, i, int(years[i])), line)
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
    return pd.Series(years.astype(np.int32), index=column.index)


def _outside(name: str, line: np.ndarray, i: int, year: int) -> Problem:
    return Problem.of(
        "data.year-out-of-range", name, int(line[i]), "year", year=year, first=FIRST_YEAR, last=LAST_YEAR
    )


def _numbers(
    column: pd.Series,
    name: str,
    line: np.ndarray,
    col: str,
    decimal: str | None,
    found: Found,
    cells: np.ndarray | None = None,
) -> tuple[pd.Series, pd.Series | None]:
    """Numbers from a column, and for the value column the cells that are not numbers, as written.

    Missing cells stay NaN. A cell that is not a finite number is a problem in
    a numerator or denominator; in the value column it is kept (NaN, its text
    in the second series) and judged ``invalid``. See the module's docstring
    for the decimal mark.
    """
    text: pd.Series | None = None
    if column.dtype in (np.float16, np.float32):
        # The decimal the writer meant (24.6), not the float32 nearest to it (24.600000381...).
        values = column.to_numpy().astype(str).astype(np.float64)
    elif pd.api.types.is_float_dtype(column.dtype) or pd.api.types.is_integer_dtype(column.dtype):
        values = column.to_numpy(dtype=np.float64)
        if not np.isinf(values).any():  # the fast path of every plain file: no copy, no mask kept
            return (column if column.dtype == np.float64 else pd.Series(values, index=column.index)), None
    elif column.dtype == object:
        # Spreadsheet cells (or a DataFrame's): a number cell is a number, only text is parsed.
        values = np.full(len(column), np.nan)
        numeric = column.map(_is_number).to_numpy(dtype=bool)
        values[numeric] = column[numeric].to_numpy(dtype=np.float64)
        if not numeric.all():
            text = column.where(~numeric).astype("string")
    else:
        values = np.full(len(column), np.nan)
        text = column.astype("string")
    given = np.zeros(len(column), dtype=bool)  # cells written as text, not missing
    if text is not None:
        text = text.str.strip()
        text = text.mask(text.isin(MISSING_TOKENS))
        given = text.notna().to_numpy(dtype=bool)
        values = np.where(given, _parse(text, given, name, line, col, decimal, found, cells), values)
    unread = given & np.isnan(values)  # text that is no number: "abc", "nan"
    infinite = np.isinf(values)  # "inf", "1e400", or an infinite float in a numeric column
    out = pd.Series(values, index=column.index, dtype=np.float64)
    if not (unread.any() or infinite.any()):
        return out, None
    written = pd.Series(pd.NA, index=column.index, dtype="string")
    if text is not None:
        written = text.where(pd.Series(given, index=column.index))
    floats = infinite & ~given
    if floats.any():
        written[floats] = np.where(values[floats] > 0, "inf", "-inf")
    if col != "value":
        found.rows(
            unread, lambda i: Problem.of("data.not-a-number", name, int(line[i]), col, text=written.iloc[i])
        )
        found.rows(
            infinite, lambda i: Problem.of("data.not-finite", name, int(line[i]), col, text=written.iloc[i])
        )
        return out, None
    # Not a number, or not a finite one: kept, and judged ``invalid`` with the text shown back.
    bad = unread | infinite
    out[bad] = np.nan
    return out, written.where(pd.Series(bad, index=column.index)).str.normalize("NFC")


def _is_number(cell: object) -> bool:
    return isinstance(cell, int | float | np.number) and not isinstance(cell, bool | np.bool_)


def _parse(
    text: pd.Series,
    given: np.ndarray,
    name: str,
    line: np.ndarray,
    col: str,
    decimal: str | None,
    found: Found,
    cells: np.ndarray | None = None,
) -> np.ndarray:
    """Text cells as numbers under ``decimal``; a cell that reads two ways is a problem."""
    refused = np.zeros(len(text), dtype=bool)

    def refuse(mask: np.ndarray, problem: Callable[[int], Problem]) -> None:
        mask = mask & ~refused
        found.rows(mask, problem)
        refused[mask] = True

    def at(i: int) -> tuple[str, str, int, str]:
        return str(text.iloc[i]), name, int(line[i]), col if cells is None else str(cells[i])

    numeric = text
    if decimal is None:
        dots = text.str.match(THOUSANDS_DOT).fillna(False).to_numpy(dtype=bool)
        refuse(dots, lambda i: ambiguous(*at(i)))
    if decimal == ",":
        points = text.str.contains(".", regex=False).fillna(False).to_numpy(dtype=bool)
        if points.any():
            points &= ~text.str.match(_GROUPED_BY_POINTS).fillna(False).to_numpy(dtype=bool)
            refuse(points, lambda i: _point(*at(i)))
        numeric = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    parsed = pd.to_numeric(numeric, errors="coerce").to_numpy(dtype=np.float64)
    unparsed = given & np.isnan(parsed) & ~refused
    if unparsed.any():
        percent = text.str.extract(_PERCENT, expand=False)
        refuse(
            unparsed & percent.notna().to_numpy(dtype=bool),
            lambda i: Problem.of("data.percent-sign", *at(i)[1:], text=at(i)[0], number=percent.iloc[i]),
        )
        if decimal != ",":
            commas = text.str.match(_COMMA_NUMBER).fillna(False)
            refuse(
                unparsed & commas.to_numpy(dtype=bool),
                lambda i: Problem.of("data.comma-in-number", *at(i)[1:], text=at(i)[0]),
            )
    parsed[refused] = 0.0  # the file is refused anyway; NaN would read as a cell that is not a number
    return parsed


def _point(text: str, name: str, line: int, col: str) -> Problem:
    return Problem.of("data.point-in-number", name, line, col, text=text, suggest=text.replace(".", ","))


def from_wide(
    frame: pd.DataFrame,
    columns: list[str],
    name: str,
    decimal: str | None,
    line: np.ndarray,
    notes: list[Problem],
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
    cells = long["indicator"].to_numpy()
    return tidy(long[[*ids, "indicator", "year", "value"]], name, decimal, long_line, notes, cells)


def one_spelling(frame: pd.DataFrame) -> pd.DataFrame:
    """Spellings a person reads as one name made one name, in every name column.

    Two spellings are one when ``names.fold`` makes them equal: they differ in
    case, spacing, invisible characters, Unicode form or the place of a tone
    mark ("Hòa"/"Hoà"). The unit (or indicator) is shown under the spelling
    most of its rows use, the first one in the data on a tie; rows of both
    spellings for the same year are then duplicates like any other. Only the
    categories are folded, so a national file costs a few milliseconds.
    """
    for col in (*NAMES, *PARENT_COLUMNS):
        if col not in frame.columns:
            continue
        spellings = category_texts(frame[col])
        folded = fold_all(spellings)
        if len(set(folded)) == len(spellings):
            continue
        codes = frame[col].cat.codes.to_numpy()
        rows = np.flatnonzero(codes >= 0)
        count = np.bincount(codes[rows], minlength=len(spellings))
        first = np.full(len(spellings), len(codes))
        np.minimum.at(first, codes[rows], rows)
        chosen: dict[str, int] = {}
        for k, key in enumerate(folded):
            j = chosen.get(key)
            if j is None or (count[k], -first[k]) > (count[j], -first[j]):
                chosen[key] = k
        shown = sorted({spellings[k] for k in chosen.values()})
        position = {name: i for i, name in enumerate(shown)}
        remap = np.array([position[spellings[chosen[key]]] for key in folded], dtype=np.int32)
        new_codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
        frame[col] = pd.Categorical.from_codes(new_codes, categories=shown)
    return frame


def without_repeats(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem], set[str]]:
    """Exact repeats dropped; every unit, indicator and year given twice with different values
    found, each a problem listing its rows (never one of the values picked), and the files
    holding such rows.

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
        return frame, [], set()
    if order is None:
        order = np.arange(len(key))
    dup = np.zeros(len(frame), dtype=bool)
    dup[order[1:][repeated]] = True
    dup[order[:-1][repeated]] = True
    blank = frame["blank"].to_numpy(dtype=bool) if "blank" in frame.columns else None
    if blank is not None and (dup & blank).any():
        # An empty row beside the same row filled in is not a second value: as if it were absent.
        return without_repeats(frame[~(dup & blank)].reset_index(drop=True))
    problems, files = _conflicts(frame, dup)
    unique = frame.drop_duplicates([*_unit_key(frame), "indicator", "year", "value"], ignore_index=True)
    return unique, problems, files


def _unit_key(frame: pd.DataFrame) -> list[str]:
    return ["unit", "unit_code"] if "unit_code" in frame.columns else ["unit"]


def _conflicts(frame: pd.DataFrame, dup: np.ndarray) -> tuple[list[Problem], set[str]]:
    """The same unit, indicator and year twice with different values: one problem each, at its last row."""
    key = [*_unit_key(frame), "indicator", "year"]
    rows = frame.loc[dup, [*key, "value", "file", "line"]]
    distinct = rows.groupby(key, observed=True, dropna=False)["value"].transform("nunique", dropna=False)
    rows = rows[(distinct > 1).to_numpy()]
    problems: list[Problem] = []
    for group, same in rows.groupby(key, observed=True, sort=False, dropna=False):
        first = dict(zip(key, group, strict=True))
        unit, indicator, year = first["unit"], first["indicator"], first["year"]
        code = first.get("unit_code")
        if code is not None and not pd.isna(code) and unit != code:
            unit = f"{unit} ({code})"
        if len(problems) == CAP:
            problems.append(Problem.of(MORE, count=rows[key].drop_duplicates().shape[0] - CAP))
            break
        places = "; ".join(
            f"{r.file}:{r.line} = {'missing' if pd.isna(r.value) else format(r.value, 'g')}"
            for r in same.itertuples()
        )
        last = same.iloc[-1]
        problems.append(
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
    return problems, {str(f) for f in rows["file"].unique()}
