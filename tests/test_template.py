"""``kpicheck template``: the file a unit fills in, read back without a complaint."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from conftest import run_cli

YES_NO = "đạt / không đạt (tỷ lệ tính cho cả địa bàn)"


def fill(value_for: dict[str, str], text: str) -> str:
    """Each row's value from its indicator; "đạt" where the template asks yes or no."""
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    for row in rows:
        row["value"] = "đạt" if row["measure"] == YES_NO else value_for[row["indicator"]]
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


def test_template_lists_every_indicator_with_name_and_measure() -> None:
    run = run_cli("template", "muong-te-ct28", "--year", "2025", "--unit", "Xã Bum Nưa")
    assert run.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert len(rows) == 14  # every indicator of the plan has a target ahead in 2025
    stunting = next(r for r in rows if r["indicator"] == "stunting_u5")
    assert stunting == {
        "unit": "Xã Bum Nưa",
        "indicator": "stunting_u5",
        "year": "2025",
        "value": "",
        "name": "Tỷ lệ trẻ em dưới 5 tuổi bị suy dinh dưỡng thể chiều cao theo tuổi",
        "measure": "%",
        "target": "< 25 (2025)",
    }


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
    assert run.exit_code == 0 and "28 row(s)" in run.stderr
    text = path.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")  # Excel opens the Vietnamese names correctly
    targets = {r["indicator"]: r["target"] for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}
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


def test_empty_template_reports_invalid_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "nop.csv"
    run_cli("template", "muong-te-ct28", "--year", "2025", "--unit", "Xã Bum Nưa", "-o", path)
    result = run_cli("evaluate", path, "--format", "json")
    assert result.exit_code == 1
    # Blank figures are invalid; a blank yes/no of a share is invalid too, for the commune.
    assert {r["status"] for r in result.json()["results"] if r["unit"] == "Xã Bum Nưa"} == {"invalid"}


def test_template_for_a_plan_without_units_needs_unit(tmp_path: Path) -> None:
    run = run_cli("template", "muong-te-ct28", "--targets", tmp_path)
    assert run.exit_code == 0  # the bundled plan names its units
    plan = (Path(__file__).parent.parent / "targets" / "muong-te-ct28.yaml").read_text(encoding="utf-8")
    start = plan.index("units: [")
    end = plan.index("]", start) + 1
    bare = plan[:start] + plan[end:]
    # A plan naming its area lists the area and its communes, as the registry has them then.
    (tmp_path / "bare.yaml").write_text(bare.replace("id: muong-te-ct28", "id: bare"), encoding="utf-8")
    run = run_cli("template", "bare", "--targets", tmp_path, "--year", "2025")
    assert run.exit_code == 0
    units = list(dict.fromkeys(r["unit"] for r in csv.DictReader(io.StringIO(run.stdout))))
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
    assert rows[0] == ("unit", "indicator", "year", "value", "name", "measure", "target")
    assert rows[9][:4] == ("Xã Tá Bạ", "stunting_u5", 2030, None) or any(
        r[1] == "stunting_u5" and r[2] == 2030 for r in rows
    )


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
        # The value column, from the target column; "đạt" where a commune answers yes or no.
        row[3].value = "đạt" if row[5].value == YES_NO else float(good_value(row[6].value))
    book.save(path)
    result = run_cli("evaluate", path, "--format", "json")
    results = result.json()["results"]
    assert {r["status"] for r in results if r["unit"] == "Xã Ka Lăng"} == {"met", "not_due"}
