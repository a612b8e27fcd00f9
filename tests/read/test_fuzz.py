"""Fuzzing the reader and the CLI: whatever the bytes, exit 0, 1 or 2 and never a traceback."""

from __future__ import annotations

import contextlib
import csv
import io
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from typer.testing import CliRunner

from helpers import CORPUS
from kpicheck.cli import app
from kpicheck.errors import DataError
from kpicheck.read.actuals import read_actuals
from kpicheck.read.columns import MISSING_TOKENS
from kpicheck.read.problems import CAP

# The messages quoted here are the English ones (KPICHECK_LANG=en; test_languages.py has Vietnamese).
pytestmark = pytest.mark.usefixtures("english")

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
UNITS = ["Xã Bum Nưa", "Xã Ka Lăng", "Thị trấn Mường Tè", "Huyện Mường Tè"]
INDICATORS = ["stunting_u5", "underweight_u5", "birth_registration_u5"]
HEADERS = [
    ["unit", "indicator", "year", "value"],
    ["Đơn vị", "Chỉ tiêu", "Năm", "Giá trị"],
    ["unit", "indicator", "year", "value", "numerator", "denominator"],
    ["unit", "year", *INDICATORS],  # wide
]


def check_cli(path: Path, *args: str) -> None:
    result = CliRunner().invoke(
        app,
        ["evaluate", str(path), "--plan", "muong-te-ct28", "--format", "json", *args],
        catch_exceptions=True,
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2), result.exit_code
    assert "Traceback" not in result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("kpicheck: error:")]
    if result.exit_code == 2:
        # Every problem of the file, each on its own line naming it; past the cap, one line counts the rest.
        assert 1 <= len(errors) <= CAP + 1, result.stderr
        assert all(line.startswith(f"kpicheck: error: {path}") for line in errors[:CAP]), result.stderr
        assert len(errors) <= CAP or errors[-1].startswith("kpicheck: error: and "), result.stderr
        assert len(set(errors)) == len(errors), result.stderr


def check_reader(path: Path) -> None:
    with contextlib.suppress(DataError):  # read, or refused: nothing else
        read_actuals([path])


@pytest.mark.slow
@FUZZ
@given(
    data=st.binary(max_size=2048),
    prefix=st.sampled_from([b"", b"unit,indicator,year,value\n", b"\xef\xbb\xbf"]),
)
def test_random_bytes(data: bytes, prefix: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.csv"
        path.write_bytes(prefix + data)
        check_reader(path)
        check_cli(path)


SEEDS = sorted(p for p in CORPUS.iterdir() if p.suffix in (".csv", ".tsv", ".txt", ".xlsx", ".parquet"))


@pytest.mark.slow
@FUZZ
@given(
    seed=st.sampled_from(SEEDS),
    edits=st.lists(
        st.tuples(st.floats(min_value=0, max_value=1), st.binary(max_size=4), st.integers(0, 4)), max_size=4
    ),
)
def test_mutated_corpus_files(seed: Path, edits: list[tuple[float, bytes, int]]) -> None:
    """Corpus files with a few bytes replaced, inserted or cut: deep into each format's reader."""
    data = bytearray(seed.read_bytes())
    for where, insert, cut in edits:
        at = int(where * len(data))
        data[at : at + cut] = insert
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"data{seed.suffix}"
        path.write_bytes(bytes(data))
        check_reader(path)
        check_cli(path)


cell = st.one_of(
    st.sampled_from(
        UNITS + INDICATORS + list(MISSING_TOKENS) + ["2025", "năm 2025", "24,5", "1.000", "92%", "-3"]
    ),
    st.integers(min_value=-(10**6), max_value=10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(max_size=12),
)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    header = draw(st.sampled_from(HEADERS))
    row = st.tuples(
        st.sampled_from(UNITS) | st.text(max_size=8),
        st.sampled_from(INDICATORS) | cell,
        st.integers(min_value=1990, max_value=2040).map(str) | cell,
        *[st.floats(min_value=-10, max_value=200).map(lambda v: f"{v:.2f}") | cell for _ in header[3:]],
    )
    rows = draw(st.lists(row, max_size=12))
    return header, [list(r) for r in rows]


@pytest.mark.slow
@FUZZ
@given(
    table=tables(),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258"]),
    decimal=st.sampled_from([".", ","]),
)
def test_random_well_formed_tables(
    table: tuple[list[str], list[list[str]]], delimiter: str, encoding: str, decimal: str
) -> None:
    header, rows = table
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\n").writerows([header, *rows])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.csv"
        path.write_bytes(text.getvalue().encode(encoding, errors="replace"))
        check_reader(path)
        check_cli(path, "--decimal", decimal)


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=tables(), title=st.lists(st.text(max_size=10), max_size=3), numbers=st.booleans())
def test_random_workbooks(table: tuple[list[str], list[list[str]]], title: list[str], numbers: bool) -> None:
    header, rows = table
    book = openpyxl.Workbook()
    sheet = book.active
    for text in title:
        sheet.append([_legal(text)])
    sheet.append(header)
    for row in rows:
        # Cells as Excel holds them: numbers where the text is one, else the text.
        sheet.append([_number_or_text(v) if numbers else _legal(v) for v in row])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.xlsx"
        book.save(path)
        check_reader(path)
        check_cli(path)


def _number_or_text(value: str) -> float | str:
    try:
        return float(value)
    except ValueError:
        return _legal(value)


def _legal(text: str) -> str:
    """Without the control characters a worksheet cannot hold (openpyxl refuses them)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


# --- Issue 12: crafted workbook dimensions, odd Parquet integer widths, invisible characters in names --


@st.composite
def sheets(draw: st.DrawFn) -> tuple[bytes, bool]:
    """A worksheet's XML: rows and cells that give their place (r="B3") or not, at random places,
    with a namespace prefix or not, some empty; and whether every element gives its place."""
    prefix = draw(st.sampled_from(["", "x:"]))
    rows = []
    placed = True
    for _ in range(draw(st.integers(0, 8))):
        row_r = draw(st.one_of(st.none(), st.integers(1, 120)))
        cells = []
        for _ in range(draw(st.integers(0, 6))):
            where = draw(st.one_of(st.none(), st.tuples(st.integers(1, 60), st.integers(1, 120)).map(_place)))
            placed = placed and where is not None
            attributes = f' r="{where}"' if where else ""
            empty = draw(st.booleans())
            cells.append(
                f"<{prefix}c{attributes}/>"
                if empty
                else f"<{prefix}c{attributes}><{prefix}v>1</{prefix}v></{prefix}c>"
            )
        placed = placed and row_r is not None
        attributes = f' r="{row_r}"' if row_r else ""
        rows.append(f"<{prefix}row{attributes}>{''.join(cells)}</{prefix}row>")
    namespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    declare = f'xmlns:{prefix[:-1]}="{namespace}"' if prefix else f'xmlns="{namespace}"'
    xml = f"<{prefix}worksheet {declare}><{prefix}sheetData>{''.join(rows)}</{prefix}sheetData></{prefix}worksheet>"
    return xml.encode(), placed


def _place(at: tuple[int, int]) -> str:
    from kpicheck.read.formats.workbook_scan import column_letters

    return f"{column_letters(at[0])}{at[1]}"


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sheet=sheets(),
    rows=st.integers(1, 130),
    columns=st.integers(1, 70),
    cells=st.integers(1, 3000),
    size=st.integers(5, 400),
)
def test_a_sheet_the_scan_lets_through_is_within_the_limits_as_calamine_builds_it(
    sheet: tuple[bytes, bool], rows: int, columns: int, cells: int, size: int
) -> None:
    """The scan's bounds against calamine's own grid: never a sheet past the limits let through;
    and a sheet refused where every element gives its place is refused with calamine's extent."""
    from python_calamine import CalamineWorkbook

    from kpicheck.read.formats.workbook_scan import Limits, scan_sheet

    xml, placed = sheet
    limits = Limits(rows=rows, columns=columns, cells=cells)
    scan = scan_sheet(lambda: iter([xml[i : i + size] for i in range(0, len(xml), size)]), limits)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.xlsx"
        _workbook_with_sheet(path, xml)
        grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Sheet").end
    height, width = (grid[0] + 1, grid[1] + 1) if grid else (0, 0)
    past = height > rows or width > columns or height * width > cells
    refused = scan.rows > rows or scan.columns > columns or scan.rows * scan.columns > cells
    assert refused or not past, (scan, height, width)
    if refused and placed:
        assert (scan.rows, scan.columns) == (height, width)


def _workbook_with_sheet(path: Path, xml: bytes) -> None:
    book = openpyxl.Workbook()
    book.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {n: source.read(n) for n in source.namelist()}
    parts["xl/worksheets/sheet1.xml"] = xml
    with zipfile.ZipFile(path, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)


INTEGERS = [pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.uint8(), pa.uint16(), pa.uint32(), pa.uint64()]


@pytest.mark.slow
@FUZZ
@given(
    year_type=st.sampled_from(INTEGERS),
    value_type=st.sampled_from([*INTEGERS, pa.float16(), pa.float32(), pa.float64()]),
    data=st.data(),
)
def test_parquet_integers_of_any_width(
    year_type: pa.DataType, value_type: pa.DataType, data: st.DataObject
) -> None:
    """Any integer width for years and values: a year outside 1945-2100 is refused on its row,
    never wrapped or dropped; every value is judged as the number written."""
    import numpy as np
    import pyarrow.parquet as pq

    def within(kind: pa.DataType) -> st.SearchStrategy[int]:
        info = np.iinfo(kind.to_pandas_dtype())
        return st.integers(int(info.min), int(info.max))

    n = data.draw(st.integers(1, 4))
    years = data.draw(
        st.lists(
            st.one_of(
                within(year_type),
                st.integers(2020, 2030).filter(lambda y: y <= np.iinfo(year_type.to_pandas_dtype()).max),
            ),
            min_size=n,
            max_size=n,
        )
    )
    if pa.types.is_integer(value_type):
        values = data.draw(
            st.lists(st.one_of(within(value_type), st.integers(0, 100)), min_size=n, max_size=n)
        )
    else:
        values = data.draw(
            st.lists(
                st.floats(0, 100, width=16 if value_type == pa.float16() else 32), min_size=n, max_size=n
            )
        )
    table = pa.table(
        {
            "unit": [f"Xã {i}" for i in range(n)],
            "indicator": ["stunting_u5"] * n,
            "year": pa.array(years, year_type),
            "value": pa.array(values, value_type)
            if value_type != pa.float16()
            else pa.array(np.array(values, np.float16)),
        }
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.parquet"
        pq.write_table(table, path)
        try:
            frame = read_actuals([path]).frame
        except DataError as exc:
            bad = [i + 1 for i, y in enumerate(years) if not 1945 <= y <= 2100]
            assert bad, exc.problems
            assert [(p.code, p.line) for p in exc.problems] == [
                ("data.year-out-of-range", line) for line in bad
            ]
        else:
            assert all(1945 <= y <= 2100 for y in years)
            assert frame["year"].tolist() == years
            assert frame["value"].tolist() == [
                float(np.asarray(v, value_type.to_pandas_dtype()).astype(str)) for v in values
            ]
        check_cli(path)


# Not the soft hyphen: in a name it is the mark of TCVN3 text saved as Unicode ("Tr\u00adêng"), refused.
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


@st.composite
def spellings(draw: st.DrawFn, name: str) -> str:
    """``name`` as a person may type or paste it: case, spaces doubled or no-break, invisible characters."""
    words = name.split(" ")
    spaces = [draw(st.sampled_from([" ", "  ", "\u00a0", " \u200b"])) for _ in words[1:]]
    text = words[0] + "".join(space + word for space, word in zip(spaces, words[1:], strict=True))
    text = draw(st.sampled_from([text, text.lower(), text.upper(), text.title()]))
    at = draw(st.integers(0, len(text)))
    return text[:at] + draw(st.sampled_from(["", *INVISIBLE])) + text[at:]


@pytest.mark.slow
@FUZZ
@given(data=st.data())
def test_names_spelled_as_people_type_them_are_the_same_units(data: st.DataObject) -> None:
    """A table whose names are spelled with case, space and invisible-character variations reads
    as the clean table: the same units (one per name), the same values, the same results."""
    clean = [
        (unit, indicator, year, 20.0 + k)
        for k, (unit, indicator, year) in enumerate(
            (u, i, y) for u in UNITS[:3] for i in INDICATORS[:2] for y in (2024, 2025)
        )
    ]
    noisy = [
        (data.draw(spellings(unit)), data.draw(spellings(indicator)), year, value)
        for unit, indicator, year, value in clean
    ]
    results = []
    for rows in (clean, noisy):
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows([["unit", "indicator", "year", "value"], *rows])
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "data.csv"
            path.write_text(text.getvalue(), encoding="utf-8")
            frame = read_actuals([path]).frame
        from kpicheck.names import fold

        assert frame["unit"].nunique() == 3
        results.append(
            sorted((fold(str(r.unit)), fold(str(r.indicator)), r.year, r.value) for r in frame.itertuples())
        )
    assert results[0] == results[1]


def _foreign_letter_by_hand(name: str) -> str | None:
    """The rule as written before it became one regular expression: the first character in
    U+0080–U+024F that is neither a Vietnamese letter nor Office punctuation."""
    from kpicheck.read.encodings import _PUNCTUATION, VIETNAMESE_LETTERS

    for char in name:
        if 0x80 <= ord(char) <= 0x24F and char not in VIETNAMESE_LETTERS and char not in _PUNCTUATION:
            return char
    return None


@given(st.text(alphabet=st.characters(max_codepoint=0x2FF), max_size=30))
def test_foreign_letter_finds_what_the_rule_says(name: str) -> None:
    from kpicheck.read.encodings import foreign_letter

    assert foreign_letter(name) == _foreign_letter_by_hand(name)
