"""Roll-up: counts summed, rates rebuilt from numerators and denominators, small counts flagged."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import plan_text, run_cli

PLAN = plan_text(
    "rollplan",
    """\
    indicators:
      - id: infant_mortality
        name: Tỷ suất tử vong trẻ em dưới 1 tuổi
        name_en: Infant mortality
        unit: per_1000
        direction: lower
        targets:
          - {year: 2025, op: "<=", value: 9.0, quote: "xuống 9,0‰ vào năm 2025"}
      - id: child_marriage
        name: Số vụ tảo hôn
        name_en: Child marriages
        unit: count
        direction: lower
        targets:
          - {op: "==", value: 0, quote: "không để xảy ra tảo hôn"}
    """,
    start=2024,
    end=2030,
    baseline=2024,
)


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "rollplan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return path


def evaluate(plan: Path, tmp_path: Path, text: str, *args: str):  # type: ignore[no-untyped-def]
    data = tmp_path / "data.csv"
    data.write_text(text, encoding="utf-8")
    return run_cli("evaluate", data, "--plan", plan, "--format", "json", "--lang", "en", *args)


def test_district_rate_is_summed_numerators_over_denominators(plan: Path, tmp_path: Path) -> None:
    """3/1,000 and 30/2,000 births: the district is 33/3,000 = 11 per 1,000, not (3 + 15) / 2 = 9."""
    run = evaluate(
        plan,
        tmp_path,
        "unit,indicator,year,value,numerator,denominator,parent\n"
        "Xã A,infant_mortality,2025,3,3,1000,Huyện X\n"
        "Xã B,infant_mortality,2025,15,30,2000,Huyện X\n",
        "--rollup",
        "parent",
    )
    (row,) = [r for r in run.json()["results"] if r["indicator"] == "infant_mortality"]
    assert (row["unit"], row["value"], row["numerator"], row["denominator"]) == (
        "Huyện X",
        11.0,
        33.0,
        3000.0,
    )
    assert (row["status"], row["gap"]) == ("not_met", -2.0)  # the mean, 9, would have "met" 9.0‰
    assert row["small_numerator"] is False


def test_counts_are_summed_and_a_gap_is_not_a_total(plan: Path, tmp_path: Path) -> None:
    run = evaluate(
        plan,
        tmp_path,
        "unit,indicator,year,value,district\n"
        "Xã A,child_marriage,2025,1,Huyện X\nXã B,child_marriage,2025,2,Huyện X\n"
        "Xã C,child_marriage,2025,0,Huyện Y\nXã D,child_marriage,2025,,Huyện Y\n",
        "--rollup",
        "district",
    )
    rows = {r["unit"]: r for r in run.json()["results"] if r["indicator"] == "child_marriage"}
    assert (rows["Huyện X"]["value"], rows["Huyện X"]["status"]) == (3.0, "not_met")
    assert rows["Huyện Y"]["status"] == "invalid"  # one commune did not report


def test_rate_without_numerator_and_denominator_is_refused(plan: Path, tmp_path: Path) -> None:
    run = evaluate(
        plan,
        tmp_path,
        "unit,indicator,year,value,parent\nXã A,infant_mortality,2025,3,Huyện X\n",
        "--rollup",
        "parent",
    )
    assert run.exit_code == 2
    assert "cannot roll up the rate 'infant_mortality' without numerator and denominator" in run.stderr
    assert "data.csv:2: numerator:" in run.stderr


def test_missing_rollup_column_is_refused(plan: Path, tmp_path: Path) -> None:
    run = evaluate(
        plan, tmp_path, "unit,indicator,year,value\nXã A,child_marriage,2025,0\n", "--rollup", "province"
    )
    assert run.exit_code == 2 and "no 'province' column" in run.stderr


def test_small_numerators_are_flagged_in_every_format(plan: Path, tmp_path: Path) -> None:
    text = (
        "unit,indicator,year,value,numerator,denominator\n"
        "Xã A,infant_mortality,2025,8,8,1000\n"
        "Xã B,infant_mortality,2025,8.5,34,4000\n"
    )
    rows = {
        r["unit"]: r
        for r in evaluate(plan, tmp_path, text).json()["results"]
        if r["indicator"] == "infant_mortality"
    }
    assert rows["Xã A"]["small_numerator"] is True and rows["Xã B"]["small_numerator"] is False
    data = tmp_path / "data.csv"
    table = run_cli("evaluate", data, "--plan", plan, env={"COLUMNS": "200"}).stdout
    assert "8‰*" in table and "dưới 20 trường hợp" in table
    assert "8‰*" in run_cli("evaluate", data, "--plan", plan, "--format", "markdown").stdout
    junit = run_cli("evaluate", data, "--plan", plan, "--format", "junit")
    assert "chỉ 8 trường hợp (dưới 20): tỷ lệ không ổn định" in junit.stdout
    english = run_cli("evaluate", data, "--plan", plan, "--format", "junit", "--lang", "en").stdout
    assert "unstable: only 8 events (fewer than 20)" in english
    assert (
        "small_numerator"
        in run_cli("evaluate", data, "--plan", plan, "--format", "csv").stdout.splitlines()[0]
    )
    page = run_cli("evaluate", data, "--plan", plan, "--format", "html").stdout
    assert "8‰*" in page and "dưới 20 trường hợp" in page


def test_an_indicator_in_capitals_or_by_its_name_is_rolled_up_as_a_rate(plan: Path, tmp_path: Path) -> None:
    """Summed as a count, 3 + 15 = 18 per 1,000 would be wrong; and the parent spelled two ways is one unit."""
    run = evaluate(
        plan,
        tmp_path,
        "unit,indicator,year,value,numerator,denominator,parent\n"
        "Xã A,INFANT_MORTALITY,2025,3,3,1000,Huyện X\n"
        "Xã B,Infant_Mortality,2025,15,30,2000,huyện  x\n"
        "Xã C,Tỷ suất tử vong trẻ em dưới 1 tuổi,2025,3,3,1000,Huyện Y\n"
        "Xã D,Tỷ suất tử vong trẻ em dưới 1 tuổi,2025,15,30,2000,Huyện Y\n",
        "--rollup",
        "parent",
    )
    assert run.exit_code == 1, run.stderr
    rows = [r for r in run.json()["results"] if r["value"] is not None]
    assert [(r["unit"], r["indicator"], r["value"], r["numerator"], r["denominator"]) for r in rows] == [
        ("Huyện X", "infant_mortality", 11.0, 33.0, 3000.0),
        ("Huyện Y", "infant_mortality", 11.0, 33.0, 3000.0),
    ]
