"""What a worksheet holds, read from the workbook's XML before calamine is asked for it.

calamine builds a sheet as a dense grid from its first to its last cell, and
the Rust allocator aborts the whole process (SIGABRT, no exception) when the
grid does not fit: a 2 KB workbook with one stray cell at XFD1048576 asks for
a grid of 17 billion cells, 512 GiB. A small workbook with one cell a million
rows down takes half a minute and more than a gigabyte to read. So each
sheet's XML is scanned first, streamed in pieces, and refused past ``LIMITS``:
the grid its cells span (rows, columns, cells) and the bytes it unpacks to.

The scan must cost little beside calamine's own parse (about 5% on a sheet of
100,000 rows), so it never turns every cell into a Python object. It bounds
the grid with a few regular-expression searches that mostly find nothing:

1. the columns: the widest reference with two letters or more (none: at most Z);
2. the rows: any reference below the last row that grid may have within the
   limits, by a regular expression for "a number greater than N";
3. only when 2 finds one is every reference read, for the exact extent that the
   refusal then states.

Rows and cells that do not say where they are (``<c>`` without ``r="D2"``,
written by a few programs) are placed by calamine after the previous one; the
grid is then bounded by their count and by the row of most cells. The same scan finds
formulas saved without their result (a workbook written by a program and never
saved in Excel), which calamine reads as empty cells.
"""

from __future__ import annotations

import functools
import operator
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from kpicheck.errors import DataError, Problem


@dataclass(frozen=True)
class Limits:
    rows: int = 1_048_576  # Excel's own limit: a sheet with more rows was not made by Excel
    columns: int = 16_384  # Excel's own (XFD)
    cells: int = 10_000_000  # of the grid, rows × columns: what calamine allocates
    bytes: int = 512 << 20  # one unpacked part (a sheet's XML, the shared strings)


LIMITS = Limits()

# Formulas without a result listed per sheet (they are usually all of them: a list would be long).
FORMULAS_LISTED = 50

_PIECE = 4 << 20  # bytes unpacked and scanned at a time
_SMALL_PART = 16 << 20  # workbook.xml and its relationships: small, parsed whole
_ANY_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_SHEET_DATA = re.compile(rb"<(" + _ANY_PREFIX + rb")sheetData\b")
_ATTRIBUTE = re.compile(rb'\b([rt])="([^"]*)"')
_PREFIXED = re.compile(rb":(?:c|row)[\s>/]")


class _Patterns:
    """The expressions of a scan, for the namespace prefix the sheet's elements carry (most
    often none). A literal start keeps them fast: Python's ``re`` jumps from ``<c r="`` to the
    next. ``regular`` finds rows and cells whose first attribute is not their place, which
    Excel and the usual libraries never write; only then are the slower ``general`` ones used."""

    def __init__(self, prefix: bytes) -> None:
        p = re.escape(prefix) if prefix != _ANY_PREFIX else prefix
        self.foreign = prefix == b""  # a prefixed element in an unprefixed sheet: scan again, generally
        self.prefix = p
        self.irregular = re.compile(rb"<" + p + rb"(?:row|c)(?:>|/>|\s(?!r=))")
        self.unplaced = re.compile(rb"<" + p + rb"(?:row|c)(?:>|/>|\s(?![^>]*?\br=))")
        self.rowless = re.compile(rb"<" + p + rb"row(?:>|/>|\s(?![^>]*?\br=))")
        self.row_end = re.compile(rb"</" + p + rb"row>")
        cell = re.compile(rb"<" + p + rb"c[\s>/]")
        # The cells of a row, counted in C (``bytes.count``) when the prefix is known.
        self.count_cells: Callable[[bytes], int] = (
            operator.methodcaller("count", b"<" + prefix + b"c")
            if prefix != _ANY_PREFIX
            else lambda row: len(cell.findall(row))
        )
        # Every place named, of rows and of cells empty or not: where counting starts from.
        self.row_places = re.compile(rb"<" + p + rb'row\s[^>]*?\br="([0-9]+)"')
        self.places = re.compile(rb"<" + p + rb'c\s[^>]*?\br="([A-Za-z]+)([0-9]+)"')
        self.formula = re.compile(rb"<" + p + rb"f[\s>/]")
        self.no_value = re.compile(
            rb"<" + p + rb"c\s([^>]*?)>\s*<" + p + rb"f\b[^>]*?(?:/>|>[^<]*</" + p + rb"f>)\s*"
            rb"(<" + p + rb"v\s*/>|<" + p + rb"v>\s*</" + p + rb"v>)?\s*</" + p + rb"c>"
        )

    def cells(self, reference: bytes, general: bool) -> re.Pattern[bytes]:
        """Cells with content whose place matches ``reference`` (letters, then digits)."""
        start = rb"c\s[^>]*?\br=" if general else rb"c r="
        return _compiled(rb"<" + self.prefix + start + rb'"' + reference + rb'"[^>]*(?<!/)>')


@functools.cache
def _compiled(pattern: bytes) -> re.Pattern[bytes]:
    return re.compile(pattern)


def greater_than(number: int) -> bytes:
    """A regular expression for the decimal numbers greater than ``number`` (without leading zeros)."""
    digits = str(max(number, 0))
    alternatives = [b"[1-9][0-9]{%d,}" % len(digits)]  # more digits
    for i, char in enumerate(digits):
        if char != "9":
            rest = len(digits) - i - 1
            alternatives.append(f"{digits[:i]}[{int(char) + 1}-9][0-9]{{{rest}}}".encode())
    return b"(?:" + b"|".join(alternatives) + b")"


@dataclass
class SheetScan:
    """The extent of a sheet's cells and the formula cells saved without their result."""

    rows: int = 0  # the grid calamine would build (0: measured only when it may be too large)
    columns: int = 0
    formulas: list[str] = field(default_factory=list)  # A1-style references, the first ones
    formula_count: int = 0


def check_workbook(
    path: Path, name: str, sheets: list[str], limits: Limits | None = None
) -> dict[str, SheetScan]:
    """Scan the sheets calamine is about to read; refuse a sheet or part past ``limits``.

    Returns each sheet's scan. A workbook whose structure is not understood here
    is left to calamine, which reports it; every worksheet part is then checked.
    """
    limits = limits or LIMITS
    try:
        with zipfile.ZipFile(path) as book:
            _check_shared_strings(book, name, limits)
            parts = _sheet_parts(book)
            scans: dict[str, SheetScan] = {}
            if all(sheet in parts for sheet in sheets):
                for sheet in sheets:
                    scans[sheet] = _check_sheet(book, parts[sheet], sheet, name, limits)
            else:
                for part in _worksheets(book):
                    _check_sheet(book, part, part, name, limits)
            return scans
    except (zipfile.BadZipFile, ElementTree.ParseError, OSError, EOFError, RuntimeError, ValueError):
        return {}  # calamine says what is wrong with it


def _check_sheet(book: zipfile.ZipFile, part: str, sheet: str, name: str, limits: Limits) -> SheetScan:
    scan = scan_sheet(lambda: _unpacked(book, part, name, limits), limits)
    if scan.rows > limits.rows or scan.columns > limits.columns or scan.rows * scan.columns > limits.cells:
        limit, measure = (
            (limits.rows, "rows")
            if scan.rows > limits.rows
            else (limits.columns, "columns")
            if scan.columns > limits.columns
            else (limits.cells, "cells")
        )
        cell = f"{column_letters(scan.columns)}{scan.rows}"
        raise DataError(
            Problem.of(
                "data.sheet-too-large",
                name,
                sheet=sheet,
                cell=cell,
                rows=scan.rows,
                columns=scan.columns,
                limit=limit,
                measure=measure,
            )
        )
    return scan


def _check_shared_strings(book: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """calamine holds every shared string in memory: its part is unpacked and counted, not trusted."""
    for info in book.infolist():
        if info.filename.lower().endswith("sharedstrings.xml"):
            for _ in _unpacked(book, info.filename, name, limits):
                pass


def _unpacked(book: zipfile.ZipFile, part: str, name: str, limits: Limits) -> Iterator[bytes]:
    """The part's bytes, a piece at a time; refused once more than ``limits.bytes`` came out
    (the sizes a zip declares are not trusted: a zip bomb may lie)."""
    total = 0
    with book.open(part) as handle:
        while piece := handle.read(_PIECE):
            total += len(piece)
            if total > limits.bytes:
                raise DataError(Problem.of("data.workbook-too-large", name, part=part, limit=limits.bytes))
            yield piece


def scan_sheet(read: Callable[[], Iterator[bytes]], limits: Limits = LIMITS) -> SheetScan:
    """The formulas without a result of one sheet's XML, and its extent when it may lie past
    ``limits`` (else 0 rows and columns: within them). ``read()`` gives the bytes, in pieces."""
    scan = SheetScan()
    patterns: _Patterns | None = None
    letters: set[bytes] = set()
    general = False  # some row or cell does not give its place first
    unplaced = False  # some row or cell does not give its place at all
    rowless, widest = 0, 0  # rows that do not say where they are; the most cells in one row
    checked: int | None = None  # the most rows a piece was allowed: more than the final width allows?
    over = False
    for piece in _pieces(read()):
        if patterns is None:
            found = _SHEET_DATA.search(piece)
            if found is None:
                continue  # the sheet's settings, before its data
            patterns = _Patterns(found[1])
        if patterns.foreign and _PREFIXED.search(piece):
            patterns = _Patterns(_ANY_PREFIX)  # elements with a prefix the sheet did not declare
            general = True
        general = general or patterns.irregular.search(piece) is not None
        if general and patterns.unplaced.search(piece):
            unplaced = True
            rowless += len(patterns.rowless.findall(piece))
            widest = max(widest, max(map(patterns.count_cells, patterns.row_end.split(piece))))
        if patterns.formula.search(piece):
            _formulas(patterns, piece, scan)
        if unplaced:
            continue  # measured below
        letters.update(patterns.cells(rb"([A-Za-z]{2,})[0-9]+", general).findall(piece))
        last_row = _last_row(letters, limits)
        checked = last_row if checked is None else max(checked, last_row)
        over = over or last_row <= 0 or _below(patterns, last_row, general).search(piece) is not None
    if patterns is None:
        return scan
    if unplaced:
        return _placed_by_counting(read, patterns, rowless, widest, scan)
    last_row = _last_row(letters, limits)
    if not over and checked is not None and last_row < checked:
        # The sheet turned out wider than its first pieces: look again, against the lower row.
        over = any(_below(patterns, last_row, general).search(piece) for piece in _pieces(read()))
    if not over:
        return scan
    # Some cell lies past what the limits allow for this width: measure the exact extent.
    rows, columns = 0, 0
    for piece in _pieces(read()):
        refs = patterns.cells(rb"([A-Za-z]+)([0-9]+)", True).findall(piece)
        if refs:
            rows = max(rows, max(int(row) for _, row in refs))
            columns = max(columns, max(column_number(c) for c in {c for c, _ in refs}))
    scan.rows, scan.columns = rows, columns
    return scan


def _placed_by_counting(
    read: Callable[[], Iterator[bytes]], patterns: _Patterns, rowless: int, widest: int, scan: SheetScan
) -> SheetScan:
    """The extent, at most, of a sheet some of whose rows or cells do not say where they are.

    calamine puts such a row after the previous one and such a cell after the
    previous one in its row, whatever that one held: so a row lies at most
    ``rowless`` rows below the lowest place any row or cell names, and a cell at
    ``widest`` columns (the most cells a row holds) right of any place named.
    """
    rows, columns = 0, 0
    for piece in _pieces(read()):
        rows = max(rows, max(map(int, patterns.row_places.findall(piece)), default=0))
        refs = patterns.places.findall(piece)
        if refs:
            rows = max(rows, max(int(row) for _, row in refs))
            columns = max(columns, max(column_number(c) for c in {c for c, _ in refs}))
    scan.rows, scan.columns = rows + rowless, columns + widest
    return scan


def _last_row(letters: set[bytes], limits: Limits) -> int:
    """The last row a grid as wide as the sheet may have within ``limits`` (0: it may be too
    wide). The width is at most the widest reference: Z when none has two letters."""
    columns = max((column_number(c) for c in letters), default=26)
    if columns > limits.columns:
        return 0
    return min(limits.rows, limits.cells // columns)


def _below(patterns: _Patterns, row: int, general: bool) -> re.Pattern[bytes]:
    return patterns.cells(rb"[A-Za-z]+" + greater_than(row), general)


def _pieces(pieces: Iterator[bytes]) -> Iterator[bytes]:
    """The XML in pieces that end after a whole row (or, in a row longer than a piece, an element)."""
    rest = b""
    for piece in pieces:
        rest += piece
        cut = _cut(rest, whole_rows=len(rest) <= _PIECE)
        if cut:
            yield rest[:cut]
            rest = rest[cut:]
    if rest:
        yield rest


def _cut(buffer: bytes, whole_rows: bool) -> int:
    """Where the buffer can be cut without cutting a row (0: not yet), or else a cell."""
    for end in (b"row>",) if whole_rows else (b"row>", b"c>", b">"):
        at = buffer.rfind(end)
        if at >= 0:
            return at + len(end)
    return 0


def _formulas(patterns: _Patterns, xml: bytes, scan: SheetScan) -> None:
    for match in patterns.no_value.finditer(xml):
        attributes = dict(_ATTRIBUTE.findall(match[1]))
        if match[2] and attributes.get(b"t") == b"str":
            continue  # a formula whose result is the empty text: saved, and empty
        scan.formula_count += 1
        if len(scan.formulas) < FORMULAS_LISTED:
            scan.formulas.append(attributes.get(b"r", b"?").decode("ascii", "replace"))


def column_number(letters: bytes | str) -> int:
    """``A`` is 1, ``XFD`` 16,384."""
    number = 0
    for char in letters.upper() if isinstance(letters, str) else letters.decode("ascii").upper():
        number = number * 26 + ord(char) - ord("A") + 1
    return number


def column_letters(number: int) -> str:
    """1 is ``A``, 16,384 ``XFD``."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name to the zip part holding its XML, from the workbook and its relationships."""
    names = set(book.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return {}
    targets = {}
    for element in _elements(book, "xl/_rels/workbook.xml.rels"):
        if _local(element.tag) == "Relationship" and element.get("Target"):
            target = element.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            targets[element.get("Id", "")] = part
    parts = {}
    for element in _elements(book, "xl/workbook.xml"):
        if _local(element.tag) == "sheet":
            rid = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
            if rid in targets and targets[rid] in names:
                parts[element.get("name", "")] = targets[rid]
    return parts


def _worksheets(book: zipfile.ZipFile) -> list[str]:
    names = [n.lower() for n in book.namelist()]
    return [
        n
        for n, low in zip(book.namelist(), names, strict=True)
        if low.startswith("xl/worksheets/") and low.endswith(".xml")
    ]


def _elements(book: zipfile.ZipFile, part: str) -> list[ElementTree.Element]:
    if book.getinfo(part).file_size > _SMALL_PART:
        return []
    with book.open(part) as handle:
        data = handle.read(_SMALL_PART + 1)
    if len(data) > _SMALL_PART:
        return []
    return list(ElementTree.fromstring(data).iter())


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
