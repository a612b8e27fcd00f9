"""The data columns the engine reads, as NumPy arrays, and their chunking into whole units."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

# Rows per chunk: large enough that the per-chunk Python calls do not count, small
# enough that a national file is judged in a few hundred megabytes.
CHUNK_ROWS = 1 << 16
_ROW_ARRAYS = ("unit", "indicator", "year", "value", "file", "line")


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
    # numerator, denominator, raw_value, user_note when the data has them; blank: the rows whose value
    # cell is empty (not yet submitted), judged as if they were absent
    extra: dict[str, np.ndarray]
    unit_names: pd.Index
    indicator_names: pd.Index
    file_names: pd.Index

    @classmethod
    def of(cls, data: pd.DataFrame) -> Rows:
        extra = {c: data[c].to_numpy() for c in ("raw_value",) if c in data.columns}
        if "blank" in data.columns:
            extra["blank"] = data["blank"].to_numpy(dtype=bool)
        if "note" in data.columns:  # the user's own remark, carried to the results as ``user_note``
            extra["user_note"] = data["note"].to_numpy(dtype=object)
        if {"numerator", "denominator"} <= set(data.columns):
            extra.update({c: data[c].to_numpy(dtype=np.float64) for c in ("numerator", "denominator")})
        return cls(
            unit=data["unit"].cat.codes.to_numpy(),
            indicator=data["indicator"].cat.codes.to_numpy(),
            year=data["year"].to_numpy(),
            value=data["value"].to_numpy(dtype=np.float64),
            file=data["file"].cat.codes.to_numpy(),
            line=data["line"].to_numpy(),
            extra=extra,
            unit_names=data["unit"].cat.categories,
            indicator_names=data["indicator"].cat.categories,
            file_names=data["file"].cat.categories,
        )

    def __len__(self) -> int:
        return len(self.unit)

    def pick(self, rows: slice | np.ndarray) -> Rows:
        """These rows only: a slice is a view, an array of positions a copy."""
        arrays = {name: getattr(self, name)[rows] for name in _ROW_ARRAYS}
        return replace(self, **arrays, extra={c: a[rows] for c, a in self.extra.items()})


def unit_chunks(data: pd.DataFrame, chunk_rows: int | None = None) -> Iterator[Rows]:
    """The data a few tens of thousands of rows at a time (``CHUNK_ROWS`` unless told), whole
    units per chunk, in unit order.

    Every rule works within one unit's series, so judging chunk by chunk
    changes nothing but the memory a national file needs.
    """
    chunk_rows = chunk_rows or CHUNK_ROWS  # read now: a test may set it smaller
    rows = Rows.of(data)
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
