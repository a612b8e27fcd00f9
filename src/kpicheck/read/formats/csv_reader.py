"""Plain CSV files: the layout sniffed from the first 64 KiB, the rows parsed by Arrow.

Nothing here needs pandas until a file has to be read as text to name a bad
cell, so ``kpicheck evaluate`` starts reading its CSV files (``ReadAhead``)
while pandas and the engine are still being imported. Plain files come back
as Arrow tables, checked together with the other files in one go
(``kpicheck.read.actuals``): 700 district files cost little more than one.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.csv as pacsv

from kpicheck.errors import DataError, Problem
from kpicheck.read.columns import (
    CODE_COLUMNS,
    NAMES,
    NUMERIC,
    OPTIONAL,
    PARENT_COLUMNS,
    REQUIRED,
    TEMPLATE_COLUMNS,
    THOUSANDS_DOT,
    layout,
    shorten,
)
from kpicheck.read.encodings import Encoding, sniff
from kpicheck.read.files import is_regular
from kpicheck.read.formats.kinds import SNIFF_BYTES, file_kind
from kpicheck.read.problems import CAP, limit

if TYPE_CHECKING:
    import pandas as pd

    from kpicheck.read.readahead import ReadAhead

_DOT_THREE = re.compile(r"\.[0-9]{3}(?![0-9])")


# pyarrow's block: one line must fit in it, and memory stays within a few blocks.
BLOCK_BYTES = 1 << 22


_NEWLINE = re.compile(r"\r\n|\r|\n")


# C0 control characters that no text file holds (tab, newlines, form feed and DOS's EOF aside),
# mapped to 0 for one ``translate`` (ten times faster than a regular expression on 64 KiB).
_CONTROL = bytes(0 if c < 0x20 and c not in b"\t\n\x0c\r\x1a" else 1 for c in range(256))


@dataclass(frozen=True)
class CsvLayout:
    """What the first 64 KiB of a CSV file say about the whole of it."""

    name: str
    encoding: Encoding
    text: str  # the first 64 KiB, decoded
    complete: bool  # the file is no longer than that
    delimiter: str
    header: list[str]  # as written
    columns: list[str]  # canonical names, in the same order
    wide: bool  # one column per indicator

    def raw_name(self) -> dict[str, str]:
        """Canonical column name to the name the file writes."""
        return dict(zip(self.columns, self.header, strict=True))

    def types(self, decimal: str | None) -> dict[str, pa.DataType]:
        """Column types for the fast read: names as dictionaries, numbers as numbers (as text
        under decimal commas, which Arrow does not read)."""
        raw_of = self.raw_name()
        numeric = {"value": pa.float64(), "year": pa.int32()}
        numeric.update({c: pa.float64() for c in ("numerator", "denominator") if c in raw_of})
        # Names as dictionaries from the first block on: a column of two million
        # strings is never built, which halves the reader's peak memory.
        names = {
            raw_of[c]: pa.dictionary(pa.int32(), pa.string())
            for c in (*NAMES, *PARENT_COLUMNS, *CODE_COLUMNS)
            if c in raw_of
        }
        if decimal == ",":
            return names
        return {**names, **{raw_of[c]: t for c, t in numeric.items()}}

    def text_types(self) -> dict[str, pa.DataType]:
        """Column types for reading numbers as text, to name the cell that is not one."""
        raw_of = self.raw_name()
        numbers = {
            raw_of[c]: pa.string() for c in ("value", "year", "numerator", "denominator") if c in raw_of
        }
        return {**self.types(","), **numbers}


def sniff_csv(path: Path, head: bytes, notes: list[Problem]) -> CsvLayout:
    """Encoding, delimiter and header from the first bytes of the file."""
    name = str(path)
    encoding = _text_encoding(head, name)
    if encoding.assumed:
        notes.append(Problem.of(encoding.assumed, name))
    try:
        text = encoding.decode_head(head)
    except UnicodeDecodeError:
        raise DataError(Problem.of("data.first-line-not-text", name, 1)) from None
    complete = len(head) < SNIFF_BYTES
    # Lines end in \n, \r\n or (old Mac files) \r alone; pyarrow takes all three.
    lines = _NEWLINE.split(text, maxsplit=1)
    if len(lines) == 1 and not complete:
        raise DataError(Problem.of("data.long-first-line", name, 1, size=SNIFF_BYTES // 1024))
    first_line = lines[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        header = next(csv.reader([first_line], delimiter=delimiter), [])
    except csv.Error as exc:
        raise DataError(Problem.of("data.header-not-csv", name, 1, reason=str(exc))) from None
    columns, wide = layout(header, name, 1, notes)
    return CsvLayout(name, encoding, text, complete, delimiter, header, columns, wide)


@dataclass
class PlainTable:
    """A plain CSV file read by Arrow, waiting to be checked with the other files in one go."""

    table: pa.Table
    name: str


def read(
    path: Path, head: bytes, decimal: str | None, notes: list[Problem], ahead: ReadAhead | None = None
) -> pd.DataFrame | PlainTable:
    """A CSV file: as Arrow columns when it is plain, else through pandas to name the bad cells."""
    import numpy as np
    import pandas as pd

    from kpicheck.read.tidy import from_wide, tidy

    name = str(path)
    found = sniff_csv(path, head, notes)
    columns = found.columns
    if found.wide:
        frame = read_table(path, found, {}, ahead).to_pandas()
        frame.columns = pd.Index(columns)
        return from_wide(frame, columns, name, decimal, np.arange(2, len(frame) + 2), notes)
    try:
        table = read_table(path, found, found.types(decimal), ahead)
        if decimal is None and thousands_dots(found):
            # pyarrow read "1.000" as 1.0: the text path names every such cell.
            raise NotPlainNumbers()
        if decimal != "," and not _finite(table, found):
            # "inf", "1e400" and "nan" are floats to Arrow: read as text, they are shown as written.
            raise NotPlainNumbers()
        if decimal != "," and not found.encoding.assumed:
            raw_of = found.raw_name()
            wanted = [c for c in (*REQUIRED, *OPTIONAL) if c in raw_of and c not in TEMPLATE_COLUMNS]
            keep = table.select([raw_of[c] for c in wanted]).rename_columns(wanted)
            return PlainTable(with_blanks(keep), name)
    except NotPlainNumbers:
        # Some cell is not a plain number: read as text and say which one.
        table = read_table(path, found, found.text_types(), ahead)
    # The Arrow buffers are released column by column as pandas takes them over.
    frame = table.to_pandas(self_destruct=True, split_blocks=True)
    del table
    frame.columns = pd.Index(columns)
    frame = frame[[c for c in (*REQUIRED, *OPTIONAL) if c in frame.columns]]
    return tidy(frame, name, decimal, np.arange(2, len(frame) + 2, dtype=np.int32), notes)


def with_blanks(table: pa.Table) -> pa.Table:
    """The table with a ``blank`` column where a value cell is empty (Arrow's null, not a NaN):
    pandas would make both NaN, and only the empty cell is "not yet submitted"."""
    import pyarrow.compute as pc

    value = table.column("value")
    if value.null_count == 0 and not pc.any(pc.is_nan(value)).as_py():
        return table
    return table.append_column("blank", pc.is_null(value))


def read_plain(path: Path, decimal: str | None) -> tuple[tuple[object, ...], pa.Table] | None:
    """What ``ReadAhead`` does for one file: the table as the foreground would ask for it, and how."""
    if not is_regular(path):
        return None  # a named pipe would block this thread, and Python waits for it at exit
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if file_kind(head, path.suffix.lower()) != "csv" or not head.strip():
        return None
    found = sniff_csv(path, head, [])
    types = {} if found.wide else found.types(decimal)
    table = _read_table(path, found.encoding, found.header, found.delimiter, types)
    return read_key(path, found, types), table


def read_key(path: Path, found: CsvLayout, types: dict[str, pa.DataType]) -> tuple[object, ...]:
    """Everything that decides what a read returns: the file's identity and how it is parsed."""
    try:
        stat = path.stat()
    except OSError:
        return ()  # the foreground reports it
    return (
        (stat.st_ino, stat.st_size, stat.st_mtime_ns),
        found.encoding.codec,
        found.delimiter,
        tuple(found.header),
        tuple((k, str(t)) for k, t in types.items()),
    )


def _text_encoding(head: bytes, name: str) -> Encoding:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return sniff(head, name)  # UTF-16 holds NUL bytes by nature
    if b"\x00" in head.translate(_CONTROL):
        raise DataError(Problem.of("data.binary-file", name))
    return sniff(head, name)


class NotPlainNumbers(Exception):
    """A numeric column holds text: read the file again as text to name the cell."""


def read_table(
    path: Path, found: CsvLayout, types: dict[str, pa.DataType], ahead: ReadAhead | None = None
) -> pa.Table:
    """The whole file parsed by Arrow with these column types; errors located in the file."""
    if ahead is not None:
        table = ahead.take(path, read_key(path, found, types))
        if table is not None:
            return table
    return _read_table(path, found.encoding, found.header, found.delimiter, types)


def _read_table(
    path: Path, encoding: Encoding, header: list[str], delimiter: str, types: dict[str, pa.DataType]
) -> pa.Table:
    name = str(path)
    string_types = {raw: pa.string() for raw in header if raw not in types}
    try:
        return pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(
                use_threads=True,
                block_size=BLOCK_BYTES,
                # pyarrow transcodes other encodings block by block, so memory stays bounded.
                encoding="utf8" if encoding.is_utf8 else encoding.codec,
            ),
            parse_options=pacsv.ParseOptions(delimiter=delimiter),
            convert_options=pacsv.ConvertOptions(
                column_types={**string_types, **types},
                # Only an empty cell is null: "-", "N/A" and the other words for "no figure" in a
                # number column fail to convert, and the file is read again as text, where they are
                # told from an empty cell (``tidy``). A unit may be called "X": names are never null.
                null_values=[""],
                strings_can_be_null=False,
                auto_dict_encode=True,
                auto_dict_max_cardinality=1 << 20,
            ),
        )
    except pa.ArrowInvalid as exc:
        raise _csv_problem(path, encoding, header, delimiter, str(exc)) from None
    except UnicodeDecodeError as exc:
        line = _first_line_where(path, encoding.codec)
        raise DataError(
            Problem.of("data.bad-byte", name, line, byte=exc.object[exc.start], encoding=encoding.label)
        ) from None


def _csv_problem(path: Path, encoding: Encoding, header: list[str], delimiter: str, text: str) -> Exception:
    """pyarrow's complaint as one located problem; the file is scanned again only on this error path."""
    name = str(path)
    column = re.search(r"In CSV column #(\d+)", text)
    if "conversion error to string" in text:
        key = header[int(column[1])] if column and int(column[1]) < len(header) else None
        line = _first_line_where(path, encoding.codec)
        return DataError(Problem.of("data.bad-text", name, line, key, encoding=encoding.label))
    if "conversion error" in text:
        return NotPlainNumbers()
    if "straddles" in text:
        line = _long_line(path)
        return DataError(Problem.of("data.long-line", name, line, size=BLOCK_BYTES >> 20))
    expected = re.search(r"Expected (\d+) columns, got (\d+)", text)
    if expected:
        want, got = int(expected[1]), int(expected[2])
        rows, more = _rows_with_fields(path, encoding, delimiter, want)
        problems = [
            Problem.of("data.field-count", name, line, got=got if count is None else count, expected=want)
            for line, count in rows
        ] or [Problem.of("data.field-count", name, None, got=got, expected=want)]
        return DataError(limit(problems, more))
    return DataError(Problem.of("data.malformed-csv", name, _line_in(text), reason=shorten(text)))


def _finite(table: pa.Table, found: CsvLayout) -> bool:
    """Whether the number columns hold no NaN or infinity (``nan``, ``inf``, ``1e400`` written out).

    One sum per column: a NaN or an infinity makes it NaN or infinite (so may a
    sum too large for a float, which only sends the file to the slower path).
    A few milliseconds on a national file, 0.05 ms on a district's.
    """
    import pyarrow.compute as pc

    raw_of = found.raw_name()
    columns = [table.column(raw_of[c]) for c in NUMERIC if c in raw_of]
    sums = [pc.sum(c).as_py() for c in columns if pa.types.is_floating(c.type)]
    return all(total is None or math.isfinite(total) for total in sums)


def thousands_dots(found: CsvLayout) -> bool:
    """Whether a number column of the sniffed rows holds "1.000", which pyarrow reads as 1.

    Only the first 64 KiB, already in memory, are looked at: the fast path
    makes no second pass over a large file. The text path checks every row.
    """
    text, columns = found.text, found.columns
    if not _DOT_THREE.search(text):  # the cheap look first: a dot and exactly three digits
        return False
    wanted = [i for i, c in enumerate(columns) if c in NUMERIC]
    lines = _NEWLINE.split(text)
    if not found.complete:
        lines.pop()  # cut by the 64 KiB limit
    return any(
        i < len(row) and THOUSANDS_DOT.match(row[i])
        for row in csv.reader(lines[1:], delimiter=found.delimiter)
        for i in wanted
    )


def _first_line_where(path: Path, codec: str) -> int | None:
    """The first line that does not decode; None for UTF-16, whose lines do not split on a byte."""
    if codec.startswith("utf-16"):
        return None
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not _decodes(raw, codec):
                return number
    return None


def _decodes(raw: bytes, codec: str) -> bool:
    try:
        raw.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _long_line(path: Path) -> int | None:
    """The number of the first line longer than a pyarrow block, read in 1 MiB pieces."""
    number, length = 1, 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            start = 0
            while (end := chunk.find(b"\n", start)) >= 0:
                if length + end - start > BLOCK_BYTES:
                    return number
                number, length, start = number + 1, 0, end + 1
            length += len(chunk) - start
            if length > BLOCK_BYTES:
                return number
    return None


def _rows_with_fields(
    path: Path, encoding: Encoding, delimiter: str, expected: int
) -> tuple[list[tuple[int, int | None]], int]:
    """The first ``CAP`` lines whose number of fields is not the header's, and how many more.

    All are told in one run. A quote left open ends the scan at the line where Python's
    reader gives up (its count of fields unknown: None).
    """
    codec = "utf-8-sig" if encoding.is_utf8 else encoding.codec
    found: list[tuple[int, int | None]] = []
    more = 0
    with path.open(encoding=codec, errors="replace", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            for row in reader:
                if row and len(row) != expected:
                    if len(found) < CAP:
                        found.append((reader.line_num, len(row)))
                    else:
                        more += 1
        except csv.Error:
            if len(found) < CAP:
                found.append((reader.line_num, None))
    return found, more


def _line_in(text: str) -> int | None:
    match = re.search(r"[Rr]ow #?(\d+)", text)
    return int(match[1]) if match else None
