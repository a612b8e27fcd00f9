"""Plain CSV files: the layout sniffed from the first 64 KiB, the rows parsed by Arrow.

Nothing here needs pandas, so ``kpicheck evaluate`` starts reading its CSV
files (``read_ahead``) while pandas and the engine are still being imported:
Arrow parses without the GIL, the imports need it, and two cores do both at
once. What the reader in the background finds is used only if it was read
exactly as the foreground asks; any problem is left for the foreground to
find again and report, so reading ahead never changes a result or an error.
"""

from __future__ import annotations

import csv
import re
import threading
import unicodedata
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from kpicheck.errors import DataError, Problem
from kpicheck.read.encodings import LEGACY_ADVICE, Encoding, sniff

REQUIRED = ("unit", "indicator", "year", "value")
NAMES = ("unit", "indicator")
# Higher units a row belongs to, for ``--rollup``.
PARENT_COLUMNS = ("parent", "district", "province")
# Columns of ``kpicheck template`` that help whoever fills it in; read and ignored.
TEMPLATE_COLUMNS = ("name", "measure", "target")
OPTIONAL = ("numerator", "denominator", *PARENT_COLUMNS, "note", *TEMPLATE_COLUMNS)
NUMERIC = ("value", "numerator", "denominator")
# Written by offices for "no figure"; read as missing, judged ``invalid``.
MISSING_TOKENS = (
    "",
    "-",
    "--",
    "n/a",
    "na",
    "N/A",
    "NA",
    "null",
    "NULL",
    "không có số liệu",
    "Không có số liệu",
    "x",
    "X",
)
# "1.000" or "12.500.000": dots grouping thousands, as Vietnamese-locale Excel writes them.
THOUSANDS_DOT = re.compile(r"^\s*-?[1-9]\d{0,2}(\.\d{3})+\s*$")
_DOT_THREE = re.compile(r"\.[0-9]{3}(?![0-9])")
HEADER_ALIASES = {
    "don_vi": "unit",
    "đơn vị": "unit",
    "chi_tieu": "indicator",
    "chỉ tiêu": "indicator",
    "nam": "year",
    "năm": "year",
    "gia_tri": "value",
    "giá trị": "value",
}
SNIFF_BYTES = 1 << 16
# pyarrow's block: one line must fit in it, and memory stays within a few blocks.
BLOCK_BYTES = 1 << 22
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PARQUET_MAGIC = b"PAR1"
_NEWLINE = re.compile(r"\r\n|\r|\n")
# C0 control characters that no text file holds (tab, newlines, form feed and DOS's EOF aside),
# mapped to 0 for one ``translate`` (ten times faster than a regular expression on 64 KiB).
_CONTROL = bytes(0 if c < 0x20 and c not in b"\t\n\x0c\r\x1a" else 1 for c in range(256))
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
PARQUET_SUFFIXES = (".parquet",)


def file_kind(head: bytes, suffix: str) -> str:
    """``excel``, ``parquet``, ``xls`` or ``csv``: decided by the first bytes, then the suffix."""
    if head.startswith(_ZIP_MAGIC) or suffix in EXCEL_SUFFIXES:
        return "excel"
    if head.startswith(_PARQUET_MAGIC) or suffix in PARQUET_SUFFIXES:
        return "parquet"
    if head.startswith(_OLE_MAGIC):
        return "xls"
    return "csv"


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

    def types(self, decimal: str) -> dict[str, pa.DataType]:
        """Column types for the fast read: names as dictionaries, numbers as numbers."""
        raw_of = self.raw_name()
        numeric = {"value": pa.float64(), "year": pa.int32()}
        numeric.update({c: pa.float64() for c in ("numerator", "denominator") if c in raw_of})
        # Names as dictionaries from the first block on: a column of two million
        # strings is never built, which halves the reader's peak memory.
        names = {
            raw_of[c]: pa.dictionary(pa.int32(), pa.string())
            for c in (*NAMES, *PARENT_COLUMNS)
            if c in raw_of
        }
        if decimal != ".":
            return names
        return {**names, **{raw_of[c]: t for c, t in numeric.items()}}

    def text_types(self) -> dict[str, pa.DataType]:
        """Column types for reading numbers as text, to name the cell that is not one."""
        raw_of = self.raw_name()
        numbers = {
            raw_of[c]: pa.string() for c in ("value", "year", "numerator", "denominator") if c in raw_of
        }
        return {**self.types(","), **numbers}


def sniff_csv(path: Path, head: bytes, notes: list[str]) -> CsvLayout:
    """Encoding, delimiter and header from the first bytes of the file."""
    name = str(path)
    encoding = _text_encoding(head, name)
    if encoding.assumed:
        notes.append(f"{name}: read as {encoding.assumed}")
    try:
        text = encoding.decode_head(head)
    except UnicodeDecodeError:
        raise DataError(Problem("the first line is not valid text", name, 1)) from None
    complete = len(head) < SNIFF_BYTES
    # Lines end in \n, \r\n or (old Mac files) \r alone; pyarrow takes all three.
    lines = _NEWLINE.split(text, maxsplit=1)
    if len(lines) == 1 and not complete:
        raise DataError(
            Problem(f"the first line is longer than {SNIFF_BYTES // 1024} KiB; is this a CSV file?", name, 1)
        )
    first_line = lines[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        header = next(csv.reader([first_line], delimiter=delimiter), [])
    except csv.Error as exc:
        raise DataError(Problem(f"the header line is not CSV ({exc})", name, 1)) from None
    columns, wide = layout(header, name, 1, notes)
    return CsvLayout(name, encoding, text, complete, delimiter, header, columns, wide)


# --- Reading ahead ---------------------------------------------------------------------------------

_Read = tuple[tuple[object, ...], pa.Table]  # the key of how a file was read, and the table
_AHEAD: dict[str, Future[_Read | None]] = {}


def read_ahead(paths: list[Path], decimal: str, workers: int = 2) -> None:
    """Start parsing the plain CSV files among ``paths`` in background threads.

    Small files cost Arrow about a millisecond each whatever their size, so
    several files are read at once. The threads are not daemons: Python waits
    for them before exiting, because stopping Arrow in the middle of a read at
    exit can crash the interpreter.
    """
    pending = []
    for path in paths:
        future: Future[_Read | None] = Future()
        _AHEAD[str(path)] = future
        pending.append((path, future))
    for worker in range(min(workers, len(pending))):
        # Worker i takes every workers-th file: the files are ready in about the order they are asked for.
        share = pending[worker::workers]
        threading.Thread(target=_read_all, args=(share, decimal), name="kpicheck-read-ahead").start()


def _read_all(pending: list[tuple[Path, Future[_Read | None]]], decimal: str) -> None:
    for path, future in pending:
        read = None
        try:
            read = _read_plain(path, decimal)
        except Exception:  # the foreground reads it again and reports the problem properly
            pass
        finally:
            future.set_result(read)


def _read_plain(path: Path, decimal: str) -> _Read | None:
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if file_kind(head, path.suffix.lower()) != "csv" or not head.strip():
        return None
    found = sniff_csv(path, head, [])
    types = {} if found.wide else found.types(decimal)
    table = _read_table(path, found.encoding, found.header, found.delimiter, types)
    return _read_key(path, found, types), table


def _read_key(path: Path, found: CsvLayout, types: dict[str, pa.DataType]) -> tuple[object, ...]:
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
        raise DataError(
            Problem(
                "not a text file: it holds control bytes (a binary file renamed .csv?); "
                "give a CSV, .xlsx or .parquet file",
                name,
            )
        )
    return sniff(head, name)


class NotPlainNumbers(Exception):
    """A numeric column holds text: read the file again as text to name the cell."""


def read_table(path: Path, found: CsvLayout, types: dict[str, pa.DataType]) -> pa.Table:
    """The whole file parsed by Arrow with these column types; errors located in the file."""
    key = _read_key(path, found, types)
    ahead = _AHEAD.pop(str(path), None)
    if ahead is not None:
        read = ahead.result()
        if read is not None and read[0] == key:
            return read[1]
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
                # Missing-value words apply to numeric columns only: a unit may be called "X".
                null_values=list(MISSING_TOKENS),
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
            Problem(
                f"byte {exc.object[exc.start]:#04x} is not {encoding.label} text; {LEGACY_ADVICE}",
                name,
                line,
            )
        ) from None


def _csv_problem(path: Path, encoding: Encoding, header: list[str], delimiter: str, text: str) -> Exception:
    """pyarrow's complaint as one located problem; the file is scanned again only on this error path."""
    name = str(path)
    column = re.search(r"In CSV column #(\d+)", text)
    if "conversion error to string" in text:
        key = header[int(column[1])] if column and int(column[1]) < len(header) else None
        line = _first_line_where(path, encoding.codec)
        return DataError(Problem(f"the text is not valid {encoding.label}; {LEGACY_ADVICE}", name, line, key))
    if "conversion error" in text:
        return NotPlainNumbers()
    if "straddles" in text:
        line = _long_line(path)
        return DataError(
            Problem(f"a line longer than {BLOCK_BYTES >> 20} MiB: is this a CSV file?", name, line)
        )
    expected = re.search(r"Expected (\d+) columns, got (\d+)", text)
    if expected:
        line = _row_with_fields(path, encoding, delimiter, int(expected[1]))
        return DataError(
            Problem(
                f"{expected[2]} fields where the header has {expected[1]}; check the delimiters "
                "and quotes on this line",
                name,
                line,
            )
        )
    return DataError(
        Problem(
            f"not a well-formed CSV file ({shorten(text)}); save it again as 'CSV UTF-8'",
            name,
            _line_in(text),
        )
    )


def refuse_thousands_dots(found: CsvLayout) -> None:
    """Refuse "1.000" in a number column of the sniffed rows; pyarrow would read it as 1.

    Only the first 64 KiB, already in memory, are looked at: the fast path
    makes no second pass over a large file. The text path checks every row.
    """
    text, columns = found.text, found.columns
    if not _DOT_THREE.search(text):  # the cheap look first: a dot and exactly three digits
        return
    wanted = [i for i, c in enumerate(columns) if c in NUMERIC]
    lines = _NEWLINE.split(text)
    if not found.complete:
        lines.pop()  # cut by the 64 KiB limit
    for line, row in enumerate(csv.reader(lines[1:], delimiter=found.delimiter), start=2):
        for i in wanted:
            if i < len(row) and THOUSANDS_DOT.match(row[i]):
                raise DataError(ambiguous(row[i].strip(), found.name, line, columns[i]))


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


def _row_with_fields(path: Path, encoding: Encoding, delimiter: str, expected: int) -> int | None:
    codec = "utf-8-sig" if encoding.is_utf8 else encoding.codec
    with path.open(encoding=codec, errors="replace", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            for row in reader:
                if row and len(row) != expected:
                    return reader.line_num
        except csv.Error:
            return reader.line_num
    return None


def layout(header: list[str], name: str, line: int | None, notes: list[str]) -> tuple[list[str], bool]:
    """Canonical column names, and whether the table is wide (one column per indicator)."""
    columns = header_names(header, name, line)
    wide = "indicator" not in columns and "value" not in columns and {"unit", "year"} <= set(columns)
    if wide:
        return columns, True
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        found = ", ".join(header)
        raise DataError(
            Problem(
                f"missing column {', '.join(repr(m) for m in missing)}; "
                f"the header must have unit,indicator,year,value (found: {shorten(found)})",
                name,
                line,
            )
        )
    extra = [
        repr(raw) if raw.strip() else f"{i + 1} (no name)"
        for i, (raw, canon) in enumerate(zip(header, columns, strict=True))
        if canon not in (*REQUIRED, *OPTIONAL)
    ]
    if extra:
        notes.append(f"{name}: ignoring unknown column(s) {', '.join(extra)}")
    return columns, False


def header_names(header: list[str], name: str, line: int | None = 1) -> list[str]:
    names = []
    for raw in header:
        key = unicodedata.normalize("NFC", raw).strip().lower()
        names.append(HEADER_ALIASES.get(key, key))
    seen: set[str] = set()
    for raw, canon in zip(header, names, strict=True):
        if canon in seen:
            raise DataError(Problem(f"column {raw!r} appears twice in the header; keep one", name, line, raw))
        if canon:  # columns without a name are ignored, however many
            seen.add(canon)
    return names


def ambiguous(raw: str, name: str, line: int, col: str) -> Problem:
    return Problem(
        f"{raw!r} is ambiguous (decimal mark or thousands separator?); write it without a thousands "
        "separator and with a decimal point, or pass --decimal , if the file writes decimal commas "
        "and thousands dots",
        name,
        line,
        col,
    )


def _line_in(text: str) -> int | None:
    match = re.search(r"[Rr]ow #?(\d+)", text)
    return int(match[1]) if match else None


def shorten(text: str, limit: int = 120) -> str:
    first = text.split("\n")[0].strip()
    return first if len(first) <= limit else first[: limit - 1] + "…"
