"""The progress outlook as open-sdg's sdg-build measures it, and one story per row
(README "Projection"; ``kpicheck.judge.projection``)."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sdg_oracle import sdg_status

from helpers import PLAN_HEAD, engine_frame, plan_text, run_cli
from kpicheck.judge import evaluate
from kpicheck.judge.projection import OUTLOOKS, Projection
from kpicheck.plan.model import Plan, ProgressThresholds

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "progress" / "sdg_build_cases.yaml").read_text(encoding="utf-8")
)


def write_plan(
    tmp_path: Path,
    indicators: str,
    *,
    start: int = 2024,
    end: int = 2030,
    baseline: int = 2024,
    extra: str = "",
) -> Path:
    path = tmp_path / "p.yaml"  # named by its id, as validate requires
    path.write_text(
        plan_text("p", extra + "indicators:\n" + indicators, start=start, end=end, baseline=baseline),
        encoding="utf-8",
    )
    return path


def indicator(ident: str, direction: str, *targets: str, unit: str = "count", extra: str = "") -> str:
    lines = [f"  - id: {ident}", f"    name: {ident}", f"    name_en: {ident}", f"    unit: {unit}"]
    lines.append(f"    direction: {direction}")
    if targets:
        lines.append("    targets:")
        lines += [f"      - {{{t}, quote: q}}" for t in targets]
    if extra:
        lines.append(f"    {extra}")
    return "\n".join(lines) + "\n"


def evaluate_csv(tmp_path: Path, plan: Path, rows: str, *options: str) -> list[dict[str, Any]]:
    data = tmp_path / "data.csv"
    data.write_text("unit,indicator,year,value\n" + rows, encoding="utf-8")
    run = run_cli("evaluate", data, "--plan", plan, "--format", "json", *options)
    assert run.exit_code in (0, 1), run.stderr
    results: list[dict[str, Any]] = run.json()["results"]
    return results


def latest(results: list[dict[str, Any]], ident: str = "x") -> dict[str, Any]:
    """The row carrying the outlook of ``ident`` (the unit's latest), or its latest row."""
    rows = [r for r in results if r["indicator"] == ident and r["value"] is not None]
    return max(rows, key=lambda r: r["year"])


OPS = {"lower": ["<", "<=", "=="], "higher": [">", ">=", "=="]}
# high >= med >= low, as a plan must have them
thresholds = st.lists(st.decimals(-1, 2, places=2).map(float), min_size=3, max_size=3).map(
    lambda t: tuple(sorted(t, reverse=True))
)


# --- sdg-build's own cases --------------------------------------------------------------------


def number(value: float) -> str:
    """A figure as a CSV cell; 57.781 is written 57.7810, which kpicheck cannot mistake for 57,781."""
    text = repr(float(value))
    return text + "0" if re.fullmatch(r"-?\d{1,3}\.\d{3}", text) else text


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_sdg_build_case(tmp_path: Path, case: dict[str, Any]) -> None:
    """Each case gives the status sdg-build's code gives, or the documented difference."""
    assert ("kpicheck" in case) == ("why" in case), "a difference needs its reason"
    expected = case.get("kpicheck", case["sdg_build"])
    base = case.get("base_year", 2015)
    target = case.get("target")
    end = target["year"] if target else 2030
    extra = []
    if "limit" in case:
        extra.append(f"limit: {case['limit']}")
    if "progress_thresholds" in case:
        extra.append(
            "progress_thresholds: " + yaml.safe_dump(case["progress_thresholds"], default_flow_style=True)
        )
    targets = [f"year: {target['year']}, op: '{target['op']}', value: {target['value']}"] if target else []
    body = indicator("x", case["direction"], *targets, extra="\n    ".join(e.strip() for e in extra))
    plan = write_plan(tmp_path, body, start=min(base, end), end=end, baseline=base)
    data = tmp_path / "data.csv"
    rows = "".join(f"u,x,{year},{number(value)}\n" for year, value in case["data"])
    data.write_text("unit,indicator,year,value\n" + rows, encoding="utf-8")
    run = run_cli("evaluate", data, "--plan", plan, "--format", "json")
    if expected == "refused":
        assert run.exit_code == 2  # the data (or the plan) is an error
        if run.stdout:  # a refused data file is set aside: the report lists it first and judges nothing
            assert run.json()["errors"] and run.json()["results"] == []
        return
    assert run.exit_code in (0, 1), run.stderr
    outlooks = [r["outlook"] for r in run.json()["results"] if r["outlook"] is not None]
    assert len(outlooks) <= 1
    assert (outlooks[0] if outlooks else None) == expected


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(
    points=st.dictionaries(
        st.integers(2012, 2029), st.decimals(0, 200, places=1).map(float), min_size=1, max_size=6
    ),
    direction=st.sampled_from(["positive", "negative"]),
    target=st.none() | st.decimals(0, 200, places=1).map(float),
    target_year=st.integers(2026, 2035),
    limit=st.none() | st.decimals(0, 200, places=0).map(float),
    chosen=st.none() | thresholds,
)
def test_outlook_equals_the_sdg_build_oracle(
    points: dict[int, float],
    direction: str,
    target: float | None,
    target_year: int,
    limit: float | None,
    chosen: tuple[float, float, float] | None,
) -> None:
    """Random series against our plain transcription of sdg-build (tests/judge/sdg_oracle.py), wherever
    kpicheck does not differ on purpose: the latest year from the base year on, before the target year."""
    assume(max(points) >= 2015 and max(points) < target_year)
    # kpicheck checks ">= 0" as written; sdg-build checks ">= 0.001" (its stand-in for 0).
    assume(not (target == 0 and direction == "positive"))
    high, med, low = chosen or (0.95, 0.6, 0.0)
    targeted = target is not None
    plan = Plan.model_validate(
        {
            **PLAN_HEAD,
            "period": {"start": 2015, "end": target_year},
            "baseline_year": 2015,
            "indicators": [
                {
                    "id": "x",
                    "name": "x",
                    "name_en": "x",
                    "unit": "count",
                    "direction": "higher" if direction == "positive" else "lower",
                    "targets": [
                        {
                            "year": target_year,
                            "op": ">=" if direction == "positive" else "<=",
                            "value": target,
                            "quote": "q",
                        }
                    ]
                    if targeted
                    else [],
                    "limit": limit,
                    "progress_thresholds": {"high": high, "med": med, "low": low},
                }
            ],
        }
    )
    years = sorted(points)
    got = evaluate(plan, engine_frame([("u", "x", y, points[y]) for y in years]))
    outlook = got["outlook"].dropna().tolist()
    expected = sdg_status(
        years,
        [points[y] for y in years],
        direction=direction,
        target=target,
        target_year=target_year,
        limit=limit,
        thresholds={"high": high, "med": med, "low": low} if targeted else None,
    )
    assert outlook == [expected]


# --- one story per row ------------------------------------------------------------------------


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    direction = draw(st.sampled_from(["lower", "higher"]))
    kind = draw(st.sampled_from(["dated", "standing", "relative", "none"]))
    value = st.decimals(0, 100, places=1).map(float)
    targets: list[dict[str, Any]] = []
    if kind == "dated":
        years = draw(st.lists(st.integers(2023, 2030), min_size=1, max_size=3, unique=True))
        targets = [
            {"year": y, "op": draw(st.sampled_from(OPS[direction])), "value": draw(value)} for y in years
        ]
    elif kind == "standing":
        targets = [{"op": draw(st.sampled_from(OPS[direction])), "value": draw(value)}]
    elif kind == "relative":
        years = draw(st.lists(st.integers(2023, 2030), min_size=1, max_size=2, unique=True))
        change = st.decimals(-60, 60, places=0).map(float)
        targets = [
            {
                "year": y,
                "op": draw(st.sampled_from(OPS[direction])),
                "value": draw(change),
                "basis": "relative",
            }
            for y in years
        ]
    high, med, low = draw(thresholds)
    return Plan.model_validate(
        {
            **PLAN_HEAD,
            "period": {"start": 2022, "end": 2030},
            "baseline_year": 2022,
            "progress_thresholds": {"high": high, "med": med, "low": low},
            "indicators": [
                {
                    "id": "x",
                    "name": "x",
                    "name_en": "x",
                    "unit": "percent",
                    "direction": direction,
                    "targets": [dict(t, quote="q") for t in targets],
                    "limit": draw(st.none() | value),
                }
            ],
        }
    )


def satisfies(value: float, op: str, threshold: float) -> bool:
    return {
        "<": value < threshold,
        "<=": value <= threshold,
        ">": value > threshold,
        ">=": value >= threshold,
    }.get(op, value == threshold)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(
    plan=plans(),
    points=st.dictionaries(
        st.integers(2019, 2033),
        st.one_of(st.decimals(0, 100, places=1).map(float), st.just(0.0), st.just(math.nan)),
        min_size=1,
        max_size=7,
    ),
    method=st.sampled_from(["cagr", "linear"]),
)
def test_status_and_outlook_tell_one_story(plan: Plan, points: dict[int, float], method: str) -> None:
    got = evaluate(
        plan, engine_frame([("u", "x", y, v) for y, v in sorted(points.items())]), Projection(method)
    )
    dated = [t.year for t in plan.indicators[0].targets if t.year is not None]
    valid_years = [y for y, v in points.items() if not math.isnan(v)]
    for row in got.itertuples():
        measure = row.change if row.basis == "relative" else row.value
        if row.status == "off_track":  # a value that already satisfies the next target is never behind
            assert not satisfies(measure, row.op, row.target)
        if pd.isna(row.outlook):
            assert pd.isna(row.projected_value)
            continue
        assert row.outlook in OUTLOOKS
        assert row.year == max(valid_years)  # on the unit's latest value only
        assert not dated or row.year < max(dated)  # after the last target year: the verdict alone
        if row.outlook == "target_achieved":
            assert row.status in ("met", "on_track", "not_due")
        if row.status == "no_baseline":  # no change can be measured, so no progress either
            assert row.outlook == "not_available"
        if row.outlook == "not_available":
            assert pd.isna(row.projected_value)
        if not pd.isna(row.projected_value):
            assert 0 <= row.projected_value <= 100


# --- the defects of the issue -----------------------------------------------------------------


def test_a_plan_without_any_target_evaluates(tmp_path: Path) -> None:
    """It passed validate and then exited 3 (IndexError in projection.py)."""
    plan = write_plan(tmp_path, indicator("x", "lower"))
    assert run_cli("validate", plan).exit_code == 0
    results = evaluate_csv(tmp_path, plan, "u,x,2024,40\nu,x,2025,36\n")
    row = latest(results)
    assert (row["status"], row["outlook"]) == ("not_due", "substantial_progress")  # -10 %/year
    assert math.isclose(row["projected_value"], 36 * 0.9**5, rel_tol=1e-6)  # to the plan's end
    one = evaluate_csv(tmp_path, plan, "u,x,2025,36\n")  # one row only
    assert latest(one)["outlook"] == "not_available"


def test_a_count_starting_at_zero_gets_no_absurd_projection(tmp_path: Path) -> None:
    """0 then 5: growth from the 0.001 stand-in projected about 1.3e13; now the outlook is measured
    as sdg-build does and no projected value is printed."""
    plan = write_plan(tmp_path, indicator("x", "lower", "year: 2030, op: '<=', value: 2"))
    row = latest(evaluate_csv(tmp_path, plan, "u,x,2024,0\nu,x,2025,5\n"))
    assert (row["outlook"], row["projected_value"]) == ("deterioration", None)


def test_a_value_that_meets_its_target_is_never_off_track(tmp_path: Path) -> None:
    """Lower is better, baseline 1, target <= 5, value 3: it said off_track and achieved at once."""
    plan = write_plan(tmp_path, indicator("x", "lower", "year: 2030, op: '<=', value: 5"))
    row = latest(evaluate_csv(tmp_path, plan, "u,x,2024,1\nu,x,2026,3\n"))
    assert (row["status"], row["outlook"]) == ("on_track", "target_achieved")
    assert row["path_value"] == 5 and row["gap"] == 2  # the path never asks more than the target


def test_years_before_the_baseline_do_not_change_the_outlook(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, indicator("x", "lower", "year: 2030, op: '<=', value: 10"))
    with_history = latest(evaluate_csv(tmp_path, plan, "u,x,2015,80\nu,x,2024,20\nu,x,2026,18\n"))
    without = latest(evaluate_csv(tmp_path, plan, "u,x,2024,20\nu,x,2026,18\n"))
    assert (with_history["outlook"], with_history["projected_value"]) == (
        without["outlook"],
        without["projected_value"],
    )
    assert without["outlook"] == "limited_progress"  # -5.1 %/year against -10.9 %/year needed


# --- one case per branch ----------------------------------------------------------------------


@pytest.fixture
def two_targets(tmp_path: Path) -> Path:
    return write_plan(
        tmp_path,
        indicator(
            "x",
            "higher",
            "year: 2025, op: '>=', value: 50",
            "year: 2030, op: '>=', value: 80",
            unit="percent",
        ),
    )


def test_at_a_target_year_the_outlook_looks_at_the_next_target(tmp_path: Path, two_targets: Path) -> None:
    row = latest(evaluate_csv(tmp_path, two_targets, "u,x,2024,40\nu,x,2025,50\n"))
    # 25 %/year observed; (80/40) ** (1/6) - 1 = 12.2 %/year needed by 2030
    assert (row["status"], row["outlook"]) == ("met", "substantial_progress")
    assert math.isclose(row["projected_value"], 100.0)  # 50 * 1.25 ** 5 is clipped to 100 %


def test_after_the_last_target_year_there_is_no_outlook(tmp_path: Path, two_targets: Path) -> None:
    for year in (2030, 2032):
        row = latest(evaluate_csv(tmp_path, two_targets, f"u,x,2024,40\nu,x,{year},60\n"))
        assert (row["status"], row["outlook"], row["projected_value"]) == ("not_met", None, None)


def test_missing_its_own_target_is_never_target_achieved(tmp_path: Path) -> None:
    """A later target looser than this year's: the year's not_met is not followed by 'achieved'."""
    plan = write_plan(
        tmp_path,
        indicator(
            "x",
            "higher",
            "year: 2025, op: '>=', value: 50",
            "year: 2030, op: '>=', value: 40",
            unit="percent",
        ),
    )
    row = latest(evaluate_csv(tmp_path, plan, "u,x,2024,45\nu,x,2025,45\n"))
    assert row["status"] == "not_met" and row["outlook"] != "target_achieved"


@pytest.mark.parametrize(
    ("rows", "status", "outlook"),
    [
        ("u,x,2024,0\nu,x,2025,0\n", "met", "target_achieved"),
        ("u,x,2024,8\nu,x,2025,4\n", "not_met", "substantial_progress"),  # growth method: -50 %/year
        ("u,x,2024,4\nu,x,2025,8\n", "not_met", "deterioration"),
    ],
)
def test_a_standing_zero_target_uses_the_growth_method(
    tmp_path: Path, rows: str, status: str, outlook: str
) -> None:
    """'Không để xảy ra': a required growth towards 0.001 means nothing; the growth itself is judged."""
    plan = write_plan(tmp_path, indicator("x", "lower", "op: '==', value: 0"))
    row = latest(evaluate_csv(tmp_path, plan, rows))
    assert (row["status"], row["outlook"]) == (status, outlook)


def test_limit_lowers_the_growth_thresholds_near_it(tmp_path: Path) -> None:
    """'Duy trì 100%': 98 to 98.5 is 0.51 %/year, moderate against 1.5 / 0.5 %; with limit 100 the
    thresholds shrink by 1 - 0.98 ** 4.44 = 0.086 and it is substantial."""
    body = indicator("x", "higher", "op: '>=', value: 100", unit="percent")
    plan = write_plan(tmp_path, body)
    assert (
        latest(evaluate_csv(tmp_path, plan, "u,x,2024,98\nu,x,2025,98.5\n"))["outlook"] == "moderate_progress"
    )
    limited = write_plan(
        tmp_path, indicator("x", "higher", "op: '>=', value: 100", unit="percent", extra="limit: 100")
    )
    assert (
        latest(evaluate_csv(tmp_path, limited, "u,x,2024,98\nu,x,2025,98.5\n"))["outlook"]
        == "substantial_progress"
    )


def test_relative_target_outlook_on_the_change(tmp_path: Path) -> None:
    """'Giảm 20% so với năm 2024': from 50, the target is 40 in 2030; 50 to 47 in two years is
    -3.05 %/year against -3.65 %/year needed: ratio 0.84, moderate progress."""
    plan = write_plan(
        tmp_path,
        indicator("x", "lower", "year: 2030, op: '<=', value: -20, basis: relative"),
    )
    row = latest(evaluate_csv(tmp_path, plan, "u,x,2024,50\nu,x,2026,47\n"))
    assert (row["outlook"], row["change"]) == ("moderate_progress", -6.0)
    assert math.isclose(row["projected_value"], 47 * (47 / 50) ** 2, rel_tol=1e-6)  # a value, like `value`
    met = latest(evaluate_csv(tmp_path, plan, "u,x,2024,50\nu,x,2026,39\n"))
    assert (met["status"], met["outlook"]) == ("on_track", "target_achieved")
    no_base = latest(evaluate_csv(tmp_path, plan, "u,x,2025,50\nu,x,2026,39\n"))
    assert (no_base["status"], no_base["outlook"]) == ("no_baseline", "not_available")


def test_base_year_is_the_first_year_from_the_baseline_on(tmp_path: Path) -> None:
    plan = write_plan(tmp_path, indicator("x", "lower", "year: 2030, op: '<=', value: 10"))
    # No 2024 value: the base is 2025 (20), not 2023; 20 -> 19 is -5 %/year against -12.9 %/year needed.
    row = latest(evaluate_csv(tmp_path, plan, "u,x,2023,40\nu,x,2025,20\nu,x,2026,19\n"))
    assert row["outlook"] == "limited_progress"


def test_linear_uses_the_same_statuses(tmp_path: Path, two_targets: Path) -> None:
    rows = "u,x,2024,40\nu,x,2026,46\nu,x,2027,48\n"  # slope 2.71/year against 40/6 = 6.67/year needed
    row = latest(evaluate_csv(tmp_path, two_targets, rows, "--projection", "linear"))
    assert row["outlook"] == "limited_progress"  # ratio 0.41
    assert math.isclose(row["projected_value"], 40.142857 + 2.714286 * 6, rel_tol=1e-6)  # the line in 2030
    cagr = latest(evaluate_csv(tmp_path, two_targets, rows))
    assert cagr["outlook"] == "limited_progress"  # 6.28 %/year against 12.2 %/year


# --- thresholds -------------------------------------------------------------------------------


def test_thresholds_plan_indicator_and_command_line(tmp_path: Path) -> None:
    """20 -> 17 by 2020 against 10 by 2030: progress value 0.70. Moderate by default, substantial
    with the plan's high 0.7, moderate again with the indicator's own, and whatever the command line says."""
    target = "year: 2030, op: '<=', value: 10"
    rows = "u,x,2015,20\nu,x,2020,17\n"
    years = {"start": 2015, "baseline": 2015}
    plain = write_plan(tmp_path, indicator("x", "lower", target), **years)
    assert latest(evaluate_csv(tmp_path, plain, rows))["outlook"] == "moderate_progress"
    plan_level = "progress_thresholds: {high: 0.7, med: 0.5, low: 0}\n"
    lowered = write_plan(tmp_path, indicator("x", "lower", target), **years, extra=plan_level)
    assert latest(evaluate_csv(tmp_path, lowered, rows))["outlook"] == "substantial_progress"
    own = indicator("x", "lower", target, extra="progress_thresholds: {high: 0.9}")
    both = write_plan(tmp_path, own, **years, extra=plan_level)
    assert latest(evaluate_csv(tmp_path, both, rows))["outlook"] == "moderate_progress"
    options = ("--progress-thresholds", "2,1.5,0.8")
    assert latest(evaluate_csv(tmp_path, both, rows, *options))["outlook"] == "deterioration"


@pytest.mark.parametrize(
    ("setting", "key"),
    [
        ("progress_thresholds: {high: 0.5, med: 0.6}", "progress_thresholds"),  # out of order
        ("progress_thresholds: {high: .inf}", "progress_thresholds.high"),
        ("progress_thresholds: {hihg: 0.9}", "progress_thresholds.hihg"),
        ("limit: -5", "limit"),
    ],
)
def test_bad_thresholds_in_a_plan_name_the_line(tmp_path: Path, setting: str, key: str) -> None:
    plan = write_plan(tmp_path, indicator("x", "lower", extra=setting))
    run = run_cli("validate", plan)
    line = plan.read_text(encoding="utf-8").splitlines().index("    " + setting) + 1
    assert run.exit_code == 2 and f"p.yaml:{line}" in run.stderr and key in run.stderr


@pytest.mark.parametrize("option", ["0.5,0.6,0", "0.9,0.5", "1,nan,0", "high"])
def test_bad_thresholds_on_the_command_line(tmp_path: Path, option: str) -> None:
    data = tmp_path / "data.csv"
    data.write_text("unit,indicator,year,value\nXã Bum Nưa,stunting_u5,2025,20\n", encoding="utf-8")
    run = run_cli("evaluate", data, "--progress-thresholds", option)
    assert run.exit_code == 2
    assert run.stderr.count("\n") == 1 and "--progress-thresholds" in run.stderr


def test_thresholds_are_in_the_schema() -> None:
    schema = run_cli("schema").json()
    assert schema["$defs"]["ProgressThresholds"]["properties"]["high"]["default"] == 0.95
    assert "limit" in schema["$defs"]["Indicator"]["properties"]
    assert "progress_thresholds" in schema["properties"]
    assert ProgressThresholds().model_dump() == {"high": 0.95, "med": 0.6, "low": 0.0}


def test_outlook_labels_in_both_languages(tmp_path: Path, two_targets: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_text("unit,indicator,year,value\nu,x,2024,40\nu,x,2025,50\n", encoding="utf-8")
    assert "Tiến bộ rõ rệt" in run_cli("evaluate", data, "--plan", two_targets, env={"COLUMNS": "200"}).stdout
    english = run_cli("evaluate", data, "--plan", two_targets, "--lang", "en", env={"COLUMNS": "200"}).stdout
    assert "Substantial progress" in english
