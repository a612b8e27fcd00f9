"""``kpicheck template``: the file a unit fills in, read back without a complaint."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from helpers import TARGETS, run_cli

# What the template asks of a commune counted in a share of communes ("tỷ lệ xã đạt chuẩn").
YES_NO = "1 (đạt) / 0 (không đạt); tỷ lệ tính cho cả địa bàn"


def fill(value_for: dict[str, str], text: str) -> str:
    """Each row's value from its indicator; 1 (yes) where the template asks yes or no."""
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    for row in rows:
        row["Giá trị"] = "1" if row["Đơn vị đo"] == YES_NO else value_for[row["Chỉ tiêu"]]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def good_value(target: str) -> str:
    """A value that meets ``>= 50 (2025)``-style targets exactly or just past strict ones."""
    op, value, *_ = target.split()
    number = float(value.replace(",", "."))
    return str({"<": number - 0.1, ">": number + 0.1}.get(op, number))


def test_template_lists_every_indicator_with_code_name_and_measure_under_vietnamese_headers() -> None:
    run = run_cli("template", "muong-te-ct28", "--year", "2025", "--unit", "Xã Bum Nưa")
    assert run.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert len(rows) == 14  # every indicator of the plan has a target ahead in 2025
    stunting = next(r for r in rows if r["Chỉ tiêu"] == "stunting_u5")
    assert stunting == {
        "Đơn vị": "Xã Bum Nưa",
        "Chỉ tiêu": "stunting_u5",
        "Số hiệu": "(3)",
        "Tên chỉ tiêu": "Tỷ lệ trẻ em dưới 5 tuổi bị suy dinh dưỡng thể chiều cao theo tuổi",
        "Năm": "2025",
        "Giá trị": "",
        "Đơn vị đo": "%",
        "Mục tiêu": "< 25 (2025)",
        "Ghi chú": "",
    }
    english = list(csv.DictReader(io.StringIO(run_cli(*_ARGS, "--lang", "en").stdout)))
    assert next(r for r in english if r["indicator"] == "stunting_u5") == {
        "unit": "Xã Bum Nưa",
        "indicator": "stunting_u5",
        "code": "(3)",
        "name": "Stunting prevalence among children under 5 (height-for-age)",
        "year": "2025",
        "value": "",
        "measure": "%",
        "target": "< 25 (2025)",
        "note": "",
    }


_ARGS = ("template", "muong-te-ct28", "--year", "2025", "--unit", "Xã Bum Nưa")


def test_filled_template_evaluates_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "nop.csv"
    run = run_cli(
        "template",
        "muong-te-ct28",
        "--year",
        "2025",
        "--unit",
        "Xã Bum Nưa",
        "--unit",
        "Xã Ka Lăng",
        "-o",
        path,
    )
    assert run.exit_code == 0 and "đã ghi 28 dòng" in run.stderr
    text = path.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")  # Excel opens the Vietnamese names correctly
    targets = {r["Chỉ tiêu"]: r["Mục tiêu"] for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}
    path.write_text(fill({k: good_value(v) for k, v in targets.items()}, text), encoding="utf-8")
    result = run_cli("evaluate", path, "--format", "json")
    assert result.stderr == ""  # no warning about the helper columns
    results = result.json()["results"]
    communes = {(r["indicator"], r["status"]) for r in results if r["unit"] in ("Xã Bum Nưa", "Xã Ka Lăng")}
    assert {s for _, s in communes} == {"met", "not_due"}
    assert ("disaster_relief", "not_due") in communes  # its only target is for 2030
    # The shares of communes are the district's: the two communes said yes, twelve said nothing.
    shares = {r["indicator"]: r for r in results if r["unit"] == "Huyện Mường Tè"}
    assert set(shares) == {"child_friendly_communes", "communes_with_play_spaces"}
    assert shares["child_friendly_communes"]["value"] == 100 * 2 / 14
    assert shares["child_friendly_communes"]["status"] == "not_met"
    missing = [r for r in results if r["status"] == "no_data"]
    assert len(missing) == 2 * 12 and {r["indicator"] for r in missing} == set(shares)
    assert result.exit_code == 1


def test_an_empty_template_is_not_yet_submitted_no_data_not_invalid(tmp_path: Path) -> None:
    path = tmp_path / "nop.csv"
    run_cli("template", "muong-te-ct28", "--year", "2025", "--unit", "Xã Bum Nưa", "-o", path)
    result = run_cli("evaluate", path, "--format", "json", "--lang", "en")
    assert (result.exit_code, result.stderr) == (0, "")  # no_data does not fail by default
    statuses = [r["status"] for r in result.json()["results"] if r["unit"] == "Xã Bum Nưa"]
    # 3 indicators have 2030 targets only; the 2 shares of communes are judged for the district alone
    assert len(statuses) == 9 and set(statuses) == {"no_data"}


def test_template_for_a_plan_without_units_needs_unit(tmp_path: Path) -> None:
    run = run_cli("template", "muong-te-ct28", "--targets", tmp_path)
    assert run.exit_code == 0  # the bundled plan names its units
    plan = (TARGETS / "muong-te-ct28.yaml").read_text(encoding="utf-8")
    start = plan.index("units: [")
    end = plan.index("]", start) + 1
    bare = plan[:start] + plan[end:]
    # A plan naming its area lists the area and its communes, as the registry has them then.
    (tmp_path / "bare.yaml").write_text(bare.replace("id: muong-te-ct28", "id: bare"), encoding="utf-8")
    run = run_cli("template", "bare", "--targets", tmp_path, "--year", "2025")
    assert run.exit_code == 0
    units = list(dict.fromkeys(r["Đơn vị"] for r in csv.DictReader(io.StringIO(run.stdout))))
    assert len(units) == 15 and units[0] == "Huyện Mường Tè" and "Xã Pa Vệ Sủ" in units
    # A plan naming neither its area nor its units needs --unit.
    nameless = "".join(line for line in bare.splitlines(keepends=True) if not line.startswith("area_unit:"))
    (tmp_path / "nameless.yaml").write_text(
        nameless.replace("id: muong-te-ct28", "id: nameless"), encoding="utf-8"
    )
    run = run_cli("template", "nameless", "--targets", tmp_path)
    assert run.exit_code == 2 and "--unit" in run.stderr


def test_template_xlsx_is_written(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "nop.xlsx"
    assert (
        run_cli("template", "muong-te-ct28", "--year", "2030", "--unit", "Xã Tá Bạ", "-o", path).exit_code
        == 0
    )
    sheet = load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Đơn vị",
        "Chỉ tiêu",
        "Số hiệu",
        "Tên chỉ tiêu",
        "Năm",
        "Giá trị",
        "Đơn vị đo",
        "Mục tiêu",
        "Ghi chú",
    )
    assert ("Xã Tá Bạ", "stunting_u5", "(3)", 2030, None) in [r[:3] + r[4:6] for r in rows]


def test_filled_xlsx_template_evaluates(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "nop.xlsx"
    assert (
        run_cli("template", "muong-te-ct28", "--year", "2025", "--unit", "Xã Ka Lăng", "-o", path).exit_code
        == 0
    )
    book = load_workbook(path)
    sheet = book.active
    for row in sheet.iter_rows(min_row=2):
        # The value column, from the target column; 1 (yes) where a commune answers yes or no.
        row[5].value = 1 if row[6].value == YES_NO else float(good_value(row[7].value))
    book.save(path)
    result = run_cli("evaluate", path, "--format", "json")
    results = result.json()["results"]
    assert {r["status"] for r in results if r["unit"] == "Xã Ka Lăng"} == {"met", "not_due"}


def test_the_workbook_freezes_its_header_and_refuses_impossible_values_as_they_are_typed(
    tmp_path: Path,
) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "nop.xlsx"
    run_cli("template", "soc-trang-ct20", "--year", "2015", "--unit", "Tỉnh Sóc Trăng", "-o", path)
    sheet = load_workbook(path).active
    assert sheet.freeze_panes == "A2"
    rules = sheet.data_validations.dataValidation
    by_cell = {str(cell): rule for rule in rules for cell in str(rule.sqref).split()}
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    for number, row in enumerate(rows, start=2):
        rule = by_cell[f"F{number}"]  # the value column, every row
        assert (rule.type, rule.formula1, rule.allow_blank, rule.showErrorMessage) == (
            "decimal",
            "0",
            True,
            True,
        )
        if row[6] == "%":
            assert (rule.operator, rule.formula2) == ("between", "100")
            assert rule.error == "Hãy nhập một số từ 0 đến 100; để trống nếu chưa có số liệu."
        elif row[6] == "số lượng":
            assert (rule.operator, rule.formula2) == ("greaterThanOrEqual", None)
    assert {r[6] for r in rows} >= {"%", "số lượng"}
    # A relative target asks for the figure itself (a count); kpicheck works out the change.
    abuse = next(r for r in rows if r[1] == "abuse_violence_cases")
    assert (abuse[6], abuse[7]) == ("số lượng", "<= -20% so với năm 2012 (2015)")


def test_a_filled_workbook_with_blanks_round_trips(tmp_path: Path) -> None:
    """Filled in by hand: figures, cells left empty (not yet submitted), an explicit "-" and a note."""
    from openpyxl import load_workbook

    path = tmp_path / "nop.xlsx"
    run_cli("template", "muong-te-ct28", "--year", "2025", "--unit", "Xã Bum Nưa", "-o", path)
    book = load_workbook(path)
    sheet = book.active
    filled = {"stunting_u5": 24.0, "underweight_u5": "-", "preschool_enrolment_5y": 99.5}
    for row in sheet.iter_rows(min_row=2):
        if row[1].value in filled:
            row[5].value = filled[row[1].value]
        if row[1].value == "stunting_u5":
            row[8].value = "số liệu 6 tháng"
    book.save(path)
    result = run_cli("evaluate", path, "--format", "json", "--lang", "en")
    assert result.stderr == ""  # the helper columns and Vietnamese headers are all known
    assert result.exit_code == 1  # "-" is invalid, which fails
    rows = {r["indicator"]: r for r in result.json()["results"] if r["unit"] == "Xã Bum Nưa"}
    assert (rows["stunting_u5"]["status"], rows["stunting_u5"]["user_note"]) == ("met", "số liệu 6 tháng")
    assert (rows["underweight_u5"]["status"], rows["underweight_u5"]["note"]) == ("invalid", "missing value")
    assert rows["preschool_enrolment_5y"]["status"] == "met"
    left_empty = [r for r in rows.values() if r["indicator"] not in filled and r["target_year"] == 2025]
    assert len(left_empty) == 6  # and the 2 shares of communes, judged for the district alone
    assert {(r["status"], r["value"], r["line"]) for r in left_empty} == {("no_data", None, None)}
    # Exactly as if the empty rows had been deleted.
    for row in list(sheet.iter_rows(min_row=2))[::-1]:
        if row[1].value not in filled:
            sheet.delete_rows(row[0].row)
    book.save(path)
    deleted = {
        r["indicator"]: r["status"]
        for r in run_cli("evaluate", path, "--format", "json").json()["results"]
        if r["unit"] == "Xã Bum Nưa"
    }
    assert deleted == {k: r["status"] for k, r in rows.items()}


def test_a_plain_csv_with_an_empty_value_is_no_data_and_a_dash_invalid(write_csv: Any) -> None:
    path = write_csv(
        "unit,indicator,year,value\n"
        "Xã Bum Nưa,stunting_u5,2025,\n"
        "Xã Bum Nưa,underweight_u5,2025,-\n"
        "Xã Bum Nưa,underweight_u5,2024,N/A\n"
        "Xã Bum Nưa,preschool_enrolment_5y,2025,99.5\n"
        "Xã Bum Nưa,preschool_enrolment_5y,2025,\n"  # an empty repeat of a figure is no second value
    )
    run = run_cli("evaluate", path, "--plan", "muong-te-ct28", "--format", "json", "--lang", "en")
    assert run.exit_code == 1 and run.stderr == ""
    got = {(r["indicator"], r["year"]): (r["status"], r["note"]) for r in run.json()["results"]}
    assert got[("stunting_u5", 2025)] == ("no_data", "no figure submitted")
    assert got[("underweight_u5", 2025)] == ("invalid", "missing value")
    assert got[("underweight_u5", 2024)] == ("invalid", "missing value")
    assert got[("preschool_enrolment_5y", 2025)] == ("met", None)
