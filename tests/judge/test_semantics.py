"""The meaning of targets, pinned with real thresholds from the seed plans.

Seed 000, Chỉ tiêu 3: "Giảm tỷ suất tử vong trẻ sơ sinh ... dưới 3,8‰ vào năm
2025" is ``< 3.8``; "tử vong của trẻ em dưới 01 tuổi ... xuống 9,0‰ vào năm 2025"
is ``<= 9.0``. Seed 003 (Mường Tè): "đạt trên 99,1%" is ``> 99.1``; "đạt 99%"
is ``>= 99``; "xuống dưới 25%" is ``< 25``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import plan_text, run_cli

CT3_PLAN = plan_text(
    "ct3",
    """\
    indicators:
      - id: neonatal_mortality
        name: Tỷ suất tử vong trẻ sơ sinh
        name_en: Neonatal mortality rate
        unit: per_1000
        direction: lower
        targets:
          - {year: 2025, op: "<", value: 3.8, quote: "dưới 3,8‰ vào năm 2025"}
      - id: infant_mortality
        name: Tỷ suất tử vong trẻ em dưới 01 tuổi
        name_en: Infant mortality rate
        unit: per_1000
        direction: lower
        targets:
          - {year: 2025, op: "<=", value: 9.0, quote: "xuống 9,0‰ vào năm 2025"}
    """,
    start=2024,
    end=2030,
    baseline=2024,
)


@pytest.fixture
def ct3(tmp_path: Path) -> Path:
    path = tmp_path / "ct3.yaml"
    path.write_text(CT3_PLAN, encoding="utf-8")
    return path


def judge(plan: Path | str, rows: list[tuple[str, str, int, str]], tmp_path: Path) -> dict:
    data = tmp_path / "data.csv"
    lines = ["unit,indicator,year,value"] + [",".join(map(str, r)) for r in rows]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = run_cli("evaluate", data, "--plan", plan, "--format", "json")
    assert run.exit_code in (0, 1), run.stderr
    return {(r["unit"], r["indicator"], r["year"]): r for r in run.json()["results"]}


@pytest.mark.parametrize(
    ("indicator", "value", "status", "gap"),
    [
        # "dưới 3,8‰": equal to the threshold is not below it.
        ("neonatal_mortality", "3.8", "not_met", 0.0),
        ("neonatal_mortality", "3.79", "met", 0.01),
        ("neonatal_mortality", "3.81", "not_met", -0.01),
        # "xuống 9,0‰": reaching the threshold is enough.
        ("infant_mortality", "9.0", "met", 0.0),
        ("infant_mortality", "9", "met", 0.0),
        ("infant_mortality", "9.01", "not_met", -0.01),
        ("infant_mortality", "8.5", "met", 0.5),
    ],
)
def test_mortality_boundaries_seed_000(
    ct3: Path, tmp_path: Path, indicator: str, value: str, status: str, gap: float
) -> None:
    result = judge(ct3, [("Toàn tỉnh", indicator, 2025, value)], tmp_path)[("Toàn tỉnh", indicator, 2025)]
    assert result["status"] == status
    assert result["gap"] == gap  # exact: no float artefacts such as 0.009999999999999787


@pytest.mark.parametrize(
    ("indicator", "value", "status", "gap"),
    [
        ("preschool_enrolment_5y", "99.1", "not_met", 0.0),  # "đạt trên 99,1%"
        ("preschool_enrolment_5y", "99.2", "met", 0.1),
        ("primary_completion", "99", "met", 0.0),  # "đạt 99%"
        ("primary_completion", "98.99", "not_met", -0.01),
        ("stunting_u5", "25", "not_met", 0.0),  # "xuống dưới 25%"
        ("stunting_u5", "24.9", "met", 0.1),
        ("child_friendly_communes", "50", "met", 0.0),  # "đạt 50%": the district's own share
    ],
)
def test_muong_te_boundaries(tmp_path: Path, indicator: str, value: str, status: str, gap: float) -> None:
    # A share of communes is the district's; every other indicator is judged for a commune too.
    unit = "Huyện Mường Tè" if indicator == "child_friendly_communes" else "Xã Bum Nưa"
    result = judge("muong-te-ct28", [(unit, indicator, 2025, value)], tmp_path)
    assert result[(unit, indicator, 2025)]["status"] == status
    assert result[(unit, indicator, 2025)]["gap"] == gap


def test_gap_is_positive_when_better_in_both_directions(ct3: Path, tmp_path: Path) -> None:
    results = judge(
        "muong-te-ct28",
        [
            ("Xã Bum Nưa", "stunting_u5", 2025, "20"),
            ("Huyện Mường Tè", "child_friendly_communes", 2025, "60"),
        ],
        tmp_path,
    )
    assert results[("Xã Bum Nưa", "stunting_u5", 2025)]["gap"] == 5.0  # lower is better: 25 - 20
    assert results[("Huyện Mường Tè", "child_friendly_communes", 2025)]["gap"] == 10.0  # higher: 60 - 50


def test_result_carries_the_target_that_applies(tmp_path: Path) -> None:
    row = judge("muong-te-ct28", [("Xã Bum Nưa", "stunting_u5", 2025, "27.9")], tmp_path)[
        ("Xã Bum Nưa", "stunting_u5", 2025)
    ]
    assert {k: row[k] for k in ("op", "target", "target_year", "value", "status", "plan")} == {
        "op": "<",
        "target": 25.0,
        "target_year": 2025,
        "value": 27.9,
        "status": "not_met",
        "plan": "muong-te-ct28",
    }
    assert row["gap"] == -2.9


def test_unit_names_match_after_nfc_normalisation(tmp_path: Path) -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Xã Bum Nưa")
    assert nfd != "Xã Bum Nưa"
    results = judge("muong-te-ct28", [(nfd, "stunting_u5", 2025, "24")], tmp_path)
    assert results[("Xã Bum Nưa", "stunting_u5", 2025)]["status"] == "met"


def test_statuses_for_missing_unknown_and_impossible_values(tmp_path: Path) -> None:
    results = judge(
        "muong-te-ct28",
        [
            ("Xã Bum Nưa", "stunting_u5", 2025, "N/A"),
            ("Xã Bum Nưa", "lower_secondary_graduation", 2025, ""),
            ("Xã Bum Nưa", "underweight_u5", 2025, "101"),
            ("Xã Bum Nưa", "primary_completion", 2025, "-3"),
            ("Xã Bum Nưa", "not_an_indicator", 2025, "3"),
        ],
        tmp_path,
    )
    assert results[("Xã Bum Nưa", "stunting_u5", 2025)]["status"] == "invalid"
    # An empty cell is not submitted yet: as if the row were absent.
    assert results[("Xã Bum Nưa", "lower_secondary_graduation", 2025)]["status"] == "no_data"
    assert results[("Xã Bum Nưa", "underweight_u5", 2025)]["status"] == "invalid"
    assert "100" in results[("Xã Bum Nưa", "underweight_u5", 2025)]["note"]
    assert results[("Xã Bum Nưa", "primary_completion", 2025)]["status"] == "invalid"
    assert results[("Xã Bum Nưa", "not_an_indicator", 2025)]["status"] == "unknown_indicator"
    # Every other indicator with a 2025 target is reported as missing for that unit...
    assert results[("Xã Bum Nưa", "schools_with_sanitation", 2025)]["status"] == "no_data"
    assert results[("Xã Bum Nưa", "schools_with_sanitation", 2025)]["target"] == 100.0
    # ... but not a share of communes: a commune is never judged against the district's share.
    assert ("Xã Bum Nưa", "child_friendly_communes", 2025) not in results
