"""Data name units by the office's code or by name; each row's unit is found for its year, and the
results carry the official name and code (``kpicheck.places``)."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import kpicheck
from helpers import ROOT, run_cli, without_area

# The messages these tests quote are the English ones; Vietnamese is tested in test_languages.py.
pytestmark = pytest.mark.usefixtures("english")

PA_VE_SU = "Xã Pa Vệ Sủ (03448, until 30 Jun 2025, Huyện Mường Tè)"


def results(path: Path, *args: str | Path) -> dict[tuple[str, str, int], dict[str, Any]]:
    run = run_cli("evaluate", path, "--format", "json", *args)
    assert run.exit_code in (0, 1), run.stderr
    return {(r["unit"], r["indicator"], r["year"]): r for r in run.json()["results"]}


def refused(path: Path, *args: str | Path) -> list[str]:
    run = run_cli("evaluate", path, *args)
    assert run.exit_code == 2, run.stdout
    assert "Traceback" not in run.stderr
    return run.stderr.splitlines()


@pytest.mark.parametrize("header", ["unit_code", "ma_dvhc", "Mã ĐVHC", "mã đơn vị", "MA_DVHC"])
def test_a_code_column_by_any_of_its_names_keeps_its_leading_zero(write_csv: Any, header: str) -> None:
    path = write_csv(f"{header},indicator,year,value\n03466,stunting_u5,2024,27\n")
    row = results(path)[("Xã Bum Nưa", "stunting_u5", 2024)]
    assert (row["unit_code"], row["plan"]) == ("03466", "muong-te-ct28")  # the plan found by its area


def test_a_code_is_read_on_the_map_of_its_year(write_csv: Any) -> None:
    """03433 was thị trấn Mường Tè until 30/6/2025 and is xã Bum Tở since: one code, two units."""
    path = write_csv("unit_code,indicator,year,value\n03433,stunting_u5,2024,27\n03433,stunting_u5,2025,24\n")
    got = results(path)
    assert got[("Thị trấn Mường Tè", "stunting_u5", 2024)]["unit_code"] == "03433"
    assert got[("Xã Bum Tở", "stunting_u5", 2025)]["unit_code"] == "03433"
    # --unit-map old reads every code on the old map, whatever the year.
    old = results(path, "--unit-map", "old")
    assert {unit for unit, _, _ in old} == {"Thị trấn Mường Tè"}


def test_a_number_cell_that_lost_its_zero_is_padded(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["mã ĐVHC", "indicator", "year", "value"])
    sheet.append([3466, "stunting_u5", 2024, 27])  # Excel keeps 03466 as the number 3466
    path = tmp_path / "data.xlsx"
    book.save(path)
    assert results(path)[("Xã Bum Nưa", "stunting_u5", 2024)]["unit_code"] == "03466"


def test_integer_codes_of_a_parquet_file(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "data.parquet"
    table = {
        "unit_code": [3433, 3433],
        "indicator": ["stunting_u5"] * 2,
        "year": [2024, 2025],
        "value": [27.0, 24.0],
    }
    pq.write_table(pa.table(table), path)
    got = results(path)
    assert got[("Thị trấn Mường Tè", "stunting_u5", 2024)]["unit_code"] == "03433"
    assert got[("Xã Bum Tở", "stunting_u5", 2025)]["unit_code"] == "03433"


def test_the_python_api_takes_partial_and_unit_map() -> None:
    frame = pd.DataFrame(
        {"unit_code": ["03433", "03460"], "indicator": ["stunting_u5"] * 2, "year": [2025, 2025],
         "value": [20.0, 30.0], "numerator": [20, 30], "denominator": [100, 100]}
    )  # fmt: skip
    left_out = kpicheck.evaluate(frame, rollup="plan")
    counted = kpicheck.evaluate(frame, rollup="plan", partial="include")

    def district(results: pd.DataFrame) -> list[float]:
        return results.loc[(results["unit"] == "Huyện Mường Tè") & results["value"].notna(), "value"].tolist()

    assert (district(left_out), district(counted)) == ([20.0], [25.0])
    old = kpicheck.evaluate(frame.iloc[:1], unit_map="old")
    assert set(old["unit"]) == {"Thị trấn Mường Tè"}
    with pytest.raises(kpicheck.KpicheckError):
        kpicheck.evaluate(frame, partial="some")


@pytest.mark.parametrize(
    "written",
    [
        "Xã Bum Nưa",
        "xã bum nưa",
        "XÃ BUM NƯA",
        "Bum Nưa",  # without its type, unique in the plan's area
        "Xã  Bum\u00a0Nưa",  # doubled and non-breaking spaces
        "Xã Bum\u200b Nưa",  # an invisible zero-width space
        unicodedata.normalize("NFD", "Xã Bum Nưa"),
    ],
)
def test_every_spelling_of_a_name_is_the_official_unit(write_csv: Any, written: str) -> None:
    path = write_csv(f'unit,indicator,year,value\n"{written}",stunting_u5,2024,27\n')
    row = results(path)[("Xã Bum Nưa", "stunting_u5", 2024)]
    assert row["unit_code"] == "03466"


def test_tone_mark_placement_does_not_matter(write_csv: Any) -> None:
    """Xã Hòa Tú 1 (Sóc Trăng): "Hoà" and "Hòa" fold alike."""
    path = write_csv(
        "unit,indicator,year,value\nXã Hoà Tú 1,stunting_u5,2015,20\nXã Hòa Tú 1,stunting_u5,2016,19\n"
    )
    got = results(path)
    assert {(u, r["unit_code"]) for (u, _, _), r in got.items() if r["value"] is not None} == {
        ("Xã Hòa Tú 1", "31717")
    }


def test_two_spellings_of_one_unit_are_one_unit(write_csv: Any) -> None:
    path = write_csv(
        "unit,indicator,year,value\nBum Nưa,stunting_u5,2024,27\nXã Bum Nưa,stunting_u5,2024,28\n"
    )
    (line,) = refused(path)
    assert "Xã Bum Nưa (03466) / stunting_u5 / 2024 is given 2 times with different values" in line


def test_an_ambiguous_name_lists_the_candidates_with_their_codes(write_csv: Any) -> None:
    path = write_csv("unit,indicator,year,value\nMường Tè,stunting_u5,2024,27\n")
    (line,) = refused(path)
    assert line == (
        f"kpicheck: error: {path}:2: unit: 'Mường Tè' may be Huyện Mường Tè (107, until 30 Jun 2025, "
        "Tỉnh Lai Châu), Thị trấn Mường Tè (03433, until 30 Jun 2025, Huyện Mường Tè), Xã Mường Tè "
        "(03445, until 30 Jun 2025, Huyện Mường Tè); give the unit's code in a 'unit_code' column, "
        "or its full official name"
    )


def test_a_name_that_is_no_unit_gets_a_did_you_mean(write_csv: Any) -> None:
    path = write_csv("unit,indicator,year,value\nXã Pa Vệ Sử,stunting_u5,2024,27\n")
    (line,) = refused(path, "--plan", "muong-te-ct28")
    assert line == (
        f"kpicheck: error: {path}:2: unit: 'Xã Pa Vệ Sử' is no official unit; write the official name "
        f"or the unit's code (kpicheck units NAME); close: {PA_VE_SU}"
    )


def test_a_unit_named_for_a_year_it_did_not_exist(write_csv: Any) -> None:
    """A name is valid in any year its unit existed: xã Ka Lăng's 2025 is its own, 2027 is not."""
    path = write_csv(
        "unit,indicator,year,value\nXã Ka Lăng,stunting_u5,2025,24\nXã Ka Lăng,stunting_u5,2027,22\n"
    )
    (line,) = refused(path)
    assert line == (
        f"kpicheck: error: {path}:3: unit: 'Xã Ka Lăng' did not exist in 2027: Xã Ka Lăng (03439, until "
        "30 Jun 2025, Huyện Mường Tè); report on the unit it became (Xã Thu Lũm (03439, from 1 Jul "
        "2025, Tỉnh Lai Châu)), or check the year"
    )


def test_a_code_and_a_name_that_disagree(write_csv: Any) -> None:
    """The old code of thị trấn Mường Tè on a 2025 row: it is xã Bum Tở's now."""
    path = write_csv("unit,ma_dvhc,indicator,year,value\nThị trấn Mường Tè,03433,stunting_u5,2025,24\n")
    (line,) = refused(path)
    assert line == (
        f"kpicheck: error: {path}:2: unit_code: code 03433 is Xã Bum Tở in 2025, not 'Thị trấn Mường Tè'; "
        "codes were reused on 1 July 2025: check the code and the year"
    )


def test_a_code_no_unit_had_that_year(write_csv: Any) -> None:
    path = write_csv("unit_code,indicator,year,value\n03448,stunting_u5,2025,24\n")
    (line,) = refused(path)
    assert line == (
        f"kpicheck: error: {path}:2: unit_code: no unit has code 03448 on the new map (2025); on the old "
        f"map: {PA_VE_SU}; pass --unit-map old if the file uses those codes"
    )


def test_a_code_no_map_has_does_not_suggest_the_other_map(write_csv: Any) -> None:
    """--unit-map would not help a code neither map holds (a typo, a made-up code): say so."""
    path = write_csv("unit_code,indicator,year,value\n99999,stunting_u5,2024,24\n")
    (line,) = refused(path)
    assert line == (
        f"kpicheck: error: {path}:2: unit_code: no unit has code 99999, before or after the reform of "
        "1 July 2025; check the code against the statistics office's list (kpicheck units CODE), or write "
        "the unit's name"
    )


def test_many_unknown_units_are_told_ten_then_counted(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text(
        "unit,indicator,year,value\n" + "".join(f"Đơn vị {i},stunting_u5,2024,20\n" for i in range(30)),
        encoding="utf-8",
    )
    lines = refused(path, "--plan", "muong-te-ct28")
    assert len(lines) == 11
    assert lines[-1].startswith("kpicheck: error: and 20 more unit(s) like those above")


def test_the_plans_own_area_is_its_unit_in_every_year(write_csv: Any) -> None:
    """Huyện Mường Tè was dissolved on 1/7/2025; a 2027 figure for it is the land of the plan."""
    path = write_csv(
        "unit,unit_code,indicator,year,value\nHuyện Mường Tè,,stunting_u5,2027,22\n,107,underweight_u5,2027,16\n"
    )
    got = results(path)
    for indicator in ("stunting_u5", "underweight_u5"):
        row = got[("Huyện Mường Tè", indicator, 2027)]
        assert (row["unit_code"], row["plan"], row["area_dissolved"]) == ("107", "muong-te-ct28", True)
        assert row["status"] in ("on_track", "off_track")


def test_an_official_unit_outside_the_plans_area_is_judged_with_a_warning(write_csv: Any) -> None:
    path = write_csv(
        "unit,indicator,year,value\nXã Hua Bum,stunting_u5,2024,27\nViệt Nam,stunting_u5,2024,19.6\n"
    )
    run = run_cli("evaluate", path, "--plan", "muong-te-ct28", "--format", "json")
    assert run.exit_code in (0, 1)
    assert run.stderr == (
        "kpicheck: warning: outside the area of plan muong-te-ct28 (Huyện Mường Tè): Việt Nam, "
        "Xã Hua Bum (03460); judged against it as --plan asks\n"
    )
    units = {(r["unit"], r["unit_code"]) for r in run.json()["results"]}
    assert units == {("Việt Nam", None), ("Xã Hua Bum", "03460")}


def test_without_plan_a_unit_outside_every_area_has_no_plan(write_csv: Any) -> None:
    path = write_csv("unit,indicator,year,value\nXã Hua Bum,stunting_u5,2024,27\n")
    (line,) = refused(path)
    assert line == (
        f"kpicheck: error: {path}:2: unit: no plan names the unit 'Xã Hua Bum'; pass --plan ID "
        "(plans: an-lao-ct28, muong-te-ct28, province-ct28, soc-trang-ct20) or add the unit to a plan's 'units'"
    )


def test_units_not_found_are_errors_and_the_rest_is_still_judged(write_csv: Any) -> None:
    """As for a unit no plan names: the rows of a misspelt, an ambiguous or a planless unit are not
    judged; each is in the errors section (and on stderr), the others are judged, exit 2. The
    Python API refuses the data instead."""
    path = write_csv(
        "unit,indicator,year,value\n"
        "Xã Bum Nưa,stunting_u5,2024,27\n"
        "Xã Pa Vệ Sử,stunting_u5,2024,27\n"
        "Mường Tè,stunting_u5,2024,27\n"
        "Xã Hua Bum,stunting_u5,2024,27\n"
    )
    run = run_cli("evaluate", path, "--format", "json")
    assert run.exit_code == 2
    report = run.json()
    errors = [(e["line"], e["code"]) for e in report["errors"]]
    assert errors == [(3, "data.unknown-unit"), (4, "data.ambiguous-unit"), (5, "data.no-plan-for-unit")]
    assert "Huyện Mường Tè (107, until 30 Jun 2025, Tỉnh Lai Châu)" in report["errors"][1]["message"]
    judged = {(r["unit"], r["unit_code"], r["year"]) for r in report["results"] if r["status"] != "no_data"}
    assert judged == {("Xã Bum Nưa", "03466", 2024)}
    assert [line.split(": ")[3] for line in run.stderr.splitlines()] == ["unit"] * 3
    with pytest.raises(kpicheck.KpicheckError) as caught:
        kpicheck.evaluate(path, lang="en")
    assert [p.code for p in caught.value.problems] == [code for _, code in errors]


def test_the_python_api_gives_the_same_units(write_csv: Any) -> None:
    frame = pd.DataFrame(
        {
            "ma_dvhc": ["03466", "03433"],
            "indicator": ["stunting_u5"] * 2,
            "year": [2024, 2025],
            "value": [27, 24],
        }
    )
    got = kpicheck.evaluate(frame)
    rows = got[got["value"].notna()]
    assert set(zip(rows["unit"], rows["unit_code"], strict=True)) == {
        ("Xã Bum Nưa", "03466"),
        ("Xã Bum Tở", "03433"),
    }


def test_the_registry_is_not_read_without_codes_or_an_area(tmp_path: Path) -> None:
    """The benchmark's path (--plan without an area, names only) never pays for the registry."""
    data = tmp_path / "d.csv"
    data.write_text("unit,indicator,year,value\nXã 00001,stunting_u5,2024,27\n", encoding="utf-8")
    plan = without_area(tmp_path)
    code = (
        "import sys\n"
        "from kpicheck.cli import main\n"
        "from kpicheck.units import registry\n"
        f"sys.argv = ['kpicheck', 'evaluate', {str(data)!r}, '--plan', {str(plan)!r}, '--quiet']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(registry.registry.cache_info().currsize)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "0", done.stderr


def test_milestone_rows_find_their_plan_by_its_area(tmp_path: Path) -> None:
    """A plan that names its area and lists no units: the rows of its district and a commune are
    its own; the district's report (binds: district) is owed by the district alone."""
    text = (ROOT / "targets" / "muong-te-ct28.yaml").read_text(encoding="utf-8")
    start = text.index("units: [")
    (tmp_path / "muong-te-ct28.yaml").write_text(
        text[:start] + text[text.index("]", start) + 1 :], encoding="utf-8"
    )
    done = tmp_path / "done.csv"
    done.write_text(
        "unit,milestone,year,done\nHuyện Mường Tè,annual_report_units,2024,2024-11-20\n"
        "Bum Nưa,annual_report_units,2024,2024-11-22\n",
        encoding="utf-8",
    )
    run = run_cli(
        "evaluate", "--milestones", done, "--as-of", "2024-12-20", "--targets", tmp_path, "--format", "json"
    )
    got = {(m["unit"], m["milestone"]): m["status"] for m in run.json()["milestones"]}
    assert got == {
        ("Huyện Mường Tè", "annual_report_units"): "done",
        ("Huyện Mường Tè", "annual_report_labour_office"): "overdue",
        ("Bum Nưa", "annual_report_units"): "done",
    }


def test_an_office_sheet_with_codes_names_and_decimal_commas(write_csv: Any) -> None:
    """As a commune office writes it: "Mã ĐVHC" and "Tên đơn vị" headers, a name in capitals, a name
    without its code, a code without its name, Vietnamese indicator names in any case, decimal
    commas. ("Tên đơn vị" was an unknown column: the row with a name and no code was refused as
    having no unit.)"""
    path = write_csv(
        "Mã ĐVHC;Tên đơn vị;Chỉ tiêu;Năm;Giá trị\n"
        "03466;XÃ BUM NƯA;Tỷ lệ trẻ em dưới 5 tuổi bị suy dinh dưỡng thể chiều cao theo tuổi;2025;24,1\n"
        ";xã mù cả;tỷ lệ trẻ em dưới 5 tuổi bị suy dinh dưỡng thể cân nặng theo tuổi;2025;18,5\n"
        "03445;;Tỷ lệ trẻ em hoàn thành cấp tiểu học;2025;98,7\n"
    )
    got = results(path, "--decimal", ",")
    assert {
        k: (r["unit_code"], r["value"], r["status"]) for k, r in got.items() if r["value"] is not None
    } == {
        ("Xã Bum Nưa", "stunting_u5", 2025): ("03466", 24.1, "met"),
        ("Xã Mù Cả", "underweight_u5", 2025): ("03451", 18.5, "met"),
        ("Xã Mường Tè", "primary_completion", 2025): ("03445", 98.7, "not_met"),
    }
