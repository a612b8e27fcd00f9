"""Time rules: which target applies, paths between target years, baselines,
relative targets, projections and milestones (README, "Statuses")."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import pytest

from helpers import plan_text, run_cli

PLAN = plan_text(
    "timeplan",
    """\
    indicators:
      - id: stunting
        name: Suy dinh dưỡng thấp còi
        name_en: Stunting
        unit: percent
        direction: lower
        targets:
          - {year: 2025, op: "<", value: 20, quote: "xuống dưới 20% vào năm 2025"}
          - {year: 2030, op: "<", value: 15, quote: "xuống dưới 15% vào năm 2030"}
      - id: child_marriage
        name: Số vụ tảo hôn
        name_en: Child marriages
        unit: count
        direction: lower
        targets:
          - {op: "==", value: 0, quote: "không để xảy ra tảo hôn"}
      - id: violence_cases
        name: Số vụ xâm hại, bạo lực trẻ em
        name_en: Cases of abuse and violence against children
        unit: count
        direction: lower
        targets:
          - {year: 2025, op: "<=", value: -20, basis: relative, quote: "giảm 20% số vụ xâm hại, bạo lực trẻ em vào năm 2025"}
    milestones:
      - id: guidance
        name: Hướng dẫn quán triệt
        name_en: Guidance issued
        owner: Ban Tuyên giáo
        due: 2024-09-30
        quote: "Hoàn thành trong quý III năm 2024"
      - id: yearly_report
        name: Báo cáo định kỳ
        name_en: Yearly report
        owner: UBND huyện
        due_each_year: "12-14"
        first_year: 2024
        quote: "gửi báo cáo định kỳ trước ngày 15/12 hằng năm"
    """,
    start=2020,
    end=2030,
    baseline=2020,
    units=("Tỉnh A", "Huyện B"),
)


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "timeplan.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return path


def results(plan: Path, tmp_path: Path, rows: str, *args: str) -> dict:
    data = tmp_path / "data.csv"
    data.write_text("unit,indicator,year,value\n" + textwrap.dedent(rows), encoding="utf-8")
    run = run_cli("evaluate", data, "--plan", plan, "--format", "json", *args)
    assert run.exit_code in (0, 1), run.stderr
    return {(r["unit"], r["indicator"], r["year"]): r for r in run.json()["results"]}


def test_worked_example_child_friendly_communes_seed_003(tmp_path: Path) -> None:
    """50% by 2025, 71.4% by 2030: the path gives 58.56% for 2027. The share is the district's
    own (a share of its communes, reported for the district itself, judged as given)."""

    def judged(value: str) -> dict:
        data = tmp_path / "d.csv"
        data.write_text(
            f"unit,indicator,year,value\nHuyện Mường Tè,child_friendly_communes,2027,{value}\n",
            encoding="utf-8",
        )
        (row,) = [
            r
            for r in run_cli("evaluate", data, "--format", "json").json()["results"]
            if r["year"] == 2027 and r["indicator"] == "child_friendly_communes"
        ]
        return row

    row = judged("60")
    assert (row["status"], row["gap"], row["path_value"]) == ("on_track", 1.44, 58.56)
    row = judged("58")
    assert (row["status"], row["gap"]) == ("off_track", -0.56)
    assert row["target"] == 71.4 and row["target_year"] == 2030
    assert (row["unit"], row["unit_code"], row["area_dissolved"]) == ("Huyện Mường Tè", "107", True)


def test_path_starts_from_the_units_own_baseline_value(plan: Path, tmp_path: Path) -> None:
    # 2020 value 30, 2025 target 20: the path for 2022 is 30 - 10 * 2/5 = 26.
    got = results(
        plan,
        tmp_path,
        "Tỉnh A,stunting,2020,30\nTỉnh A,stunting,2022,25.5\nHuyện B,stunting,2020,30\nHuyện B,stunting,2022,26.5\n",
    )
    assert (
        got[("Tỉnh A", "stunting", 2022)]["status"],
        got[("Tỉnh A", "stunting", 2022)]["gap"],
    ) == ("on_track", 0.5)
    assert (
        got[("Huyện B", "stunting", 2022)]["status"],
        got[("Huyện B", "stunting", 2022)]["gap"],
    ) == ("off_track", -0.5)
    assert got[("Tỉnh A", "stunting", 2022)]["path_value"] == 26.0


def test_without_an_anchor_the_year_is_not_due_with_gap_to_next_target(plan: Path, tmp_path: Path) -> None:
    got = results(plan, tmp_path, "Tỉnh A,stunting,2022,23\n")
    row = got[("Tỉnh A", "stunting", 2022)]
    assert (row["status"], row["gap"], row["target"], row["target_year"]) == (
        "not_due",
        -3.0,
        20.0,
        2025,
    )


def test_between_targets_the_previous_target_is_the_anchor(plan: Path, tmp_path: Path) -> None:
    # From 20 (2025) to 15 (2030): 2028 path is 17.
    got = results(plan, tmp_path, "Tỉnh A,stunting,2028,17\nHuyện B,stunting,2028,17.2\n")
    assert got[("Tỉnh A", "stunting", 2028)]["status"] == "on_track"  # equal to the path is on track
    assert got[("Huyện B", "stunting", 2028)]["status"] == "off_track"


def test_last_target_keeps_applying_after_the_period(plan: Path, tmp_path: Path) -> None:
    got = results(plan, tmp_path, "Tỉnh A,stunting,2032,14\nHuyện B,stunting,2032,15\n")
    assert got[("Tỉnh A", "stunting", 2032)] | {} == got[("Tỉnh A", "stunting", 2032)]
    row = got[("Tỉnh A", "stunting", 2032)]
    assert (row["status"], row["target_year"], row["expired"]) == ("met", 2030, True)
    assert got[("Huyện B", "stunting", 2032)]["status"] == "not_met"


def test_years_before_the_baseline_are_history_only(plan: Path, tmp_path: Path) -> None:
    got = results(plan, tmp_path, "Tỉnh A,stunting,2018,40\nTỉnh A,stunting,2021,28\n")
    assert ("Tỉnh A", "stunting", 2018) not in got
    assert got[("Tỉnh A", "stunting", 2021)]["outlook"] is not None  # the 2018 value fed the projection


def test_standing_target_applies_every_year(plan: Path, tmp_path: Path) -> None:
    got = results(plan, tmp_path, "Tỉnh A,child_marriage,2021,0\nTỉnh A,child_marriage,2024,2\n")
    assert got[("Tỉnh A", "child_marriage", 2021)]["status"] == "met"
    row = got[("Tỉnh A", "child_marriage", 2024)]
    assert (row["status"], row["gap"], row["op"], row["target"], row["target_year"]) == (
        "not_met",
        -2.0,
        "==",
        0.0,
        None,
    )


@pytest.mark.parametrize(
    ("value", "status", "change", "gap"),
    [(40, "met", -20.0, 0.0), (41, "not_met", -18.0, -2.0), (30, "met", -40.0, 20.0)],
)
def test_relative_target_against_the_baseline(
    plan: Path, tmp_path: Path, value: int, status: str, change: float, gap: float
) -> None:
    got = results(plan, tmp_path, f"Tỉnh A,violence_cases,2020,50\nTỉnh A,violence_cases,2025,{value}\n")
    row = got[("Tỉnh A", "violence_cases", 2025)]
    assert (row["status"], row["change"], row["gap"], row["baseline_value"], row["basis"]) == (
        status,
        change,
        gap,
        50.0,
        "relative",
    )


def test_relative_target_without_baseline_is_never_met(plan: Path, tmp_path: Path) -> None:
    row = results(plan, tmp_path, "Tỉnh A,violence_cases,2025,10\n")[("Tỉnh A", "violence_cases", 2025)]
    assert row["status"] == "no_baseline" and row["gap"] is None


def test_relative_target_path_before_its_year(plan: Path, tmp_path: Path) -> None:
    # The change runs from 0% in 2020 to -20% in 2025: -8% due by 2022.
    got = results(plan, tmp_path, "Tỉnh A,violence_cases,2020,50\nTỉnh A,violence_cases,2022,45\n")
    row = got[("Tỉnh A", "violence_cases", 2022)]
    assert (row["status"], row["change"], row["path_value"], row["gap"]) == (
        "on_track",
        -10.0,
        -8.0,
        2.0,
    )


def test_projection_lower_is_better_by_hand(tmp_path: Path) -> None:
    """Stunting 30, 27, 24.3 with the plan's baseline year 2024: CAGR -10%/year from 27;
    2030 projection 24.3 * 0.9**5."""
    data = tmp_path / "d.csv"
    data.write_text(
        "unit,indicator,year,value\nXã Bum Nưa,stunting_u5,2023,30\nXã Bum Nưa,stunting_u5,2024,27\nXã Bum Nưa,stunting_u5,2025,24.3\n",
        encoding="utf-8",
    )
    rows = run_cli("evaluate", data, "--format", "json").json()["results"]
    latest = next(r for r in rows if r["indicator"] == "stunting_u5" and r["year"] == 2025)
    assert math.isclose(latest["projected_value"], 24.3 * 0.9**5, rel_tol=1e-9)
    # needed: (20/27) ** (1/6) - 1 = -4.88%/year; achieved -10%/year: ratio 2.05 >= 0.95
    assert latest["outlook"] == "substantial_progress"
    assert next(r for r in rows if r["year"] == 2024 and r["indicator"] == "stunting_u5")["outlook"] is None


def test_projection_higher_is_better_by_hand(tmp_path: Path) -> None:
    """Child-friendly communes of the district 40, 42, 44.1%: CAGR +5%/year from 2024 against
    +9.25% needed for 71.4% by 2030; 2023 is before the baseline year and does not count."""
    data = tmp_path / "d.csv"
    data.write_text(
        "unit,indicator,year,value\nHuyện Mường Tè,child_friendly_communes,2023,40\nHuyện Mường Tè,child_friendly_communes,2024,42\nHuyện Mường Tè,child_friendly_communes,2025,44.1\n",
        encoding="utf-8",
    )
    latest = next(
        r
        for r in run_cli("evaluate", data, "--format", "json").json()["results"]
        if r["year"] == 2025 and r["indicator"] == "child_friendly_communes"
    )
    assert math.isclose(latest["projected_value"], 44.1 * 1.05**5, rel_tol=1e-9)
    assert latest["outlook"] == "limited_progress"  # ratio 0.05 / 0.0925 = 0.54
    linear = next(
        r
        for r in run_cli("evaluate", data, "--format", "json", "--projection", "linear").json()["results"]
        if r["year"] == 2025 and r["indicator"] == "child_friendly_communes"
    )
    # the line through (2024, 42), (2025, 44.1): slope 2.1
    assert math.isclose(linear["projected_value"], 42 + 2.1 * 6, rel_tol=1e-9)
    assert linear["outlook"] == "limited_progress"  # 2.1 / (29.4 / 6) = 0.43


def test_projection_deterioration_and_achieved(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text(
        "unit,indicator,year,value\n"
        "Xã Bum Nưa,stunting_u5,2024,26\nXã Bum Nưa,stunting_u5,2025,26.5\n"  # getting worse
        "Xã Ka Lăng,stunting_u5,2024,20\nXã Ka Lăng,stunting_u5,2025,19\n"  # already below 20
        "Xã Tá Bạ,stunting_u5,2025,22\n",  # one year only
        encoding="utf-8",
    )
    rows = {
        r["unit"]: r
        for r in run_cli("evaluate", data, "--format", "json").json()["results"]
        if r["year"] == 2025 and r["indicator"] == "stunting_u5"
    }
    assert rows["Xã Bum Nưa"]["outlook"] == "deterioration"
    assert rows["Xã Ka Lăng"]["outlook"] == "target_achieved"  # 19 is below 2030's 20 already
    assert rows["Xã Tá Bạ"]["outlook"] == "not_available"
    assert rows["Xã Tá Bạ"]["projected_value"] is None


def test_projection_shown_in_table_and_csv(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text(
        "unit,indicator,year,value\nXã Bum Nưa,stunting_u5,2023,30\nXã Bum Nưa,stunting_u5,2024,27\nXã Bum Nưa,stunting_u5,2025,24.3\n",
        encoding="utf-8",
    )
    assert "14,35% Tiến bộ rõ rệt" in run_cli("evaluate", data, env={"COLUMNS": "250"}).stdout
    csv_out = run_cli("evaluate", data, "--format", "csv").stdout
    assert "projected_value" in csv_out.splitlines()[0] and "substantial_progress" in csv_out


def milestone_statuses(plan: Path, tmp_path: Path, done: str, as_of: str) -> dict:
    path = tmp_path / "ms.csv"
    path.write_text("unit,milestone,year,done\n" + done, encoding="utf-8")
    run = run_cli("evaluate", "--milestones", path, "--plan", plan, "--as-of", as_of, "--format", "json")
    assert run.exit_code in (0, 1), run.stderr
    return {(m["unit"], m["milestone"], m["year"]): (m["status"], m["due"]) for m in run.json()["milestones"]}


def test_milestone_statuses(plan: Path, tmp_path: Path) -> None:
    got = milestone_statuses(
        plan,
        tmp_path,
        "Huyện B,guidance,,2024-09-30\n"  # done on the due day
        "Tỉnh A,guidance,,2024-10-02\n"  # late
        "Huyện B,yearly_report,2024,14/12/2024\n"
        "Tỉnh A,yearly_report,2024,\n",  # not done
        "2025-06-01",
    )
    assert got[("Huyện B", "guidance", 2024)] == ("done", "2024-09-30")  # quý III năm 2024
    assert got[("Tỉnh A", "guidance", 2024)] == ("done_late", "2024-09-30")
    assert got[("Huyện B", "yearly_report", 2024)] == ("done", "2024-12-14")  # trước ngày 15/12
    assert got[("Tỉnh A", "yearly_report", 2024)] == ("overdue", "2024-12-14")
    assert got[("Huyện B", "yearly_report", 2025)] == ("pending", "2025-12-14")  # not yet due


def test_milestone_overdue_fails_the_run(plan: Path, tmp_path: Path) -> None:
    path = tmp_path / "ms.csv"
    path.write_text("unit,milestone,year,done\nTỉnh A,guidance,,\n", encoding="utf-8")
    before = run_cli("evaluate", "--milestones", path, "--plan", plan, "--as-of", "2024-09-30")
    after = run_cli("evaluate", "--milestones", path, "--plan", plan, "--as-of", "2024-10-01")
    assert (before.exit_code, after.exit_code) == (0, 1)
    assert "Quá hạn" in after.stdout


def test_unknown_milestone_names_file_and_line(plan: Path, tmp_path: Path) -> None:
    path = tmp_path / "ms.csv"
    path.write_text("unit,milestone,year,done\nTỉnh A,nope,,\n", encoding="utf-8")
    run = run_cli("evaluate", "--milestones", path, "--plan", plan, "--lang", "en")
    assert (
        run.exit_code == 2 and f"{path}:2: milestone: milestone 'nope' is not in plan timeplan" in run.stderr
    )
