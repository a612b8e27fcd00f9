"""The data columns the engine reads, as NumPy arrays, and their chunking into whole units."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

# Rows per chunk: large enough that the per-chunk Python calls do not count, small
# enough that a national file is judged in a few hundred megabytes.
CHUNK_ROWS = 1 << 16
_ROW_ARRAYS = ("unit", "indicator", "year", "value", "file", "line")
# Text a row may carry into its result: the units an aggregated figure was built from, and those
# lying only partly in the unit.
TEXTS = ("built_from", "partial")
# Rows that are not figures to judge as they stand: history rebuilt onto a new unit (it feeds the
# series, it gets no result), a unit that owed a yes or no to a share and gave none (``no_data``),
# one that gave something else (``invalid``), and a share kpicheck counted for an area (judged,
# but the area did not report that year: it owes no other figure for it).
FLAGS = ("history", "no_figure", "not_yes_no", "counted")


@dataclass(frozen=True)
class UnitNames:
    """What each unit of the data is called in the results, and its code: the data's units are
    keys when the registry found them (a code on a map), and two keys may share a name."""

    name: np.ndarray  # per unit category: position in ``names``
    names: list[str]
    code: np.ndarray  # per unit category: position in ``codes`` (-1: no code)
    codes: list[str]

    @classmethod
    def of(cls, keys: pd.Index, labels: dict[str, tuple[str, str | None]]) -> UnitNames:
        shown = [labels.get(str(k), (str(k), None)) for k in keys]
        names = sorted({name for name, _ in shown})
        codes = sorted({code for _, code in shown if code is not None})
        at_name = {n: i for i, n in enumerate(names)}
        at_code = {c: i for i, c in enumerate(codes)}
        return cls(
            np.array([at_name[n] for n, _ in shown], dtype=np.int32),
            names,
            np.array([at_code[c] if c is not None else -1 for _, c in shown], dtype=np.int32),
            codes,
        )


@dataclass(frozen=True)
class Rows:
    """The data columns the engine reads, as NumPy arrays taken from the frame once.

    Chunks are slices of these arrays, so cutting a national file into chunks
    copies nothing and costs no pandas call per chunk.
    """

    unit: np.ndarray  # codes into unit_names
    indicator: np.ndarray  # codes into indicator_names (-1: blank)
    year: np.ndarray
    value: np.ndarray
    file: np.ndarray  # codes into file_names
    line: np.ndarray
    # numerator, denominator, raw_value, user_note, TEXTS, FLAGS when the data has them; blank: the
    # rows whose value cell is empty (not yet submitted), judged as if they were absent
    extra: dict[str, np.ndarray]
    unit_names: pd.Index
    indicator_names: pd.Index
    file_names: pd.Index
    texts: dict[str, pd.Index] = field(default_factory=dict)  # the categories of each of TEXTS
    shown: UnitNames | None = None  # None: the units are called as the data calls them
    exempt: np.ndarray | None = None  # per unit: owes no figure for a share (its area's counts it)

    @classmethod
    def of(
        cls,
        data: pd.DataFrame,
        labels: dict[str, tuple[str, str | None]] | None = None,
        exempt: set[str] | None = None,
    ) -> Rows:
        extra = {c: data[c].to_numpy() for c in ("raw_value",) if c in data.columns}
        if "blank" in data.columns:
            # Rows kpicheck made (shares counted, sums) have no cell to leave empty: missing is False.
            extra["blank"] = data["blank"].astype("boolean").fillna(False).to_numpy(dtype=bool)
        if "note" in data.columns:  # the user's own remark, carried to the results as ``user_note``
            extra["user_note"] = data["note"].to_numpy(dtype=object)
        if {"numerator", "denominator"} <= set(data.columns):
            extra.update({c: data[c].to_numpy(dtype=np.float64) for c in ("numerator", "denominator")})
        texts = {}
        for c in TEXTS:
            if c in data.columns:
                column = data[c].astype("category")
                extra[c] = column.cat.codes.to_numpy().astype(np.int32)
                texts[c] = pd.Index([str(t) for t in column.cat.categories], dtype="str")
        for c in FLAGS:
            if c in data.columns:
                extra[c] = data[c].astype("boolean").fillna(False).to_numpy(dtype=bool)
        units = data["unit"].cat.categories
        return cls(
            unit=data["unit"].cat.codes.to_numpy(),
            indicator=data["indicator"].cat.codes.to_numpy(),
            year=data["year"].to_numpy(),
            value=data["value"].to_numpy(dtype=np.float64),
            file=data["file"].cat.codes.to_numpy(),
            line=data["line"].to_numpy(),
            extra=extra,
            unit_names=units,
            indicator_names=data["indicator"].cat.categories,
            file_names=data["file"].cat.categories,
            texts=texts,
            shown=None if labels is None else UnitNames.of(units, labels),
            exempt=None if not exempt else np.array([str(u) in exempt for u in units], dtype=bool),
        )

    def __len__(self) -> int:
        return len(self.unit)

    def pick(self, rows: slice | np.ndarray) -> Rows:
        """These rows only: a slice is a view, an array of positions a copy."""
        arrays = {name: getattr(self, name)[rows] for name in _ROW_ARRAYS}
        return replace(self, **arrays, extra={c: a[rows] for c, a in self.extra.items()})


def unit_chunks(
    data: pd.DataFrame,
    chunk_rows: int | None = None,
    labels: dict[str, tuple[str, str | None]] | None = None,
    exempt: set[str] | None = None,
) -> Iterator[Rows]:
    """The data a few tens of thousands of rows at a time (``CHUNK_ROWS`` unless told), whole
    units per chunk, in unit order; ``labels`` the official name and code of each unit key, when
    the registry found them.

    Every rule works within one unit's series, so judging chunk by chunk
    changes nothing but the memory a national file needs.
    """
    chunk_rows = chunk_rows or CHUNK_ROWS  # read now: a test may set it smaller
    rows = Rows.of(data, labels, exempt)
    codes = rows.unit
    # Units in order, each unit's rows in file order, however many chunks: the results come
    # out in the same order whatever the chunk size.
    if not bool(np.all(codes[1:] >= codes[:-1])):
        rows = rows.pick(np.argsort(codes, kind="stable"))  # one copy, then views
        codes = rows.unit
    if len(rows) <= chunk_rows:
        yield rows
        return
    start, n = 0, len(rows)
    while start < n:
        end = min(start + chunk_rows, n)
        if end < n:
            # Move the cut back to where the unit at the cut begins (or past it, for a huge unit).
            unit_start = int(np.searchsorted(codes, codes[end], side="left"))
            unit_end = int(np.searchsorted(codes, codes[end], side="right"))
            end = unit_start if unit_start > start else unit_end
        yield rows.pick(slice(start, end))
        start = end
