"""Text in a workbook stays text: what an office wrote is never turned into a formula or a link."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from helpers import run_cli


def test_a_note_that_looks_like_a_formula_or_a_link_stays_text(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_text(
        "unit,indicator,year,value,note\n"
        "Xã Bum Nưa,stunting_u5,2025,24.3,=SUM(A1:A9)\n"
        "Xã Ka Lăng,stunting_u5,2025,26,https://example.org/bao-cao\n",
        encoding="utf-8",
    )
    out = tmp_path / "ketqua.xlsx"
    run_cli("evaluate", data, "--plan", "muong-te-ct28", "-o", out)
    book = load_workbook(out)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    notes = [c for c in cells if isinstance(c.value, str) and c.value.startswith(("=SUM", "https://"))]
    assert {c.value for c in notes} == {"=SUM(A1:A9)", "https://example.org/bao-cao"}
    assert all(c.data_type == "s" and c.hyperlink is None for c in notes)
