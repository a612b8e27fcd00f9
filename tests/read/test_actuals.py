"""Reading submitted figures: what is read, what is refused, and how it is said."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import kpicheck
from helpers import CORPUS, ROOT, run_cli
from kpicheck.errors import DataError
from kpicheck.read.actuals import read_actuals
from kpicheck.read.problems import CAP

# The messages quoted here are the English ones (KPICHECK_LANG=en; test_languages.py has Vietnamese).
pytestmark = pytest.mark.usefixtures("english")


def evaluate(path, *args):  # type: ignore[no-untyped-def]
    run = run_cli("evaluate", path, "--plan", "muong-te-ct28", "--format", "json", *args)
    assert "Traceback" not in run.stderr
    return run


def test_header_only_is_an_error(write_csv) -> None:  # type: ignore[no-untyped-def]
    run = evaluate(write_csv("unit,indicator,year,value\n"))
    assert run.exit_code == 2 and "header but no data rows" in run.stderr


def test_conflicting_duplicates_list_both_rows(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(
        "unit,indicator,year,value\n"
        "Xã Bum Nưa,stunting_u5,2025,27.9\n"
        "Xã Bum Nưa,stunting_u5,2024,29\n"
        "Xã Bum Nưa,stunting_u5,2025,26.1\n"
    )
    run = evaluate(path)
    assert run.exit_code == 2
    assert f"{path}:2 = 27.9" in run.stderr and f"{path}:4 = 26.1" in run.stderr


def test_identical_duplicates_count_once(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(
        "unit,indicator,year,value\nXã Bum Nưa,stunting_u5,2025,24\nXã Bum Nưa,stunting_u5,2025,24\n"
    )
    results = [r for r in evaluate(path).json()["results"] if r["indicator"] == "stunting_u5"]
    assert len(results) == 1


def test_decimal_comma_needs_the_option(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv('unit,indicator,year,value\nXã Bum Nưa,stunting_u5,2025,"24,5"\n')
    run = evaluate(path)
    assert run.exit_code == 2
    assert f"{path}:2: value: '24,5' has a comma" in run.stderr and "--decimal ," in run.stderr
    ok = evaluate(path, "--decimal", ",")
    assert [r["value"] for r in ok.json()["results"] if r["indicator"] == "stunting_u5"] == [24.5]


def test_semicolon_delimiter_and_bom(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffunit;indicator;year;value\nXã Bum Nưa;stunting_u5;2025;24\n".encode())
    results = evaluate(path).json()["results"]
    assert [r["status"] for r in results if r["indicator"] == "stunting_u5"] == ["met"]


def test_non_numeric_value_is_invalid_with_the_text(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv("unit,indicator,year,value\nXã Bum Nưa,stunting_u5,2025,abc\n")
    row = next(r for r in evaluate(path).json()["results"] if r["indicator"] == "stunting_u5")
    assert (row["status"], row["note"], row["line"]) == ("invalid", "not a number: 'abc'", 2)


def test_bad_year_names_row_and_column(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv("unit,indicator,year,value\nXã Bum Nưa,stunting_u5,2024-2025,24\n")
    run = evaluate(path)
    assert run.exit_code == 2
    assert f"{path}:2: year: year is '2024-2025'" in run.stderr


def test_year_with_the_word_nam_is_read_with_a_warning(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv("unit,indicator,year,value\nXã Bum Nưa,stunting_u5,năm 2025,24\n")
    run = evaluate(path)
    assert [r["year"] for r in run.json()["results"] if r["indicator"] == "stunting_u5"] == [2025]
    assert "written with the word 'năm'" in run.stderr and "read as the number alone" in run.stderr


def test_wide_format_is_read(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv("unit,year,stunting_u5,underweight_u5\nXã Bum Nưa,2025,24,19\n")
    results = {r["indicator"]: r for r in evaluate(path).json()["results"]}
    assert results["stunting_u5"]["status"] == "met"
    assert results["underweight_u5"]["status"] == "not_met"  # "dưới 19%"


def test_binary_file_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "data.csv"
    path.write_bytes(b"PK\x03\x04\x00\x00binary")
    run = evaluate(path)
    assert run.exit_code == 2 and "not a text file" in run.stderr


def test_several_files_in_one_run(write_csv) -> None:  # type: ignore[no-untyped-def]
    a = write_csv("unit,indicator,year,value\nXã Bum Nưa,stunting_u5,2025,24\n", "a.csv")
    b = write_csv("unit,indicator,year,value\nXã Ka Lăng,stunting_u5,2025,26\n", "b.csv")
    run = run_cli("evaluate", a, b, "--format", "json")
    rows = {
        (r["unit"], r["status"], r["file"]) for r in run.json()["results"] if r["indicator"] == "stunting_u5"
    }
    assert rows == {("Xã Bum Nưa", "met", str(a)), ("Xã Ka Lăng", "not_met", str(b))}


def test_missing_words_apply_to_values_only(write_csv, tmp_path) -> None:  # type: ignore[no-untyped-def]
    plan = tmp_path / "p.yaml"
    text = (ROOT / "targets" / "muong-te-ct28.yaml").read_text(encoding="utf-8")
    plan.write_text(
        text.replace("units: [", "units: [X, NA, ").replace("id: muong-te-ct28", "id: p"),
        encoding="utf-8",
    )
    path = write_csv("unit,indicator,year,value\nX,stunting_u5,2025,24\nNA,stunting_u5,2025,N/A\n")
    run = run_cli("evaluate", path, "--plan", plan, "--format", "json")
    rows = {r["unit"]: r for r in run.json()["results"] if r["indicator"] == "stunting_u5"}
    assert rows["X"]["status"] == "met"
    assert (rows["NA"]["status"], rows["NA"]["note"]) == ("invalid", "missing value")


def test_blank_unit_names_the_line(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv("unit,indicator,year,value\nXã Bum Nưa,stunting_u5,2025,24\n,stunting_u5,2025,24\n")
    run = evaluate(path)
    assert run.exit_code == 2 and f"{path}:3: unit: unit is blank" in run.stderr


def test_a_folder_yields_excel_and_parquet_files_but_not_excel_lock_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    corpus = CORPUS
    folder = tmp_path / "submissions"
    folder.mkdir()
    (folder / "a.xlsx").write_bytes((corpus / "xlsx-title-rows.xlsx").read_bytes())
    pq.write_table(
        pa.table({"unit": ["Xã Mù Cả"], "indicator": ["stunting_u5"], "year": [2025], "value": [20.0]}),
        folder / "b.parquet",
    )
    (folder / "~$a.xlsx").write_bytes(b"\x00lock")  # what Excel leaves beside an open workbook
    run = run_cli("evaluate", folder, "--plan", "muong-te-ct28", "--format", "json")
    files = {r["file"] for r in run.json()["results"] if r["file"]}
    assert files == {str(folder / "a.xlsx"), str(folder / "b.parquet")}


def test_problem_in_one_of_many_files_names_that_file(write_csv) -> None:  # type: ignore[no-untyped-def]
    good = [
        write_csv(f"unit,indicator,year,value\nXã Bum Nưa,stunting_u5,{2020 + i},24\n", f"ok{i}.csv")
        for i in range(3)
    ]
    bad = write_csv(
        "unit,indicator,year,value\nXã Bum Nưa,stunting_u5,2025,24\n,stunting_u5,2025,24\n", "bad.csv"
    )
    run = run_cli("evaluate", *good, bad, "--plan", "muong-te-ct28")
    assert run.exit_code == 2
    assert (
        run.stderr.strip()
        == f"kpicheck: error: {bad}:3: unit: unit is blank; every row needs a unit and an indicator"
    )


def test_many_files_keep_their_own_file_and_line(write_csv) -> None:  # type: ignore[no-untyped-def]
    a = write_csv(
        "unit,indicator,year,value\nXã Bum Nưa,stunting_u5,2025,24\nXã Bum Nưa,underweight_u5,2025,x\n",
        "a.csv",
    )
    b = write_csv("unit,indicator,year,value\nXã Ka Lăng,underweight_u5,2025,x\n", "b.csv")
    rows = run_cli("evaluate", a, b, "--plan", "muong-te-ct28", "--format", "json").json()["results"]
    invalid = {(r["file"], r["line"]) for r in rows if r["status"] == "invalid"}
    assert invalid == {(str(a), 3), (str(b), 2)}


# --- Issue 12, reading: every problem found, nothing waited on, no number guessed -----------------


HEADER = "unit,indicator,year,value\n"


def cli_in_child(*args: str | Path, timeout: float = 120) -> tuple[int, str, int]:
    """``kpicheck`` in a child process: its exit code, stderr and peak memory in MiB (Linux's
    ``ru_maxrss``); killed, and the test failed, if it runs longer than ``timeout`` seconds."""
    child = subprocess.Popen(
        [sys.executable, "-c", "from kpicheck.cli import main; main()", *map(str, args)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    timer = threading.Timer(timeout, child.kill)
    timer.start()
    try:
        assert child.stderr is not None
        err = child.stderr.read().decode()
        _, status, usage = os.wait4(child.pid, 0)
    finally:
        timer.cancel()
    child.returncode = code = os.waitstatus_to_exitcode(status)
    assert code != -9, f"kpicheck {args} still running after {timeout} s"
    return code, err, usage.ru_maxrss // 1024


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.md5(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.skipif(
    not os.path.exists("/dev/zero") or not stat.S_ISCHR(os.stat("/dev/zero").st_mode), reason="no /dev/zero"
)
def test_a_named_pipe_a_device_and_a_folder_are_refused_at_once(tmp_path: Path) -> None:
    """Reading a FIFO would wait for a writer for ever, /dev/zero never ends: refused before opening."""
    fifo = tmp_path / "data.csv"
    os.mkfifo(fifo)
    folder = tmp_path / "done.csv"
    folder.mkdir()
    code, err, _ = cli_in_child("evaluate", fifo, "/dev/zero", "--plan", "muong-te-ct28", timeout=60)
    assert (code, err.splitlines()) == (
        2,
        [
            f"kpicheck: error: {fifo}: not a regular file but a named pipe (FIFO); give a CSV, .xlsx or .parquet file",
            "kpicheck: error: /dev/zero: not a regular file but a device; give a CSV, .xlsx or .parquet file",
        ],
    )
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "Xã Bum Nưa,stunting_u5,2025,24\n", encoding="utf-8")
    code, err, _ = cli_in_child(
        "evaluate", good, "--milestones", folder, "--plan", "muong-te-ct28", timeout=60
    )
    assert (code, err) == (
        2,
        f"kpicheck: error: {folder}: not a regular file but a folder; give a CSV, .xlsx or .parquet file\n",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv", "done.csv", "good.csv"]


def test_every_problem_of_every_file_in_one_run_up_to_a_cap(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    rows = "".join(f"Xã {i:03d},stunting_u5,{2025 if i % 2 else 'x2'},24\n" for i in range(2 * CAP + 40))
    bad.write_text(HEADER + rows, encoding="utf-8")
    other = tmp_path / "other.csv"
    other.write_text(HEADER + "Xã Bum Nưa,stunting_u5,2025,92%\n", encoding="utf-8")
    before = digest(tmp_path)
    run = run_cli("evaluate", bad, other, "--plan", "muong-te-ct28", "-o", tmp_path / "out.json")
    lines = run.stderr.splitlines()
    assert run.exit_code == 2
    assert len(lines) == CAP + 1
    # The first file's problems by line, then the next file's; past the cap, how many more.
    assert (
        lines[0] == f"kpicheck: error: {bad}:2: year: year is 'x2'; write the year as four digits, e.g. 2025"
    )
    assert (
        lines[CAP - 1]
        == f"kpicheck: error: {bad}:{2 * CAP}: year: year is 'x2'; write the year as four digits, e.g. 2025"
    )
    assert lines[CAP] == "kpicheck: error: and 21 more problem(s) not listed; correct these and run again"
    after = digest(tmp_path)
    report = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    # Neither file reads (the other one's 92% has a percent sign): the report has no result and
    # lists the same problems as stderr, the last one saying how many more there are.
    assert report["results"] == []
    assert [e["line"] for e in report["errors"][:2]] == [2, 4]
    assert len(report["errors"]) == CAP + 1
    assert after.pop("out.json") and after == before  # inputs unchanged, no temporary file


def test_a_bad_file_does_not_stop_the_others_from_being_read(tmp_path: Path) -> None:
    """``strict=False``: the files that read cleanly, and the problems of the others, for a report."""
    good = tmp_path / "a.csv"
    good.write_text(HEADER + "Xã Bum Nưa,stunting_u5,2025,24\n", encoding="utf-8")
    bad = tmp_path / "b.csv"
    bad.write_text(
        HEADER + "Xã Ka Lăng,stunting_u5,25,26\nXã Ka Lăng,underweight_u5,2025,1e400x\n", encoding="utf-8"
    )
    fifo = tmp_path / "c.csv"
    if hasattr(os, "mkfifo"):
        os.mkfifo(fifo)
    else:
        fifo.mkdir()
    actuals = read_actuals([good, bad, fifo], strict=False)
    assert actuals.frame[["unit", "indicator", "year", "value"]].values.tolist() == [
        ["Xã Bum Nưa", "stunting_u5", 2025, 24.0]
    ]
    assert list(actuals.frame["file"].cat.categories) == [str(good)]
    assert [(p.code, p.file, p.line, p.column) for p in actuals.problems] == [
        ("data.year-out-of-range", str(bad), 2, "year"),
        ("data.not-a-file", str(fifo), None, None),
    ]
    with pytest.raises(DataError) as caught:
        read_actuals([good, bad, fifo])
    assert caught.value.problems == actuals.problems
    # Nothing read at all: an empty table, with the same columns, and the problems.
    empty = read_actuals([bad], strict=False)
    assert (len(empty.frame), list(empty.frame.columns)) == (
        0,
        ["unit", "indicator", "year", "value", "file", "line"],
    )


def test_a_conflict_between_two_files_leaves_both_out(tmp_path: Path) -> None:
    a = tmp_path / "a.csv"
    a.write_text(
        HEADER + "Xã Bum Nưa,stunting_u5,2025,24\nXã Ka Lăng,stunting_u5,2025,26\n", encoding="utf-8"
    )
    b = tmp_path / "b.csv"
    b.write_text(HEADER + "xã bum nưa,Stunting_U5,2025,27\n", encoding="utf-8")
    c = tmp_path / "c.csv"
    c.write_text(HEADER + "Xã Mù Cả,stunting_u5,2025,20\n", encoding="utf-8")
    actuals = read_actuals([a, b, c], strict=False)
    assert actuals.frame["unit"].tolist() == ["Xã Mù Cả"]
    assert list(actuals.frame["unit"].cat.categories) == ["Xã Mù Cả"]  # the left-out files' units are gone
    (problem,) = actuals.problems
    assert (problem.code, problem.file, problem.line) == ("data.conflicting-duplicate", str(b), 2)
    assert f"{a}:2 = 24; {b}:2 = 27" in problem.message


def test_two_spellings_of_a_unit_are_shown_under_the_one_most_rows_use(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text(
        HEADER
        + "xã bum nưa,stunting_u5,2024,26\nXã Bum Nưa,stunting_u5,2025,24\nXã  Bum Nưa,underweight_u5,2025,18\n"
        "Xã Bum Nưa,underweight_u5,2024,20\nXã Hoà,stunting_u5,2025,30\nXã Hòa,underweight_u5,2025,10\n",
        encoding="utf-8",
    )
    frame = read_actuals([path]).frame
    assert frame["unit"].tolist() == ["Xã Bum Nưa"] * 4 + ["Xã Hoà"] * 2  # a tie: the first spelling met
    assert sorted(frame["unit"].cat.categories) == ["Xã Bum Nưa", "Xã Hoà"]


def test_the_decimal_mark_from_python() -> None:
    frame = pd.DataFrame(
        {
            "unit": ["Xã Bum Nưa", "Xã Tá Bạ"],  # official units: the plan names its area
            "indicator": ["stunting_u5"] * 2,
            "year": [2025, 2025],
            "value": [24.6, "57.781"],
        }
    )
    results = kpicheck.evaluate(frame, plan="muong-te-ct28", decimal=".")
    assert results.loc[results["value"].notna(), "value"].tolist() == [24.6, 57.781]
    # Undeclared, "57.781" is refused; declared a comma, 24.6 stays 24.6 (a number) and "57.781" is 57781.
    with pytest.raises(kpicheck.KpicheckError) as caught:
        kpicheck.evaluate(frame, plan="muong-te-ct28")
    assert [(p.code, p.line) for p in caught.value.problems] == [("data.ambiguous-number", 2)]
    results = kpicheck.evaluate(frame, plan="muong-te-ct28", decimal=",")
    assert results.loc[results["value"].notna(), "value"].tolist() == [24.6, 57781.0]


def _stray_cell_workbook(path: Path) -> None:
    """A 2 KB workbook, compressed as Excel writes it, with one stray cell at the very last cell."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["unit", "indicator", "year", "value"], ["Xã Bum Nưa", "stunting_u5", 2025, 24]):
        sheet.append(row)
    sheet["XFD1048576"] = 1
    book.save(path)


def _many_rows_workbook(path: Path, rows: int, placed: bool) -> None:
    """A sheet of ``rows`` tiny rows, each naming its place (as Excel writes) or not (as a few programs do)."""
    head = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>unit</t></is></c><c r="B1" '
        't="inlineStr"><is><t>indicator</t></is></c><c r="C1" t="inlineStr"><is><t>year</t></is></c>'
        '<c r="D1" t="inlineStr"><is><t>value</t></is></c></row>'
    )
    if placed:
        body = b"".join(b'<row r="%d"><c r="C%d"><v>2025</v></c></row>' % (i, i) for i in range(2, rows + 2))
    else:
        body = b"<row><c><v>2025</v></c></row>" * rows
    _stray_cell_workbook(path)
    with zipfile.ZipFile(path) as source:
        parts = {n: source.read(n) for n in source.namelist()}
    parts["xl/worksheets/sheet1.xml"] = head.encode() + body + b"</sheetData></worksheet>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss in KiB is Linux's")
@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (
            "stray",
            "sheet 'Sheet' reaches cell XFD1048576: a table of 1,048,576 rows × 16,384 columns, more than kpicheck reads (10,000,000 cells)",
        ),
        (
            "placed",
            "sheet 'Sheet' reaches cell D1100001: a table of 1,100,001 rows × 4 columns, more than kpicheck reads (1,048,576 rows)",
        ),
        ("unplaced", "sheet 'Sheet' reaches cell"),
    ],
)
def test_a_workbook_past_the_limits_is_refused_quickly_in_little_memory(
    tmp_path: Path, kind: str, expected: str
) -> None:
    """calamine would abort the process (SIGABRT, 512 GiB) or take half a minute and 1.3 GB."""
    path = tmp_path / "book.xlsx"
    if kind == "stray":
        _stray_cell_workbook(path)
        assert path.stat().st_size < 6_000
    else:
        _many_rows_workbook(path, 1_100_000, placed=kind == "placed")
    before = digest(tmp_path)
    small = tmp_path / "small.csv"
    small.write_text(HEADER + "Xã Bum Nưa,stunting_u5,2025,24\n", encoding="utf-8")
    # A child's peak counts the pages it shared with this process when it was forked: measured
    # against a run on a tiny file, what the workbook itself costs is the difference.
    _, _, baseline_mib = cli_in_child("evaluate", small, "--plan", "muong-te-ct28", "--quiet")
    small.unlink()
    code, err, peak_mib = cli_in_child("evaluate", path, "--plan", "muong-te-ct28", timeout=120)
    assert code == 2, err  # not -6 (SIGABRT)
    (line,) = err.splitlines()
    assert line.startswith(f"kpicheck: error: {path}: {expected}"), line
    assert line.endswith(
        "; delete the stray cells (Ctrl+End goes to the last one) or copy the table to a new sheet"
    )
    assert peak_mib - baseline_mib < 300, (baseline_mib, peak_mib)  # the sheet is never held: it took 1.1 GB
    assert digest(tmp_path) == before


def test_a_workbook_part_that_unpacks_past_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kpicheck.read.formats import workbook_scan

    path = tmp_path / "book.xlsx"
    _stray_cell_workbook(path)
    monkeypatch.setattr(workbook_scan, "LIMITS", workbook_scan.Limits(bytes=500))
    run = run_cli("evaluate", path, "--plan", "muong-te-ct28")
    assert (run.exit_code, run.stderr) == (
        2,
        f"kpicheck: error: {path}: xl/worksheets/sheet1.xml of the workbook unpacks to more than 500 bytes; "
        "copy the table to a new workbook\n",
    )


def test_a_wide_table_names_the_indicator_column_of_each_bad_cell(write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(
        'unit,year,stunting_u5,underweight_u5\nXã Bum Nưa,2025,"24,5","18,5"\nXã Ka Lăng,năm x,3,4\n'
    )
    run = evaluate(path)
    assert run.exit_code == 2
    assert [line.split(": ")[2:4] for line in run.stderr.splitlines()] == [
        [f"{path}:2", "stunting_u5"],
        [f"{path}:2", "underweight_u5"],
        [f"{path}:3", "year"],
    ]


def test_every_line_with_the_wrong_number_of_fields_in_one_run(tmp_path: Path) -> None:
    """pyarrow stops at the first such line; the user is told every one, up to the cap."""
    bad = tmp_path / "fields.csv"
    rows = "Xã Tá Bạ,stunting_u5,2025,2,5\nXã Tá Bạ,wasting_u5,2025,7\nXã Pa Ủ,stunting_u5\n"
    rows += "".join(f"Xã {i:03d},stunting_u5,2025,{i},5\n" for i in range(CAP))
    bad.write_text(HEADER + rows, encoding="utf-8")
    run = run_cli("evaluate", bad, "--plan", "muong-te-ct28")
    lines = run.stderr.splitlines()
    assert run.exit_code == 2
    assert lines[:2] == [
        f"kpicheck: error: {bad}:2: 5 fields where the header has 4; check the delimiters and quotes on this line",
        f"kpicheck: error: {bad}:4: 2 fields where the header has 4; check the delimiters and quotes on this line",
    ]
    assert lines[CAP - 1].startswith(f"kpicheck: error: {bad}:{CAP + 2}: 5 fields")
    assert lines[CAP:] == ["kpicheck: error: and 2 more problem(s) not listed; correct these and run again"]


def test_a_conflict_beside_a_bad_cell_is_told_in_the_same_run(tmp_path: Path) -> None:
    """A file refused for a bad year still has its other rows checked for two values of one figure:
    the office mends both in one go, not the year first and the repeat on the next run."""
    bad = tmp_path / "dup.csv"
    bad.write_text(
        HEADER + "Xã Tá Bạ,stunting_u5,20x5,20\nXã Mù Cả,stunting_u5,2025,7\nXã Mù Cả,stunting_u5,2025,8\n"
        "Xã Pa Ủ,stunting_u5,2025,9\nXã Pa Ủ,stunting_u5,2025,9\n",  # an exact repeat is no conflict
        encoding="utf-8",
    )
    run = run_cli("evaluate", bad, "--plan", "muong-te-ct28")
    assert run.exit_code == 2
    assert run.stderr.splitlines() == [
        f"kpicheck: error: {bad}:2: year: year is '20x5'; write the year as four digits, e.g. 2025",
        f"kpicheck: error: {bad}:4: value: Xã Mù Cả / stunting_u5 / 2025 is given 2 times with different "
        f"values ({bad}:3 = 7; {bad}:4 = 8); keep one row",
    ]
