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
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from kpicheck.errors import DataError, Problem
from kpicheck.frames import concat, without_files
from kpicheck.read.columns import OPTIONAL, REQUIRED, layout
from kpicheck.read.files import STDIN_NAME, check_regular, is_stdin
from kpicheck.read.formats import csv_reader, excel_reader, parquet_reader
from kpicheck.read.formats.csv_reader import PlainTable
from kpicheck.read.formats.kinds import EXCEL_SUFFIXES, PARQUET_SUFFIXES, SNIFF_BYTES, file_kind
from kpicheck.read.problems import limit
from kpicheck.read.readahead import ReadAhead
from kpicheck.read.tidy import from_wide, one_spelling, tidy, without_repeats


@dataclass(frozen=True)
class ReadOptions:
    """How to read the files of a run."""

    decimal: str | None = None  # "." or "," when the user declared it (see ``tidy``), None if not
    sheet: str | None = None
    ahead: ReadAhead | None = None  # CSV files being parsed in the background, if any


@dataclass
class Actuals:
    """The figures of the files that read cleanly, what was assumed reading them, and the
    problems of the files left out.

    A file with any error is left out whole (a unit, indicator and year given
    with different values in two files leaves out both), so that what is
    judged never rests on a guess; ``problems`` lists at most ``problems.CAP``
    errors, then how many more.
    """

    frame: pd.DataFrame
    warnings: list[Problem] = field(default_factory=list)  # each a ``warning.*`` problem
    problems: list[Problem] = field(default_factory=list)  # the errors of the files left out


def read_actuals(
    paths: Iterable[Path], options: ReadOptions | None = None, *, strict: bool = True
) -> Actuals:
    """Read every file into one long table with columns unit, indicator, year, value, file, line.

    Every file is read, whatever the others hold: the problems of all of them
    are found in one run. With ``strict`` (the default) any problem raises one
    ``DataError`` carrying them all; without it, the files that read cleanly
    come back in ``frame`` and the problems of the others in ``problems``.
    """
    options = options or ReadOptions()
    frames: list[pd.DataFrame] = []
    plain: list[PlainTable] = []
    warnings: list[Problem] = []
    problems: list[Problem] = []
    order: dict[str, int] = {}
    for path in paths:
        order[STDIN_NAME if is_stdin(path) else str(path)] = len(order)
        try:
            part, notes = read_one(path, options)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        if isinstance(part, PlainTable):
            plain.append(part)
        else:
            frames.append(part)
        warnings.extend(notes)
    if plain:
        frame, notes, refused = _tidy_plain(plain, options.decimal)
        if len(frame):
            frames.append(frame)
        warnings.extend(notes)
        problems.extend(refused)
    if not order:
        raise DataError(Problem.of("data.no-files"))
    frame = one_spelling(_blank_as_bool(concat(frames))) if frames else empty_frame()
    if "unit_code" in frame.columns and not isinstance(frame["unit_code"].dtype, pd.CategoricalDtype):
        # Files with codes and files without: one column of codes, blank where a file has none.
        frame["unit_code"] = frame["unit_code"].astype("category")
    # Arrow's allocator keeps the memory of the parse for reuse; pandas holds the data now.
    pa.default_memory_pool().release_unused()
    frame, conflicts, files = without_repeats(frame)
    if conflicts:
        problems.extend(conflicts)
        frame = without_files(frame, files)
    if problems:
        bad = {p.file for p in problems}
        warnings = [w for w in warnings if w.file not in bad]
    # In the order of the files, each file's by line (plain CSV files are checked last, together).
    problems.sort(key=lambda p: order.get(p.file or "", len(order)))
    problems = limit(problems)
    if strict and problems:
        raise DataError(problems)
    return Actuals(frame, warnings, problems)


def empty_frame() -> pd.DataFrame:
    """The long table with no rows, as ``read_actuals`` returns it when no file read cleanly."""
    names = pd.Categorical([], categories=pd.Index([], dtype=object))
    return pd.DataFrame(
        {
            "unit": names,
            "indicator": names,
            "year": np.zeros(0, dtype=np.int32),
            "value": np.zeros(0, dtype=np.float64),
            "file": names,
            "line": np.zeros(0, dtype=np.int64),
        }
    )


def read_one(path: Path, options: ReadOptions) -> tuple[pd.DataFrame | PlainTable, list[Problem]]:
    """One CSV, Excel or Parquet file; the errors name ``path``.

    The format is decided by the file's first bytes, then its suffix: an Excel
    workbook saved under a ``.csv`` name is read as the workbook it is.
    """
    if is_stdin(path):
        return _read_stdin(options)
    name = str(path)
    check_regular(path)
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


def _read_stdin(options: ReadOptions) -> tuple[pd.DataFrame | PlainTable, list[Problem]]:
    """Standard input, as a file would be read: spooled to a temporary file (the readers look at a
    file's first bytes, and read again to locate a bad line), which is gone once it is read. Every
    problem names it ``<stdin>``."""
    import sys
    import tempfile

    data = sys.stdin.buffer.read()
    with tempfile.TemporaryDirectory(prefix="kpicheck-") as folder:
        path = Path(folder) / "stdin.csv"
        path.write_bytes(data)
        spooled = ReadOptions(options.decimal, options.sheet)
        try:
            part, notes = read_one(path, spooled)
        except DataError as exc:
            raise DataError([_named(p, str(path)) for p in exc.problems]) from None
    if isinstance(part, PlainTable):
        part.name = STDIN_NAME
    else:
        part["file"] = part["file"].cat.rename_categories({str(path): STDIN_NAME})
    return part, [_named(p, str(path)) for p in notes]


def _named(problem: Problem, spooled: str) -> Problem:
    return replace(problem, file=STDIN_NAME) if problem.file == spooled else problem


def _tidy_plain(
    plain: list[PlainTable], decimal: str | None
) -> tuple[pd.DataFrame, list[Problem], list[Problem]]:
    """Many plain files converted and checked as one table: 700 district files cost little more
    than one file of the same rows. A problem or a warning is located by redoing file by file,
    and a file with problems is left out (its problems returned) while the others are kept."""
    sizes = [item.table.num_rows for item in plain]
    notes: list[Problem] = []
    located = False
    if all(sizes):
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
        # Redo file by file: the problem or warning then names the right file.
        notes = []
        frames = []
        problems: list[Problem] = []
        for item, n in zip(plain, sizes, strict=True):
            try:
                if n == 0:
                    raise DataError(Problem.of("data.no-rows", item.name, container="file"))
                lines = np.arange(2, n + 2, dtype=np.int32)
                frames.append(tidy(item.table.to_pandas(), item.name, decimal, lines, notes))
            except DataError as exc:
                problems.extend(exc.problems)
        return (concat(frames) if frames else empty_frame()), notes, problems
    codes = np.repeat(np.arange(len(plain), dtype=np.int32), sizes)
    out["file"] = pd.Categorical.from_codes(codes, categories=[item.name for item in plain])
    return out, notes, []


def read_frame(frame: pd.DataFrame, decimal: str | None = None, name: str = "<DataFrame>") -> Actuals:
    """A table already in memory (as ``pandas.read_csv`` returns it), through the same checks as a file.

    Problems name ``name`` and the row's position in the frame, counted from 1;
    every problem of the frame is raised at once.
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
    checked, conflicts, _ = without_repeats(one_spelling(_blank_as_bool(checked)))
    if conflicts:
        raise DataError(limit(conflicts))
    return Actuals(checked, notes)


def _blank_as_bool(frame: pd.DataFrame) -> pd.DataFrame:
    """``blank`` (rows whose value cell is empty) as booleans: files without it are stacked as NaN."""
    if "blank" in frame.columns and frame["blank"].dtype != bool:
        frame["blank"] = frame["blank"].fillna(False).astype(bool)
    return frame
