"""Fuzzing the reader and the CLI: whatever the bytes, exit 0, 1 or 2 and never a traceback."""

from __future__ import annotations

import contextlib
import csv
import io
import tempfile
from pathlib import Path

import openpyxl
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
        assert len(errors) == 1 and errors[0].startswith(f"kpicheck: error: {path}"), result.stderr


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
