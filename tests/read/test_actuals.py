"""Reading submitted figures: what is read, what is refused, and how it is said."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from helpers import CORPUS, ROOT, run_cli

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
    assert f"{path}:2: value: '24,5' is ambiguous" in run.stderr and "--decimal ," in run.stderr
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
