"""The An Lão plan (Chỉ thị 28-CT/TW, seed 001): tasks with deadlines only, no indicators.

The milestone statuses below were worked out by hand from
samples/an-lao-milestones.csv and the plan's deadlines.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from helpers import SAMPLES, SEEDS, TARGETS, run_cli

# The messages quoted here are the English ones (KPICHECK_LANG=en; test_languages.py has Vietnamese).
pytestmark = pytest.mark.usefixtures("english")

PLAN = "an-lao-ct28"
PLAN_FILE = TARGETS / f"{PLAN}.yaml"
MILESTONES = SAMPLES / "an-lao-milestones.csv"
SEED = SEEDS / "001_2872c238142d1585.txt"

# Every milestone of the plan, in file order: (id, due, due_each_year).
EXPECTED_MILESTONES = [
    ("study_and_brief_ct28", dt.date(2024, 9, 30), None),  # "trong qúy III năm 2024"
    ("lead_and_direct_yearly", None, "12-31"),
    ("special_support_policies", None, "12-31"),
    ("resources_and_facilities", None, "12-31"),
    ("state_management", None, "12-31"),
    ("front_monitoring_programme", None, "12-31"),
    ("yearly_report", None, "12-14"),  # "trước ngày 15/12 hằng năm"
]

HU, TT, AT = "Huyện An Lão", "Thị trấn An Lão", "Xã An Thắng"

# As of 2024-12-20: (unit, milestone, year) -> status.
AS_OF = "2024-12-20"
HAND_JUDGED = {
    (HU, "study_and_brief_ct28", 2024): "done",  # 20/9, due 30/9
    (TT, "study_and_brief_ct28", 2024): "done_late",  # 15/10
    (AT, "study_and_brief_ct28", 2024): "overdue",  # not done, 30/9 has passed
    (HU, "yearly_report", 2024): "done",  # 12/12, due 14/12
    (AT, "yearly_report", 2024): "done_late",  # 16/12
    (TT, "yearly_report", 2024): "overdue",  # not done, 14/12 has passed
    (HU, "front_monitoring_programme", 2024): "pending",  # not done, due 31/12
    (HU, "state_management", 2024): "pending",  # done 28/12, after the as-of date
    (TT, "lead_and_direct_yearly", 2024): "done",  # 18/12
    (AT, "lead_and_direct_yearly", 2024): "pending",
}

# As of 2025-01-05 the 31/12/2024 deadlines have passed and the 2025 ones are open.
AS_OF_LATER = "2025-01-05"
HAND_JUDGED_LATER = {
    (HU, "state_management", 2024): "done",  # 28/12 <= 31/12
    (HU, "front_monitoring_programme", 2024): "overdue",
    (AT, "lead_and_direct_yearly", 2024): "overdue",  # no row for a past year: not done
    (HU, "yearly_report", 2025): "pending",
    (HU, "lead_and_direct_yearly", 2025): "pending",
}


def _plan() -> Any:
    from kpicheck.plan.catalog import read_plan_file

    return read_plan_file(PLAN_FILE)


def _judge(as_of: str) -> dict[tuple[str, str, int], dict[str, Any]]:
    """The milestone engine itself (kpicheck.judge.milestones), as evaluate calls it."""
    from kpicheck.judge import milestones as ms
    from kpicheck.read.milestones import read_done

    rows = ms.judge(_plan(), read_done(MILESTONES), dt.date.fromisoformat(as_of))
    out: dict[tuple[str, str, int], dict[str, Any]] = {}
    for row in rows:
        key = (str(row["unit"]), str(row["milestone"]), int(row["year"]))
        assert key not in out
        out[key] = row
    return out


# --- (a) the plan as encoded -------------------------------------------------


def test_validates() -> None:
    run = run_cli("validate", PLAN_FILE)
    assert run.exit_code == 0, run.stderr


def test_every_milestone_exactly() -> None:
    plan = _plan()
    got = [(m.id, m.due, m.due_each_year) for m in plan.milestones]
    assert got == EXPECTED_MILESTONES
    assert plan.indicators == []
    for m in plan.milestones:
        assert m.owner and m.name and m.name_en and m.section and m.quote
        assert m.first_year is None  # yearly deadlines run from the period start, 2024


def test_plan_metadata() -> None:
    plan = _plan()
    assert plan.id == PLAN
    assert plan.level.value == "district"
    assert (plan.area_unit, plan.issued) == ("313", 2024)  # huyện An Lão on the map of 2024
    assert (plan.period.start, plan.period.end) == (2024, 2030)
    assert "Huyện An Lão" in plan.units
    owners = {m.id: m.owner for m in _plan().milestones}
    assert owners["study_and_brief_ct28"] == "Ban Tuyên giáo Huyện ủy"
    assert owners["front_monitoring_programme"] == "Mặt trận Tổ quốc Việt Nam huyện"


def test_targets_lists_no_numeric_target() -> None:
    # ``targets --format json`` lists targets only; the plan has none.
    run = run_cli("targets", PLAN, "--format", "json", "--targets", TARGETS)
    assert run.exit_code == 0, run.stderr
    assert [r for r in run.json() if r.get("indicator")] == []


def test_targets_table_lists_the_milestones() -> None:
    run = run_cli("targets", PLAN, "--targets", TARGETS, env={"COLUMNS": "300"})
    assert run.exit_code == 0, run.stderr
    assert "Ban Tuyên giáo Huyện ủy" in run.stdout
    assert "30/09/2024" in run.stdout


@pytest.mark.skipif(not SEED.exists(), reason="seed text not available")
def test_every_quote_is_in_the_seed() -> None:
    seed = re.sub(r"\s+", " ", SEED.read_text(encoding="utf-8"))
    missing = [m.quote for m in _plan().milestones if m.quote not in seed]
    assert missing == []


# --- (b) the milestone sample, judged by hand --------------------------------


@pytest.mark.parametrize(("key", "status"), sorted(HAND_JUDGED.items()))
def test_milestone_status(key: tuple[str, str, int], status: str) -> None:
    assert _judge(AS_OF)[key]["status"] == status


@pytest.mark.parametrize(("key", "status"), sorted(HAND_JUDGED_LATER.items()))
def test_milestone_status_later(key: tuple[str, str, int], status: str) -> None:
    assert _judge(AS_OF_LATER)[key]["status"] == status


def test_all_four_statuses_and_deadlines() -> None:
    judged = _judge(AS_OF)
    assert {r["status"] for r in judged.values()} == {"done", "done_late", "overdue", "pending"}
    assert judged[(HU, "yearly_report", 2024)]["due"] == dt.date(2024, 12, 14)
    assert judged[(HU, "study_and_brief_ct28", 2024)]["due"] == dt.date(2024, 9, 30)
    assert judged[(HU, "lead_and_direct_yearly", 2024)]["due"] == dt.date(2024, 12, 31)
    # Only 2024 deadlines exist as of 2024-12-20: 3 units x 7 milestones.
    assert len(judged) == 21


# --- the command line ---------------------------------------------------------


# Judge the sample milestone file against the plan on a fixed date.
JUDGE_MILESTONES = (
    "--plan",
    PLAN,
    "--targets",
    TARGETS,
    "--milestones",
    MILESTONES,
    "--as-of",
    AS_OF,
    "--format",
    "json",
)


def test_evaluate_with_a_milestone_file_only() -> None:
    # A plan with milestones only is checked from its milestone file, no data file.
    run = run_cli("evaluate", *JUDGE_MILESTONES)
    assert run.exit_code == 1, run.stderr  # overdue fails by default
    payload = run.json()
    got = {(r["unit"], r["milestone"], r["year"]): r["status"] for r in payload["milestones"]}
    for key, status in HAND_JUDGED.items():
        assert got[key] == status
    assert payload["summary"]["overdue"] == sum(s == "overdue" for s in got.values())
    assert payload["as_of"] == AS_OF


def test_a_district_bodys_task_is_not_owed_by_each_commune() -> None:
    """HĐND huyện's task (binds: district) is owed by the district, not by thị trấn An Lão; a task
    of the district and the communes' party committees (binds: [district, commune]) by both; a row
    a commune gives for a district's task is judged all the same."""
    later = run_cli("evaluate", "--milestones", MILESTONES, "--as-of", AS_OF_LATER, "--format", "json")
    got = {(r["unit"], r["milestone"], r["year"]): r["status"] for r in later.json()["milestones"]}
    assert (TT, "special_support_policies", 2024) not in got
    assert got[(HU, "special_support_policies", 2024)] == "done"
    assert got[(AT, "lead_and_direct_yearly", 2024)] == "overdue"
    assert got[(TT, "study_and_brief_ct28", 2024)] == "done_late"  # a row given: judged
    binds = {m.id: m.bound_levels() for m in _plan().milestones}
    assert binds["special_support_policies"] == {"district"}
    assert binds["yearly_report"] == {"district", "commune"}


def test_evaluate_unknown_indicators_only_does_not_crash(write_csv: Any) -> None:
    data = write_csv("unit,indicator,year,value\nHuyện An Lão,children_count,2024,10\n")
    run = run_cli("evaluate", data, *JUDGE_MILESTONES)
    assert run.exit_code == 1, run.stderr  # the overdue milestones fail
    payload = run.json()
    assert [r["status"] for r in payload["results"]] == ["unknown_indicator"]
    # The district owes all 7 tasks; each of the 2 communes the 3 it shares and its row for a 4th.
    assert len(payload["milestones"]) == 7 + 4 + 4
