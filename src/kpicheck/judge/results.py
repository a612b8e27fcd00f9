"""The verdicts as a results table, for pandas or for Arrow, in the fixed column order of the CSV.

Text columns stay codes into short category lists (2M results share a few
hundred unit names and a handful of notes) until the very end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from kpicheck.frames import concat
from kpicheck.judge import operators as ops
from kpicheck.judge.notes import Notes, translate
from kpicheck.judge.projection import OUTLOOKS
from kpicheck.judge.rows import Rows
from kpicheck.judge.rules import STATUSES
from kpicheck.plan.model import Plan

RESULT_COLUMNS = [
    "plan",
    "goal",
    "unit",
    "indicator",
    "code",
    "year",
    "value",
    "status",
    "op",
    "target",
    "target_year",
    "basis",
    "baseline_year",
    "baseline_value",
    "change",
    "path_value",
    "gap",
    "projected_value",
    "outlook",
    "expired",
    "numerator",
    "denominator",
    "small_numerator",
    "note",
    "file",
    "line",
    # Appended after the first release's columns, whose order is fixed: the plan's own (Vietnamese) name,
    # then the user's own note on the row, apart from ``note``, kpicheck's remark.
    "indicator_name",
    "user_note",
    # Then the unit's official code, the units an aggregated figure was built from and those lying
    # only partly in it, and whether the plan's area no longer existed that year (dissolved in the
    # 2025 reform).
    "unit_code",
    "built_from",
    "partial",
    "area_dissolved",
]
OP_NAMES = [o.value for o in ops.OPS_BY_CODE]
_NONE = pd.Index([], dtype="str")  # the categories of a text column no result fills

# Fill values of the columns a part may lack, and how each column becomes a result column.
_FILL: dict[str, object] = {
    "value": np.nan,
    "op": -1,
    "target": np.nan,
    "target_year": -1,
    "basis": -1,
    "baseline_year": -1,
    "baseline_value": np.nan,
    "change": np.nan,
    "path_value": np.nan,
    "gap": np.nan,
    "projected_value": np.nan,
    "outlook": -1,
    "expired": False,
    "area_dissolved": False,
    "built_from": -1,
    "partial": -1,
    "numerator": np.nan,
    "denominator": np.nan,
    "small_numerator": False,
    "file": -1,
    "line": -1,
    "note": -1,
}


@dataclass
class Judged:
    """The verdicts as column arrays, before they become a table.

    ``parts`` are the judged rows, the unknown indicators and the missing
    figures, each a dict of arrays keyed by result column (codes for text).
    """

    plan: Plan
    data: Rows
    ind_names: list[str]
    parts: list[dict[str, np.ndarray]]
    notes: Notes

    def counts(self) -> dict[str, int]:
        """How many results of each status."""
        codes = np.concatenate([p["status"] for p in self.parts]) if self.parts else np.zeros(0)
        counts = np.bincount(codes.astype(np.int64), minlength=len(STATUSES))
        return {s: int(n) for s, n in zip(STATUSES, counts, strict=True) if n}

    def frame(self, lang: str = "en") -> pd.DataFrame:
        """The results table, kpicheck's notes said in ``lang``: text columns are categoricals."""
        columns = _columns(self, lang)
        return pd.DataFrame({name: _pandas_column(c) for name, c in columns.items()}, copy=False)

    def arrow(self, lang: str = "en", dictionaries: bool = False) -> pa.Table:
        """The same results as an Arrow table, for writers that need no pandas; text columns as
        plain strings, or with ``dictionaries`` as codes into their categories."""
        columns = _columns(self, lang)
        return pa.table({name: _arrow_column(c, dictionaries) for name, c in columns.items()})


@dataclass(frozen=True)
class _Column:
    """One result column as arrays, before it becomes a pandas or an Arrow column.

    ``kind`` is ``text`` (codes into ``categories``, -1 missing), ``int``,
    ``optional_int`` (-1 missing), ``float`` (NaN missing) or ``bool``.
    """

    kind: str
    values: np.ndarray
    categories: Any = None


def _columns(judged: Judged, lang: str = "en") -> dict[str, _Column]:
    """The result columns in order; text stays as codes into short category lists, never per-row strings."""
    parts = [p for p in judged.parts if p and len(p["unit"])]
    columns: dict[str, np.ndarray] = {}
    for name in ("unit", "indicator", "year", "status", *_FILL):
        arrays = [part[name] if name in part else np.full(len(part["unit"]), _FILL[name]) for part in parts]
        columns[name] = np.concatenate(arrays) if arrays else np.zeros(0)
    if any("user_note" in p for p in parts):  # only when somebody wrote one: no array per row otherwise
        columns["user_note"] = np.concatenate(
            [p.get("user_note", np.full(len(p["unit"]), None)) for p in parts]
        )
    if len(parts) > 1:
        # Each unit's results together: its figures, its unknown indicators, its missing figures.
        # Chunks hold whole units in order, so a run's results are in the same order however
        # it was cut.
        order = np.argsort(columns["unit"], kind="stable")
        columns = {name: values[order] for name, values in columns.items()}
    n = len(columns["unit"])
    ind = columns["indicator"].astype(np.int64)
    by_id = {i.id: i for i in judged.plan.indicators}

    def text(codes: np.ndarray, categories: Any) -> _Column:
        # No categories at all: still text, so that results of several plans stack.
        return _Column("text", codes.astype(np.int32), categories if len(categories) else _NONE)

    def per_indicator(attribute: str) -> _Column:
        """A per-indicator attribute (code, goal) for every row."""
        values = [getattr(by_id[i], attribute) if i in by_id else None for i in judged.ind_names]
        categories = sorted({v for v in values if v is not None})
        position = {v: i for i, v in enumerate(categories)}
        per_ind = np.array(
            [position.get(v, -1) if v is not None else -1 for v in values] + [-1], dtype=np.int32
        )
        return _Column("text", per_ind[ind], categories)

    data = judged.data
    unit = columns["unit"].astype(np.int64)
    shown = data.shown
    made = {
        "plan": text(np.zeros(n, dtype=np.int32), [judged.plan.id]),
        "goal": per_indicator("goal"),
        "unit": text(unit, data.unit_names) if shown is None else text(shown.name[unit], shown.names),
        "unit_code": text(np.full(n, -1), _NONE) if shown is None else text(shown.code[unit], shown.codes),
        "built_from": text(columns["built_from"], data.texts.get("built_from", _NONE)),
        "partial": text(columns["partial"], data.texts.get("partial", _NONE)),
        "indicator": text(ind, judged.ind_names),
        "code": per_indicator("code"),
        "indicator_name": per_indicator("name"),
        "year": _Column("int", columns["year"].astype(np.int64)),
        "status": text(columns["status"], STATUSES),
        "op": text(columns["op"], OP_NAMES),
        "basis": text(columns["basis"], ["absolute", "relative"]),
        "outlook": text(columns["outlook"], list(OUTLOOKS)),
        "note": text(columns["note"], [translate(t, lang) for t in judged.notes.texts]),
        "file": text(columns["file"], judged.data.file_names),
    }
    made["user_note"] = _user_notes(columns.get("user_note"), n)
    for name in ("target_year", "baseline_year", "line"):
        made[name] = _Column("optional_int", columns[name].astype(np.int64))
    for name in ("expired", "small_numerator", "area_dissolved"):
        made[name] = _Column("bool", columns[name].astype(bool))
    for name in RESULT_COLUMNS:
        if name not in made:  # the rest are numbers
            made[name] = _Column("float", columns[name].astype(np.float64))
    return {name: made[name] for name in RESULT_COLUMNS}


def _user_notes(values: np.ndarray | None, n: int) -> _Column:
    """The users' notes as codes into the distinct notes (all missing when nobody wrote one)."""
    if values is None:
        return _Column("text", np.full(n, -1, dtype=np.int32), [])
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return _Column("text", codes.astype(np.int32), list(uniques))


def _pandas_column(column: _Column) -> Any:
    if column.kind == "text":
        return pd.Categorical.from_codes(column.values, categories=column.categories)
    if column.kind == "optional_int":
        return pd.arrays.IntegerArray(column.values, column.values < 0)
    return column.values


def _arrow_column(column: _Column, dictionaries: bool = False) -> pa.Array:
    """Text as plain strings (Arrow's CSV writer writes them faster than dictionaries) or as a
    dictionary (the JSON writer escapes each category once)."""
    if column.kind == "text":
        codes = pa.array(column.values, mask=column.values < 0)
        if not len(column.categories):  # a column no result fills (no codes without the registry)
            return pa.nulls(
                len(codes), pa.dictionary(pa.int32(), pa.string()) if dictionaries else pa.string()
            )
        categories = _arrow_text(column.categories)
        if dictionaries:
            return pa.DictionaryArray.from_arrays(codes, categories)
        return categories.take(codes)
    if column.kind == "optional_int":
        return pa.array(column.values, mask=column.values < 0)
    return pa.array(column.values, from_pandas=True)  # NaN is missing, as in the pandas table


_TEXTS: dict[int, tuple[Any, pa.Array]] = {}


def _arrow_text(categories: Any) -> pa.Array:
    """The categories as an Arrow array, converted once per list: every chunk of a file shares its
    unit and file names (100,000 units on a large file), which would otherwise be converted again
    for each chunk."""
    cached = _TEXTS.get(id(categories))
    if cached is not None and cached[0] is categories:
        return cached[1]
    made = pa.array(categories, type=pa.string())
    if len(categories) > 64:  # the short lists (statuses, a plan's ids) cost nothing to convert
        if len(_TEXTS) > 32:
            _TEXTS.clear()
        _TEXTS[id(categories)] = (categories, made)
    return made


def empty_results() -> pd.DataFrame:
    """A results table with no rows, every column in place."""
    return pd.DataFrame(columns=RESULT_COLUMNS)


def concat_results(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Results of several chunks or plans in one frame, categorical columns kept categorical."""
    return concat(frames)[RESULT_COLUMNS] if frames else empty_results()
