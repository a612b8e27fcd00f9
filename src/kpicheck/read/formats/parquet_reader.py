"""Parquet files, read with pyarrow: column types checked before any value is read."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from kpicheck.errors import DataError, Problem
from kpicheck.read.columns import NUMERIC, OPTIONAL, PARENT_COLUMNS, REQUIRED, layout, shorten
from kpicheck.read.tidy import from_wide, tidy


def read(path: Path, name: str, decimal: str | None, notes: list[Problem]) -> pd.DataFrame:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise DataError(Problem.of("data.bad-parquet", name, reason=shorten(str(exc)))) from None
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
            raise DataError(
                Problem.of("data.column-type", name, None, raw, kind=str(kind), expected=expected)
            )
    frame = table.to_pandas()
    frame.columns = pd.Index(columns)
    line = np.arange(1, len(frame) + 1, dtype=np.int64)  # Parquet has no lines: rows from 1
    if wide:
        return from_wide(frame, columns, name, decimal, line, notes)
    frame = frame[[c for c in (*REQUIRED, *OPTIONAL) if c in frame.columns]]
    return tidy(frame, name, decimal, line, notes)
