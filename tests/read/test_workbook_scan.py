"""The scan of a workbook's XML before calamine builds a sheet: its bounds, its regular expressions,
and the workbooks it must not be fooled by."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpicheck.errors import DataError
from kpicheck.read.formats.workbook_scan import (
    Limits,
    check_workbook,
    column_letters,
    column_number,
    greater_than,
    scan_sheet,
)

NAMESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SMALL = Limits(rows=100, columns=30, cells=1_000)


def pieces(xml: str, size: int = 50) -> list[bytes]:
    data = xml.encode()
    return [data[i : i + size] for i in range(0, len(data), size)]


def sheet(rows: str, head: str = "") -> str:
    return f'<worksheet xmlns="{NAMESPACE}">{head}<sheetData>{rows}</sheetData></worksheet>'


@given(st.integers(0, 10**9), st.integers(0, 10**10))
def test_greater_than_matches_exactly_the_greater_numbers(number: int, other: int) -> None:
    assert bool(re.fullmatch(greater_than(number), str(other).encode())) == (other > number)


@given(st.integers(1, 16_384))
def test_column_letters_and_numbers_are_inverse(number: int) -> None:
    assert column_number(column_letters(number)) == number
    assert (column_letters(1), column_letters(16_384)) == ("A", "XFD")


def test_a_sheet_the_bounds_show_small_is_not_measured_and_one_they_cannot_is() -> None:
    def rows(n: int) -> str:
        return sheet(
            "".join(
                f'<row r="{i}"><c r="A{i}"><v>1</v></c><c r="D{i}"><v>2</v></c></row>'
                for i in range(1, n + 1)
            )
        )

    # At most 26 columns (no two-letter one): 38 rows are within 1,000 cells, and nothing lies lower.
    assert (scan_sheet(lambda: iter(pieces(rows(38))), SMALL).rows) == 0
    scan = scan_sheet(lambda: iter(pieces(rows(89))), SMALL)
    assert (scan.rows, scan.columns) == (89, 4)  # measured: 356 cells, within the limits


def test_a_cell_below_the_limits_is_measured_exactly_even_after_a_long_head() -> None:
    head = "<sheetViews>" + "<!-- settings -->" * 20 + "</sheetViews>"
    xml = sheet('<row r="1"><c r="A1"><v>1</v></c></row><row r="500"><c r="C500"><v>1</v></c></row>', head)
    scan = scan_sheet(lambda: iter(pieces(xml)), SMALL)
    assert (scan.rows, scan.columns) == (500, 3)


def test_a_sheet_that_turns_wide_late_is_looked_at_again() -> None:
    """The first pieces hold narrow rows checked against a high last row; a wide row later lowers it."""
    narrow = "".join(f'<row r="{i}"><c r="A{i}"><v>1</v></c></row>' for i in range(1, 60))
    xml = sheet(narrow + '<row r="60"><c r="AD3"><v>1</v></c></row>')
    scan = scan_sheet(lambda: iter(pieces(xml)), Limits(rows=100, columns=30, cells=1_700))
    assert (scan.rows, scan.columns) == (59, 30)  # 59 × 30 = 1,770 cells: past the limit, measured


def test_an_empty_far_cell_is_no_cell_and_a_prefixed_one_is_one() -> None:
    empty = sheet('<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576" s="1"/></row>')
    assert scan_sheet(lambda: iter(pieces(empty)), SMALL).rows == 0
    # calamine reads elements by their local name: a cell under a prefix the sheet did not declare counts.
    prefixed = sheet(
        f'<row r="1"><c r="A1"><v>1</v></c><x:c xmlns:x="{NAMESPACE}" r="XFD1048576"><x:v>1</x:v></x:c></row>'
    )
    scan = scan_sheet(lambda: iter(pieces(prefixed)), SMALL)
    assert (scan.rows, scan.columns) == (1_048_576, 16_384)


def test_rows_and_cells_without_a_place_are_bounded_as_calamine_counts_them() -> None:
    rows = '<row r="1"><c r="A1"><v>1</v></c></row>' + "<row><c><v>1</v></c><c><v>2</v></c></row>" * 150
    scan = scan_sheet(lambda: iter(pieces(sheet(rows))), SMALL)
    assert (scan.rows, scan.columns) == (151, 3)  # at most: row 1 + 150 counted; column A + 2 cells


def test_formulas_without_a_result_but_not_an_empty_text_result() -> None:
    xml = sheet(
        '<row r="2"><c r="D2"><f>SUM(1,2)</f></c><c r="E2" t="str"><f>""</f><v></v></c>'
        '<c r="F2"><f>1+1</f><v>2</v></c><c r="G2"><f t="shared" si="0"/><v/></c></row>'
    )
    scan = scan_sheet(lambda: iter(pieces(xml, 7)), SMALL)
    assert (scan.formulas, scan.formula_count) == (["D2", "G2"], 2)


def _book(path: Path, far: str | None = None) -> None:
    book = openpyxl.Workbook()
    book.active.append(["unit", "indicator", "year", "value"])
    if far:
        book.active[far] = 1
    book.save(path)


def test_a_workbook_whose_sheets_are_not_mapped_has_every_worksheet_part_checked(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    _book(path, far="XFD1048576")
    with zipfile.ZipFile(path) as source:
        parts = {n: source.read(n) for n in source.namelist() if n != "xl/_rels/workbook.xml.rels"}
    with zipfile.ZipFile(path, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)
    with pytest.raises(DataError) as caught:
        check_workbook(path, "book.xlsx", ["Sheet"])
    (problem,) = caught.value.problems
    assert (problem.code, problem.args["sheet"]) == ("data.sheet-too-large", "xl/worksheets/sheet1.xml")


def test_a_workbook_that_is_no_zip_is_left_to_calamine(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    assert check_workbook(path, "book.xlsx", ["Sheet"]) == {}
