"""Reading submitted figures ("số liệu thực hiện") into one checked long table.

The canonical shape is long: one row per unit, indicator and year. Each file
goes to the reader of its format (``formats/``), decided by its first bytes,
then its suffix; every reader ends in the same checks (``tidy``). Plain CSV
files come back as Arrow tables and are checked together in one go. Anything
that cannot be read without guessing is an error that names the file, the
line (or spreadsheet row) and the column; whatever was assumed to read a file
is said in a warning.

Memory stays bounded on hostile files: only the first 64 KiB are read to
decide the format and encoding, and pyarrow parses in blocks, so a line
longer than a block is refused instead of being held whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from kpicheck.errors import DataError, Problem
from kpicheck.frames import concat
from kpicheck.read.columns import OPTIONAL, REQUIRED, layout
from kpicheck.read.formats import csv_reader, excel_reader, parquet_reader
from kpicheck.read.formats.csv_reader import PlainTable
from kpicheck.read.formats.kinds import EXCEL_SUFFIXES, PARQUET_SUFFIXES, SNIFF_BYTES, file_kind
from kpicheck.read.readahead import ReadAhead
from kpicheck.read.tidy import from_wide, tidy, without_repeats


@dataclass(frozen=True)
class ReadOptions:
    """How to read the files of a run."""

    decimal: str = "."
    sheet: str | None = None
    ahead: ReadAhead | None = None  # CSV files being parsed in the background, if any


@dataclass
class Actuals:
    """The figures of one or more files, and what was assumed while reading them."""

    frame: pd.DataFrame
    warnings: list[Problem] = field(default_factory=list)  # each a ``warning.*`` problem


def read_actuals(paths: Iterable[Path], options: ReadOptions | None = None) -> Actuals:
    """Read every file into one long table with columns unit, indicator, year, value, file, line."""
    options = options or ReadOptions()
    frames: list[pd.DataFrame] = []
    plain: list[PlainTable] = []
    warnings: list[Problem] = []
    for path in paths:
        part, notes = read_one(path, options)
        if isinstance(part, PlainTable):
            plain.append(part)
        else:
            frames.append(part)
        warnings.extend(notes)
    if plain:
        frame, notes = _tidy_plain(plain, options.decimal)
        frames.append(frame)
        warnings.extend(notes)
    if not frames:
        raise DataError(Problem.of("data.no-files"))
    frame = concat(frames)
    if "unit_code" in frame.columns and not isinstance(frame["unit_code"].dtype, pd.CategoricalDtype):
        # Files with codes and files without: one column of codes, blank where a file has none.
        frame["unit_code"] = frame["unit_code"].astype("category")
    # Arrow's allocator keeps the memory of the parse for reuse; pandas holds the data now.
    pa.default_memory_pool().release_unused()
    return Actuals(without_repeats(frame), warnings)


def read_one(path: Path, options: ReadOptions) -> tuple[pd.DataFrame | PlainTable, list[Problem]]:
    """One CSV, Excel or Parquet file; the errors name ``path``.

    The format is decided by the file's first bytes, then its suffix: an Excel
    workbook saved under a ``.csv`` name is read as the workbook it is.
    """
    name = str(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise DataError(Problem.of("data.unreadable", name, reason=exc.strerror)) from None
    if not head.strip():
        raise DataError(Problem.of("data.empty-file", name))
    suffix = path.suffix.lower()
    notes: list[Problem] = []
    kind = file_kind(head, suffix)
    if kind == "xls":
        raise DataError(Problem.of("data.xls", name))
    if kind == "excel":
        if suffix not in EXCEL_SUFFIXES:
            notes.append(Problem.of("warning.excel-not-csv", name, suffix=suffix or "CSV"))
        return excel_reader.read(path, name, options.decimal, options.sheet, notes), notes
    if kind == "parquet":
        if suffix not in PARQUET_SUFFIXES:
            notes.append(Problem.of("warning.parquet-not-csv", name, suffix=suffix or "CSV"))
        return parquet_reader.read(path, name, options.decimal, notes), notes
    return csv_reader.read(path, head, options.decimal, notes, options.ahead), notes


def _tidy_plain(plain: list[PlainTable], decimal: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Many plain files converted and checked as one table: 700 district files cost little more
    than one file of the same rows. A problem or a warning is located by redoing file by file."""
    for item in plain:
        if item.table.num_rows == 0:
            raise DataError(Problem.of("data.no-rows", item.name, container="file"))
    sizes = [item.table.num_rows for item in plain]
    notes: list[Problem] = []
    try:
        combined = pa.concat_tables([item.table for item in plain], promote_options="permissive")
        if len(plain) > 1:
            # One dictionary per name column, unified by Arrow: pandas would unify 700 of them.
            combined = combined.combine_chunks()
        frame = combined.to_pandas(self_destruct=True, split_blocks=True)
        del combined
        ranges = [np.arange(2, n + 2, dtype=np.int32) for n in sizes]
        lines = ranges[0] if len(ranges) == 1 else np.concatenate(ranges)
        out = tidy(frame, plain[0].name, decimal, lines, notes)
        located = len(plain) == 1 or not notes  # one file's notes already name it
    except (DataError, pa.ArrowInvalid):
        located = False
    if not located:
        # Redo file by file: the error or warning then names the right file.
        notes = []
        frames = [
            tidy(item.table.to_pandas(), item.name, decimal, np.arange(2, n + 2, dtype=np.int32), notes)
            for item, n in zip(plain, sizes, strict=True)
        ]
        return concat(frames), notes
    codes = np.repeat(np.arange(len(plain), dtype=np.int32), sizes)
    out["file"] = pd.Categorical.from_codes(codes, categories=[item.name for item in plain])
    return out, notes


def read_frame(frame: pd.DataFrame, decimal: str = ".", name: str = "<DataFrame>") -> Actuals:
    """A table already in memory (as ``pandas.read_csv`` returns it), through the same checks as a file.

    Problems name ``name`` and the row's position in the frame, counted from 1.
    """
    notes: list[Problem] = []
    header = [str(c) for c in frame.columns]
    columns, wide = layout(header, name, None, notes)
    work = frame.copy()
    work.columns = pd.Index(columns)
    line = np.arange(1, len(work) + 1, dtype=np.int64)
    if wide:
        checked = from_wide(work, columns, name, decimal, line, notes)
    else:
        checked = tidy(
            work[[c for c in (*REQUIRED, *OPTIONAL) if c in work.columns]], name, decimal, line, notes
        )
    return Actuals(without_repeats(checked), notes)
