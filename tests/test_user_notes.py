"""The user's own note on a row ("Ghi chú") is kept and shown in every format, apart from kpicheck's."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

import kpicheck
from helpers import run_cli
from kpicheck.judge import RESULT_COLUMNS

DATA = (
    "unit,indicator,year,value,{header}\n"
    "Xã Bum Nưa,stunting_u5,2025,24,số liệu sơ bộ\n"
    'Xã Bum Nưa,underweight_u5,2025,-1,"đang rà soát, sẽ gửi lại"\n'
    "Huyện Mường Tè,child_friendly_communes,2025,50,\n"
)


@pytest.mark.parametrize("header", ["Ghi chú", "ghi chú", "note", "ghi_chu", "GHI CHÚ"])
def test_the_note_column_is_read_under_its_names_without_a_warning(write_csv: Any, header: str) -> None:
    path = write_csv(DATA.format(header=header))
    run = run_cli("evaluate", path, "--plan", "muong-te-ct28", "--format", "json", "--lang", "en")
    assert run.stderr == ""
    results = run.json()["results"]
    rows = {r["indicator"]: r for r in results if r["unit"] == "Xã Bum Nưa"}
    # A share of communes is the district's (issue 13): its row is the district's.
    rows["child_friendly_communes"] = next(
        r for r in results if (r["unit"], r["indicator"]) == ("Huyện Mường Tè", "child_friendly_communes")
    )
    assert rows["stunting_u5"]["user_note"] == "số liệu sơ bộ"
    assert rows["stunting_u5"]["note"] is None  # kpicheck has nothing to say on a met figure
    assert rows["underweight_u5"]["user_note"] == "đang rà soát, sẽ gửi lại"
    assert rows["underweight_u5"]["note"] == "negative value"  # kpicheck's remark, apart
    assert rows["child_friendly_communes"]["user_note"] is None


def test_user_note_is_appended_after_the_first_release_and_the_others_keep_their_places() -> None:
    # indicator_name and user_note appended after the first release's columns, then the units' (issue 13)
    units = ["unit_code", "built_from", "partial", "area_dissolved"]
    assert RESULT_COLUMNS[-6:] == ["indicator_name", "user_note", *units]
    assert RESULT_COLUMNS[:-6][-4:] == ["small_numerator", "note", "file", "line"]
    assert RESULT_COLUMNS.index("note") == 23


def _shown(fmt: str, path: Path, tmp_path: Path) -> str:
    run = run_cli("evaluate", path, "--plan", "muong-te-ct28", "--format", fmt, env={"COLUMNS": "250"})
    assert run.exit_code == 1, run.stderr
    return run.stdout


def test_every_format_shows_the_users_note(write_csv: Any, tmp_path: Path) -> None:
    path = write_csv(DATA.format(header="Ghi chú"))
    table = _shown("table", path, tmp_path)
    assert "Ghi chú của đơn vị" in table and "số liệu sơ bộ" in table
    rows = list(csv.DictReader(io.StringIO(_shown("csv", path, tmp_path))))
    assert list(rows[0]) == RESULT_COLUMNS
    assert {r["user_note"] for r in rows} >= {"số liệu sơ bộ", "đang rà soát, sẽ gửi lại"}
    assert "| số liệu sơ bộ |" in _shown("markdown", path, tmp_path)
    junit = ET.fromstring(_shown("junit", path, tmp_path))
    failure = next(f for f in junit.iter("failure"))
    assert failure.get("message", "").endswith("ghi chú của đơn vị: đang rà soát, sẽ gửi lại")
    page = _shown("html", path, tmp_path)
    assert "<td>đang rà soát, sẽ gửi lại</td>" in page
    payload = json.loads(_shown("json", path, tmp_path))
    assert {r["user_note"] for r in payload["results"]} >= {"số liệu sơ bộ"}


def test_the_workbook_shows_the_users_note_beside_kpicheck_s_in_the_runs_language(
    write_csv: Any, tmp_path: Path
) -> None:
    path = write_csv(DATA.format(header="Ghi chú"))
    for lang, sheets, heads, negative in (
        ("vi", ("Kết quả", "Cần xử lý"), ("Mã chỉ tiêu", "Ghi chú", "Ghi chú của đơn vị"), "giá trị âm"),
        ("en", ("Results", "Failing"), ("Indicator id", "Note", "Unit's note"), "negative value"),
    ):
        book_path = tmp_path / f"ketqua-{lang}.xlsx"
        run = run_cli("evaluate", path, "--plan", "muong-te-ct28", "-o", book_path, "--lang", lang)
        assert run.exit_code == 1, run.stderr
        book = openpyxl.load_workbook(book_path)
        results = book[sheets[0]]
        col = {c.value: n for n, c in enumerate(results[1])}
        rows = {r[col[heads[0]]].value: r for r in results.iter_rows(min_row=2) if r[1].value == "Xã Bum Nưa"}
        stunting, underweight = rows["stunting_u5"], rows["underweight_u5"]
        assert stunting[col[heads[2]]].value == "số liệu sơ bộ" and stunting[col[heads[1]]].value is None
        assert underweight[col[heads[1]]].value == negative  # kpicheck's remark, in the run's language
        assert underweight[col[heads[2]]].value == "đang rà soát, sẽ gửi lại"  # the unit's, as written
        failing = book[sheets[1]]
        col = {c.value: n for n, c in enumerate(failing[1])}
        (row,) = [r for r in failing.iter_rows(min_row=2) if r[col[heads[2]]].value]
        assert (row[col[heads[1]]].value, row[col[heads[2]]].value) == (negative, "đang rà soát, sẽ gửi lại")


def test_a_note_in_a_workbook_and_through_the_python_api(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "Đơn vị": ["Xã Bum Nưa", "Xã Bum Nưa"],
            "Chỉ tiêu": ["stunting_u5", "underweight_u5"],
            "Năm": [2025, 2025],
            "Giá trị": [24, 18],
            "Ghi chú": ["ước tính", None],
        }
    )
    book = tmp_path / "so_lieu.xlsx"
    frame.to_excel(book, index=False)
    run = run_cli("evaluate", book, "--plan", "muong-te-ct28", "--format", "json")
    assert run.stderr == ""
    notes = {r["indicator"]: r["user_note"] for r in run.json()["results"]}
    assert (notes["stunting_u5"], notes["underweight_u5"]) == ("ước tính", None)
    results = kpicheck.evaluate(frame, plan="muong-te-ct28")
    assert list(results.columns) == RESULT_COLUMNS
    assert results.loc[results["indicator"] == "stunting_u5", "user_note"].tolist() == ["ước tính"]


def test_without_a_note_column_user_note_is_empty_in_the_streamed_csv(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    run = run_cli("evaluate", Path("samples/muong-te-ct28.csv").resolve(), "--format", "csv", "-o", out)
    assert run.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert list(rows[0]) == RESULT_COLUMNS
    assert {r["user_note"] for r in rows} == {""}


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "junit"])
def test_a_note_in_one_chunk_of_many_is_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """A large file is judged a chunk at a time; a chunk in which no unit wrote a note joined to one
    with a note was an internal error (its empty list of notes had another type)."""
    from kpicheck.judge import rows as judge_rows

    monkeypatch.setattr(judge_rows, "CHUNK_ROWS", 3)
    lines = ["unit,indicator,year,value,Ghi chú"]
    for unit in ("Xã Bum Nưa", "Xã Ka Lăng", "Xã Tá Bạ"):
        for year in (2023, 2024, 2025):
            lines.append(f"{unit},stunting_u5,{year},20,{'số liệu sơ bộ' if unit == 'Xã Tá Bạ' else ''}")
    path = tmp_path / "notes.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = run_cli("evaluate", path, "--plan", "muong-te-ct28", "--format", fmt, env={"COLUMNS": "200"})
    assert run.exit_code == 0, run.stderr
    assert "số liệu sơ bộ" in run.stdout
