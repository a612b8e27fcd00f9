"""Indicators written the way offices write them: id in any case, Vietnamese or English name, the
plan's code where it is unique, an alias; ambiguous, unknown and foreign indicators said so."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kpicheck
from helpers import TARGETS, plan_text, run_cli
from kpicheck.judge.indicators import AMBIGUOUS, IndicatorNames
from kpicheck.plan.catalog import Catalog

STUNTING_VI = "Tỷ lệ trẻ em dưới 5 tuổi bị suy dinh dưỡng thể chiều cao theo tuổi"
HEADER = "unit,indicator,year,value\n"


def _results(run: Any) -> list[tuple[str, str, int, str]]:
    return [(r["unit"], r["indicator"], r["year"], r["status"]) for r in run.json()["results"]]


@pytest.mark.parametrize(
    "written",
    [
        "Chỉ tiêu 12",  # the province plan's own numbering, unique there
        "chỉ tiêu 12",
        "CHILD_MARRIAGE_CASES",
        "Số trường hợp tảo hôn trên địa bàn tỉnh",
        "  số trường hợp tảo hôn trên địa bàn tỉnh ",
        "number of child marriages in the province",
    ],
)
def test_the_province_plans_indicator_12_however_it_is_written(write_csv: Any, written: str) -> None:
    path = write_csv(f'{HEADER}Toàn tỉnh,"{written}",2025,0\n')
    run = run_cli("evaluate", path, "--plan", "province-ct28", "--format", "json", "--lang", "en")
    assert run.stderr == ""
    assert ("Toàn tỉnh", "child_marriage_cases", 2025, "met") in _results(run)
    assert "unknown_indicator" not in {r[3] for r in _results(run)}


def test_a_name_with_05_matches_a_plan_writing_5_and_the_other_way(write_csv: Any) -> None:
    # Mường Tè writes "dưới 5 tuổi", the province plan "dưới 05 tuổi": both name the same indicator.
    path = write_csv(f'{HEADER}Xã Bum Nưa,"{STUNTING_VI.replace("5 tuổi", "05 tuổi")}",2025,24\n')
    run = run_cli("evaluate", path, "--plan", "muong-te-ct28", "--format", "json", "--lang", "en")
    assert ("Xã Bum Nưa", "stunting_u5", 2025, "met") in _results(run)
    path = write_csv(f'{HEADER}Toàn tỉnh,"{STUNTING_VI}",2025,24\n')
    run = run_cli("evaluate", path, "--plan", "province-ct28", "--format", "json", "--lang", "en")
    assert ("Toàn tỉnh", "stunting_u5", 2025, "not_met") in _results(run)


def test_seed_003s_code_3_is_ambiguous_and_refused_with_the_candidates(write_csv: Any) -> None:
    path = write_csv(f"{HEADER}Xã Bum Nưa,(3),2025,24\nXã Bum Nưa,stunting_u5,2024,26\n")
    run = run_cli("evaluate", path, "--plan", "muong-te-ct28", "--lang", "en")
    # The file is set aside and the report still written (PRODUCT.md: exit 2, the rest judged).
    assert (run.exit_code, run.stdout) == (2, "Summary: 0 results\n")
    assert run.stderr == (
        f"kpicheck: error: {path}:2: indicator: '(3)' names 2 indicators of plan muong-te-ct28: "
        "underweight_u5, stunting_u5; write the indicator's id instead\n"
    )


def test_the_province_plans_code_3_is_three_indicators(write_csv: Any) -> None:
    path = write_csv(f"{HEADER}Toàn tỉnh,Chỉ tiêu 3,2025,3\n")
    run = run_cli("evaluate", path, "--plan", "province-ct28", "--lang", "en")
    assert run.exit_code == 2
    assert (
        "'Chỉ tiêu 3' names 3 indicators of plan province-ct28: neonatal_mortality, infant_mortality, "
        "under5_mortality" in run.stderr
    )


def test_a_typo_is_unknown_with_a_did_you_mean_naming_file_and_line(write_csv: Any) -> None:
    path = write_csv(f"{HEADER}Xã Bum Nưa,stunting_u5,2025,24\nXã Bum Nưa,stuntng_u5,2025,24\n")
    run = run_cli("evaluate", path, "--plan", "muong-te-ct28", "--format", "json", "--lang", "en")
    assert run.exit_code == 0
    assert run.stderr == (
        f"kpicheck: warning: {path}:3: indicator: 'stuntng_u5' is not an indicator of plan muong-te-ct28; "
        "did you mean stunting_u5?; write its id, code or name as `kpicheck targets muong-te-ct28` lists them\n"
    )
    assert ("Xã Bum Nưa", "stuntng_u5", 2025, "unknown_indicator") in _results(run)
    assert ("Xã Bum Nưa", "stunting_u5", 2025, "met") in _results(run)


def test_a_file_whose_only_row_is_unknown_is_refused_as_the_pre_commit_hook_runs_it(write_csv: Any) -> None:
    path = write_csv(f"{HEADER}Xã Bum Nưa,stuntng_u5,2025,24\n")
    # .pre-commit-hooks.yaml: `kpicheck evaluate --quiet` on the changed files; 0 would print "Passed".
    run = run_cli("evaluate", "--quiet", path, "--plan", "muong-te-ct28", "--lang", "en")
    assert run.exit_code == 2
    assert run.stderr == (
        f"kpicheck: error: {path}: none of the indicators in this file are in plan muong-te-ct28 (closest ids: "
        "stunting_u5, underweight_u5, birth_registration_u5); write each indicator's id, code or name as "
        "`kpicheck targets muong-te-ct28` lists them\nSummary: 0 results\n"
    )


def test_a_file_for_another_plan_is_refused_and_the_other_files_do_not_hide_it(write_csv: Any) -> None:
    good = write_csv(f"{HEADER}Xã Bum Nưa,stunting_u5,2025,24\n", "good.csv")
    other = write_csv(f"{HEADER}Xã Bum Nưa,Chỉ tiêu 12,2025,0\n", "other.csv")
    run = run_cli("evaluate", good, other, "--plan", "muong-te-ct28", "--lang", "en")
    assert run.exit_code == 2
    assert run.stderr.startswith(f"kpicheck: error: {other}: none of the indicators in this file are in plan")
    assert str(good) not in run.stderr


def test_a_wide_file_with_names_and_codes_as_headers(write_csv: Any) -> None:
    path = write_csv(
        f'unit,year,"{STUNTING_VI}",(4) huy động,PRESCHOOL_ENROLMENT_5Y\nXã Bum Nưa,2025,24,,99.5\n'
    )
    run = run_cli("evaluate", path, "--plan", "muong-te-ct28", "--format", "json", "--lang", "en")
    assert ("Xã Bum Nưa", "stunting_u5", 2025, "met") in _results(run)
    assert ("Xã Bum Nưa", "preschool_enrolment_5y", 2025, "met") in _results(run)
    assert "'(4) huy động' is not an indicator of plan muong-te-ct28" in run.stderr


def test_two_spellings_of_one_indicator_are_one_row_and_different_values_are_refused(write_csv: Any) -> None:
    path = write_csv(f'{HEADER}Xã Bum Nưa,stunting_u5,2025,24\nXã Bum Nưa,"{STUNTING_VI}",2025,24\n')
    run = run_cli("evaluate", path, "--plan", "muong-te-ct28", "--format", "json", "--lang", "en")
    assert [r for r in _results(run) if r[1] == "stunting_u5"] == [("Xã Bum Nưa", "stunting_u5", 2025, "met")]
    path = write_csv(f'{HEADER}Xã Bum Nưa,stunting_u5,2025,24\nXã Bum Nưa,"{STUNTING_VI}",2025,26\n')
    run = run_cli("evaluate", path, "--plan", "muong-te-ct28", "--lang", "en")
    assert run.exit_code == 2
    # The unit as the results name it, with its code (the registry found it).
    assert "Xã Bum Nưa (03466) / stunting_u5 / 2025 is given 2 times with different values" in run.stderr


ALIAS_PLAN = """\
indicators:
  - id: stunting_u5
    code: "(3)"
    name: Tỷ lệ trẻ em dưới 5 tuổi bị suy dinh dưỡng thể chiều cao theo tuổi
    name_en: Stunting
    aliases: [SDG 2.2.1, Thấp còi]
    unit: percent
    direction: lower
    targets:
      - {year: 2025, op: "<", value: 25, quote: "xuống dưới 25%"}
"""


def test_an_alias_the_plan_lists_names_its_indicator(tmp_path: Path, write_csv: Any) -> None:
    plan = tmp_path / "demo.yaml"
    plan.write_text(plan_text("demo", ALIAS_PLAN, start=2024, end=2030, baseline=2024), encoding="utf-8")
    path = write_csv(f"{HEADER}Xã A,sdg 2.2.1,2025,20\nXã B,THẤP CÒI,2025,30\nXã C,(3),2025,22\n")
    run = run_cli("evaluate", path, "--plan", plan, "--format", "json", "--lang", "en")
    assert run.stderr == ""
    assert sorted(_results(run)) == [
        ("Xã A", "stunting_u5", 2025, "met"),
        ("Xã B", "stunting_u5", 2025, "not_met"),
        ("Xã C", "stunting_u5", 2025, "met"),
    ]
    listed = run_cli("targets", plan, "--format", "json").json()
    assert listed[0]["aliases"] == ["SDG 2.2.1", "Thấp còi"]


def test_targets_shows_the_id_code_and_name_of_each_indicator() -> None:
    run = run_cli("targets", "province-ct28", env={"COLUMNS": "200"})
    line = next(x for x in run.stdout.splitlines() if "child_marriage_cases" in x)
    assert "Chỉ tiêu 12" in line and "Số trường hợp tảo hôn" in line
    header = next(x for x in run.stdout.splitlines() if "Số hiệu" in x)
    assert header.index("Mã") < header.index("Số hiệu") < header.index("Chỉ tiêu")
    english = run_cli("targets", "province-ct28", "--lang", "en", env={"COLUMNS": "200"}).stdout
    assert "Id" in english and "Number of child marriages in the province" in english


def test_the_python_api_reads_names_and_codes_too() -> None:
    frame = pd.DataFrame({"unit": ["Toàn tỉnh"], "indicator": ["Chỉ tiêu 12"], "year": [2025], "value": [2]})
    results = kpicheck.evaluate(frame, plan="province-ct28")
    row = results[results["indicator"] == "child_marriage_cases"].iloc[0]
    assert (row["value"], row["status"]) == (2, "not_met")


def test_an_ambiguous_name_given_to_the_engine_directly_is_refused() -> None:
    from kpicheck.errors import DataError
    from kpicheck.judge import evaluate
    from kpicheck.read.actuals import read_frame

    plan = Catalog.discover(TARGETS).get("muong-te-ct28")
    frame = read_frame(pd.DataFrame({"unit": ["Xã A"], "indicator": ["(3)"], "year": [2025], "value": [1]}))
    with pytest.raises(DataError) as caught:
        evaluate(plan, frame.frame)
    assert [p.code for p in caught.value.problems] == ["data.ambiguous-indicator"]


SEED_PLANS = [Catalog.discover(TARGETS).get(p) for p in ("province-ct28", "muong-te-ct28", "soc-trang-ct20")]


@settings(max_examples=60, deadline=None)
@given(plan_no=st.integers(0, len(SEED_PLANS) - 1), which=st.integers(0, 200), data=st.data())
def test_every_indicator_of_every_seed_plan_is_found_by_its_id_and_names_in_any_case(
    plan_no: int, which: int, data: st.DataObject
) -> None:
    plan = SEED_PLANS[plan_no]
    names = IndicatorNames.of(plan)
    k = which % len(plan.indicators)
    ind = plan.indicators[k]
    for text in (ind.id, ind.name, ind.name_en):
        flips = data.draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
        written = "".join(c.upper() if f else c.lower() for c, f in zip(text, flips, strict=True))
        written = data.draw(st.sampled_from(["", " ", "\u00a0"])) + written
        found = names.candidates(written)
        assert k in found, (written, found)
        assert text != ind.id or found == (k,)  # an id is never ambiguous
    by_code = [i for i in plan.indicators if i.code == ind.code]
    expected = k if len(by_code) == 1 else AMBIGUOUS
    assert names.positions([ind.code or ""])[0] == (expected if ind.code else -1)


@pytest.mark.parametrize(
    "bad",
    [
        "Xã Bum Nưa,(3),2025,24\n",  # a code two indicators share
        "Xã Bum Nưa,stuntng_u5,2025,24\n",  # no indicator of the plan
        f'Xã Bum Nưa,stunting_u5,2025,24\nXã Bum Nưa,"{STUNTING_VI}",2025,26\n',  # one figure, two names
        "Xã Ka Lăng,stunting_u5,2024,24\nKa Lăng,stunting_u5,2024,25\n",  # one unit written two ways
    ],
)
def test_a_file_refused_once_names_are_matched_is_set_aside_and_the_others_judged(
    write_csv: Any, bad: str
) -> None:
    """PRODUCT.md: on bad input the files that could be read are still judged and the report still
    written, errors first. These problems show only once indicators and units are matched, after
    the read; they stopped the whole run, and no report was written."""
    refused = write_csv(f"{HEADER}{bad}", "refused.csv")
    good = write_csv(f"{HEADER}Xã Tá Bạ,stunting_u5,2025,24\n", "good.csv")
    run = run_cli("evaluate", refused, good, "--plan", "muong-te-ct28", "--format", "json", "--lang", "en")
    assert run.exit_code == 2
    doc = json.loads(run.stdout)
    assert {e["file"] for e in doc["errors"]} == {str(refused)}
    assert ("Xã Tá Bạ", "stunting_u5", 2025, "met") in _results(run)
    assert {r[0] for r in _results(run)} == {"Xã Tá Bạ"}
    assert run.stderr.startswith(f"kpicheck: error: {refused}")
