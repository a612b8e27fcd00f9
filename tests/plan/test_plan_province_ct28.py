"""The province plan implementing Chỉ thị 28-CT/TW (seed 000_a1f339484bf22710.txt).

Checks that ``targets/province-ct28.yaml`` states exactly the plan's targets,
and that the sample submission ``samples/province-ct28.csv`` is judged as
worked out by hand, including values exactly at a threshold.
"""

from __future__ import annotations

import pytest

from helpers import SAMPLES, SEEDS, TARGETS, run_cli

# The messages quoted here are the English ones (KPICHECK_LANG=en; test_languages.py has Vietnamese).
pytestmark = pytest.mark.usefixtures("english")

PLAN = "province-ct28"
SAMPLE = SAMPLES / "province-ct28.csv"
SEED = SEEDS / "000_a1f339484bf22710.txt"

# Every target of section III.2, in plan order: (indicator, year, op, value).
EXPECTED_TARGETS = [
    # Chỉ tiêu 1
    ("child_friendly_communes", 2025, ">=", 92),
    ("child_friendly_communes", 2030, ">=", 94),
    # Chỉ tiêu 2
    ("ecd_services_0_8", 2025, ">=", 90),
    ("ecd_services_0_8", 2030, ">=", 95),
    # Chỉ tiêu 3 (per 1,000 live births)
    ("neonatal_mortality", 2025, "<", 3.8),
    ("neonatal_mortality", 2030, "<", 3.3),
    ("infant_mortality", 2025, "<=", 9.0),
    ("infant_mortality", 2030, "<", 8.5),
    ("under5_mortality", 2025, "<", 10.5),
    ("under5_mortality", 2030, "<", 10),
    # Chỉ tiêu 4
    ("underweight_u5", 2025, "<", 10.1),
    ("underweight_u5", 2030, "<", 9),
    ("stunting_u5", 2025, "<=", 23.2),
    ("stunting_u5", 2030, "<", 20),
    ("obesity_u5_rural", 2025, "<", 1.5),
    ("obesity_u5_rural", 2030, "<", 1),
    ("obesity_u5_urban", 2025, "<", 2),
    ("obesity_u5_urban", 2030, "<", 1.5),
    # Chỉ tiêu 5
    ("full_immunisation_u1", 2025, ">=", 97),
    ("full_immunisation_u1", 2030, ">=", 98),
    ("full_immunisation_u5", 2025, ">=", 97),
    ("full_immunisation_u5", 2030, ">=", 98),
    # Chỉ tiêu 6
    ("hiv_mtct_rate", 2025, "<=", 2.5),
    ("hiv_mtct_rate", 2030, "<=", 2),
    # Chỉ tiêu 7: 100% in 2025, then "duy trì 100%" every year to 2030
    ("schools_with_sanitation", 2025, ">=", 100),
    ("schools_with_sanitation", 2026, ">=", 100),
    ("schools_with_sanitation", 2027, ">=", 100),
    ("schools_with_sanitation", 2028, ">=", 100),
    ("schools_with_sanitation", 2029, ">=", 100),
    ("schools_with_sanitation", 2030, ">=", 100),
    # Chỉ tiêu 8
    ("special_circumstances_share", 2025, "<", 8.43),
    ("special_circumstances_share", 2030, "<", 8),
    ("special_circumstances_supported", 2025, ">=", 95),
    ("special_circumstances_supported", 2030, ">=", 99),
    # Chỉ tiêu 9
    ("child_abuse_share", 2025, "<=", 1),
    ("child_abuse_share", 2030, "<", 1),
    # Chỉ tiêu 10
    ("child_labour_5_17", 2025, "<=", 4.5),
    ("child_labour_5_17", 2030, "<=", 4.2),
    # Chỉ tiêu 11 (per 100,000 children)
    ("child_injury_rate", 2025, "<=", 150),
    ("child_injury_rate", 2030, "<=", 140),
    ("child_injury_mortality", 2025, "<=", 5.7),
    ("child_injury_mortality", 2030, "<=", 4),
    # Chỉ tiêu 12: standing target, no year
    ("child_marriage_cases", None, "==", 0),
    # Chỉ tiêu 13
    ("birth_registration_u5", 2025, ">=", 96.1),
    ("birth_registration_u5", 2030, ">=", 97),
    # Chỉ tiêu 14
    ("u5_developmentally_on_track", 2025, ">=", 99),
    ("u5_developmentally_on_track", 2030, ">=", 100),
    # Chỉ tiêu 15
    ("preschool_enrolment_5y", 2025, ">=", 99),
    ("preschool_enrolment_5y", 2030, ">=", 100),
    # Chỉ tiêu 16
    ("primary_completion", 2025, ">=", 99),
    ("primary_completion", 2030, ">", 99),
    ("primary_dropout", 2025, "<=", 1),
    ("primary_dropout", 2030, "<", 1),
    # Chỉ tiêu 17
    ("lower_secondary_completion", 2025, ">=", 90),
    ("lower_secondary_completion", 2030, ">", 90),
    ("lower_secondary_dropout", 2025, "<", 0.14),
    ("lower_secondary_dropout", 2030, "<", 0.05),
    # Chỉ tiêu 18
    ("schools_with_psych_support", 2025, ">=", 95),
    ("schools_with_psych_support", 2030, ">", 95),
    # Chỉ tiêu 19
    ("schools_disability_accessible", 2025, ">=", 55),
    ("schools_disability_accessible", 2030, ">=", 60),
    ("disabled_children_education_access", 2025, ">=", 85),
    ("disabled_children_education_access", 2030, ">=", 90),
    # Chỉ tiêu 20
    ("communes_with_play_spaces", 2025, ">=", 43),
    ("communes_with_play_spaces", 2030, ">=", 46),
]


def _targets() -> list[dict]:
    run = run_cli("targets", PLAN, "--format", "json")
    assert run.exit_code == 0, run.stderr
    return run.json()


def _evaluate(*extra: str):
    return run_cli("evaluate", SAMPLE, "--plan", PLAN, "--format", "json", *extra)


# --- (a) the plan states exactly these targets ---------------------------------


def test_plan_file_validates() -> None:
    run = run_cli("validate", TARGETS / f"{PLAN}.yaml")
    assert run.exit_code == 0, run.stdout + run.stderr


def test_targets_are_exactly_the_plans() -> None:
    got = [(r["indicator"], r["year"], r["op"], r["value"]) for r in _targets()]
    assert got == EXPECTED_TARGETS


def test_targets_shape() -> None:
    rows = _targets()
    assert len(rows) == 65
    assert len({r["indicator"] for r in rows}) == 31
    assert {r["plan"] for r in rows} == {PLAN}
    assert {r["basis"] for r in rows} == {"absolute"}
    # Every "Chỉ tiêu 1" … "Chỉ tiêu 20" is there.
    assert {r["code"] for r in rows} == {f"Chỉ tiêu {n}" for n in range(1, 21)}
    units = {r["indicator"]: r["unit"] for r in rows}
    assert {i for i, u in units.items() if u == "per_1000"} == {
        "neonatal_mortality",
        "infant_mortality",
        "under5_mortality",
    }
    assert {i for i, u in units.items() if u == "per_100000"} == {
        "child_injury_rate",
        "child_injury_mortality",
    }
    assert units["child_marriage_cases"] == "count"
    for r in rows:
        assert r["section"] == r["code"].replace("Chỉ tiêu", "III.2 Chỉ tiêu")
        assert r["quote"]


@pytest.mark.skipif(not SEED.is_file(), reason="seed text not available")
def test_quotes_are_verbatim_from_the_seed() -> None:
    text = SEED.read_text(encoding="utf-8")
    missing = [(r["indicator"], r["year"], r["quote"]) for r in _targets() if r["quote"] not in text]
    assert missing == []


# --- (b) the sample submission is judged as worked out by hand -----------------

# (unit, indicator, year) -> status
EXPECTED_STATUS = {
    # Exactly at the threshold: a strict bound fails, an inclusive one holds.
    ("Huyện Bắc", "neonatal_mortality", 2025): "not_met",  # 3.8 vs < 3.8
    ("Toàn tỉnh", "infant_mortality", 2025): "met",  # 9.0 vs <= 9
    ("Toàn tỉnh", "stunting_u5", 2025): "met",  # 23.2 vs <= 23.2
    ("Toàn tỉnh", "underweight_u5", 2025): "not_met",  # 10.1 vs < 10.1
    ("Toàn tỉnh", "full_immunisation_u1", 2025): "met",  # 97.0 vs >= 97
    ("Toàn tỉnh", "hiv_mtct_rate", 2025): "met",  # 2.5 vs <= 2.5
    ("Toàn tỉnh", "child_injury_rate", 2025): "met",  # 150 vs <= 150
    ("Toàn tỉnh", "schools_with_sanitation", 2025): "met",  # 100 vs >= 100
    ("Toàn tỉnh", "lower_secondary_dropout", 2025): "not_met",  # 0.14 vs < 0.14
    ("Huyện Nam", "birth_registration_u5", 2025): "met",  # 96.1 vs >= 96.1
    ("Huyện Nam", "lower_secondary_completion", 2025): "met",  # 90.0 vs >= 90
    ("Huyện Bắc", "preschool_enrolment_5y", 2025): "met",  # 99.0 vs >= 99
    ("Thành phố Trung tâm", "obesity_u5_urban", 2025): "not_met",  # 2.0 vs < 2
    # Either side of a threshold.
    ("Toàn tỉnh", "neonatal_mortality", 2025): "met",  # 3.7 < 3.8
    ("Toàn tỉnh", "under5_mortality", 2025): "not_met",  # 10.9 vs < 10.5
    ("Huyện Nam", "infant_mortality", 2025): "not_met",  # 9.1 vs <= 9
    ("Huyện Nam", "stunting_u5", 2025): "not_met",  # 23.3 vs <= 23.2
    ("Huyện Nam", "child_injury_rate", 2025): "not_met",  # 150.1 vs <= 150
    ("Huyện Nam", "schools_with_sanitation", 2025): "not_met",  # 99.5 vs >= 100
    ("Huyện Bắc", "full_immunisation_u1", 2025): "not_met",  # 96.2 vs >= 97
    ("Huyện Bắc", "obesity_u5_rural", 2025): "met",  # 0.9 < 1.5
    ("Toàn tỉnh", "primary_dropout", 2025): "met",  # 0.08 <= 1
    ("Thành phố Trung tâm", "primary_completion", 2025): "met",  # 99.6 >= 99
    # The standing "không để xảy ra tảo hôn" target holds in every year.
    ("Toàn tỉnh", "child_marriage_cases", 2024): "not_met",  # 1
    ("Toàn tỉnh", "child_marriage_cases", 2025): "met",  # 0
    ("Huyện Bắc", "child_marriage_cases", 2025): "not_met",  # 2
    ("Huyện Nam", "child_marriage_cases", 2024): "met",  # 0
    # 2024 is the baseline year, before the first target (2025): no path yet.
    ("Toàn tỉnh", "neonatal_mortality", 2024): "not_due",
    ("Huyện Bắc", "birth_registration_u5", 2024): "not_due",
    # A unit that reported 2025 but not this indicator.
    ("Huyện Bắc", "birth_registration_u5", 2025): "no_data",
    ("Huyện Nam", "under5_mortality", 2025): "no_data",
    ("Thành phố Trung tâm", "full_immunisation_u5", 2025): "no_data",
    # An empty value cell: not submitted yet, as if the row were absent.
    ("Huyện Bắc", "hiv_mtct_rate", 2025): "no_data",
    # A value that is not a number.
    ("Thành phố Trung tâm", "full_immunisation_u1", 2025): "invalid",
}

# Worked out by hand from the sample:
#   met 27, not_met 17; not_due = every 2024 row except child marriage (31);
#   no_data = 31 indicators for each unit's 2025 minus the rows it sent
#   (Toàn tỉnh 31-14, Huyện Bắc 31-10, Huyện Nam 31-9, Thành phố 31-9 = 82), and one more for the
#   row whose value cell is empty (83); invalid 1 ("đang cập nhật").
EXPECTED_SUMMARY = {
    "met": 27,
    "not_met": 17,
    "on_track": 0,
    "off_track": 0,
    "not_due": 31,
    "no_data": 83,
    "invalid": 1,
    "unknown_indicator": 0,
}


def _by_key(results: list[dict]) -> dict[tuple[str, str, int], dict]:
    out: dict[tuple[str, str, int], dict] = {}
    for r in results:
        key = (r["unit"], r["indicator"], r["year"])
        assert key not in out, f"two results for {key}"
        out[key] = r
    return out


def test_statuses_worked_out_by_hand() -> None:
    run = _evaluate()
    results = _by_key(run.json()["results"])
    got = {key: results[key]["status"] if key in results else None for key in EXPECTED_STATUS}
    assert got == EXPECTED_STATUS


def test_targets_and_gaps_at_the_boundary() -> None:
    results = _by_key(_evaluate().json()["results"])
    at = results[("Huyện Bắc", "neonatal_mortality", 2025)]
    assert (at["op"], at["target"], at["target_year"]) == ("<", 3.8, 2025)
    at = results[("Toàn tỉnh", "infant_mortality", 2025)]
    assert (at["op"], at["target"], at["target_year"], at["gap"]) == ("<=", 9.0, 2025, 0.0)
    at = results[("Huyện Bắc", "infant_mortality", 2025)]
    assert at["gap"] == pytest.approx(-0.4)  # 0.4 per 1,000 worse than required
    at = results[("Toàn tỉnh", "birth_registration_u5", 2025)]
    assert at["gap"] == pytest.approx(0.3)  # 96.4 is 0.3 points better than 96.1
    marriage = results[("Huyện Bắc", "child_marriage_cases", 2025)]
    assert (marriage["op"], marriage["target"], marriage["target_year"]) == ("==", 0.0, None)


def test_history_before_the_baseline_gets_no_status() -> None:
    results = _evaluate().json()["results"]
    assert {r["year"] for r in results} == {2024, 2025}


def test_summary_counts() -> None:
    summary = _evaluate().json()["summary"]
    assert {k: summary.get(k, 0) for k in EXPECTED_SUMMARY} == EXPECTED_SUMMARY


# --- (c) exit codes ------------------------------------------------------------


def test_exit_code_is_1_when_something_fails() -> None:
    assert _evaluate().exit_code == 1


def test_exit_code_is_0_when_nothing_fails() -> None:
    # The city's 2024 figures: not_due rows and a child-marriage count of 0 (met).
    run = _evaluate("--unit", "Thành phố Trung tâm", "--year", "2024")
    statuses = {r["status"] for r in run.json()["results"]}
    assert statuses == {"not_due", "met"}
    assert run.exit_code == 0
