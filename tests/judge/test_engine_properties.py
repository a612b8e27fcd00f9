"""Rules that must hold for every operator, threshold and value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import PLAN_HEAD, ROOT, engine_frame
from kpicheck.judge import evaluate
from kpicheck.plan.model import Plan

OPS_BY_DIRECTION = {"lower": ["<", "<=", "=="], "higher": [">", ">=", "=="]}
values = st.decimals(min_value=0, max_value=100, places=2).map(float)


def plan_with(direction: str, op: str, threshold: float, years: tuple[int, ...] = (2025,)) -> Plan:
    return Plan.model_validate(
        {
            **PLAN_HEAD,
            "period": {"start": 2024, "end": 2030},
            "baseline_year": 2024,
            "indicators": [
                {
                    "id": "x",
                    "name": "x",
                    "name_en": "x",
                    "unit": "percent",
                    "direction": direction,
                    "targets": [{"year": y, "op": op, "value": threshold, "quote": "q"} for y in years],
                }
            ],
        }
    )


def good_side(direction: str, op: str, threshold: float, value: float) -> bool:
    if op == "==":
        return value == threshold
    return value <= threshold if direction == "lower" else value >= threshold


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(
    direction=st.sampled_from(["lower", "higher"]),
    data=st.data(),
    threshold=values,
    value=values,
)
def test_gap_sign_agrees_with_status(
    direction: str, data: st.DataObject, threshold: float, value: float
) -> None:
    op = data.draw(st.sampled_from(OPS_BY_DIRECTION[direction]))
    result = evaluate(plan_with(direction, op, threshold), engine_frame([("u", "x", 2025, value)])).iloc[0]
    assert result["status"] in ("met", "not_met")
    if result["status"] == "met":
        assert result["gap"] >= 0
    else:
        assert result["gap"] <= 0
    if result["gap"] > 0:
        assert result["status"] == "met"
    # Strictly on the good side of a threshold never fails, whatever the operator.
    strictly_better = value < threshold if direction == "lower" else value > threshold
    if strictly_better and op != "==":
        assert result["status"] == "met"
    if not good_side(direction, op, threshold, value):
        assert result["status"] == "not_met"


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(
    direction=st.sampled_from(["lower", "higher"]),
    data=st.data(),
    first=values,
    second=values,
    year=st.integers(min_value=2024, max_value=2034),
    value=values,
    better_by=st.decimals(min_value="0.01", max_value=50, places=2).map(float),
)
def test_improving_a_value_never_worsens_its_status(
    direction: str,
    data: st.DataObject,
    first: float,
    second: float,
    year: int,
    value: float,
    better_by: float,
) -> None:
    op = data.draw(st.sampled_from([o for o in OPS_BY_DIRECTION[direction] if o != "=="]))
    plan = plan_with(direction, op, first, years=(2025,))
    plan = plan.model_copy(
        update={
            "indicators": [
                plan.indicators[0].model_copy(
                    update={
                        "targets": [
                            *plan.indicators[0].targets,
                            plan.indicators[0].targets[0].model_copy(update={"year": 2030, "value": second}),
                        ]
                    }
                )
            ]
        }
    )
    better = value - better_by if direction == "lower" else value + better_by
    better = min(max(better, 0.0), 100.0)
    before = evaluate(plan, engine_frame([("u", "x", year, value)])).iloc[0]["status"]
    after = evaluate(plan, engine_frame([("u", "x", year, better)])).iloc[0]["status"]
    worse_pairs = {("on_track", "off_track"), ("met", "not_met")}
    assert (before, after) not in worse_pairs


def test_chunked_evaluation_equals_whole(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Cutting the data between units changes nothing but memory."""
    from kpicheck.judge import concat_results, count_statuses, unit_chunks
    from kpicheck.plan.catalog import Catalog
    from kpicheck.read.actuals import read_actuals

    plan = Catalog.discover(ROOT / "targets").get("muong-te-ct28")
    data = read_actuals([ROOT / "samples" / "muong-te-ct28.csv"]).frame
    data = data.sample(frac=1.0, random_state=1).reset_index(drop=True)  # units out of order
    whole = evaluate(plan, data)
    chunked = concat_results([evaluate(plan, rows) for rows in unit_chunks(data, chunk_rows=5)])
    assert count_statuses(plan, data) == whole["status"].value_counts()[lambda c: c > 0].to_dict()
    key = ["unit", "indicator", "year", "status"]

    def norm(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.astype(
            {c: str for c in ("unit", "indicator", "status", "op", "outlook", "note", "basis")}
        )
        return out.sort_values(key).reset_index(drop=True)

    pd.testing.assert_frame_equal(norm(whole), norm(chunked), check_dtype=False, check_categorical=False)


@pytest.mark.slow
def test_parallel_chunks_in_the_cli_equal_one_whole_evaluation(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """More rows than one chunk: the CLI judges chunks on two threads; nothing may change."""
    from helpers import run_cli, without_area
    from kpicheck.judge import CHUNK_ROWS, count_statuses
    from kpicheck.plan.catalog import read_plan_file
    from kpicheck.read.actuals import read_actuals

    plan_file = without_area(tmp_path)  # synthetic unit names: a plan taking any name
    plan = read_plan_file(plan_file)
    rng = np.random.default_rng(7)
    n_units = CHUNK_ROWS // (2 * len(plan.indicators)) + 50
    lines = ["unit,indicator,year,value"]
    for u in range(n_units):
        for ind in plan.indicators:
            for year in (2024, 2025):
                lines.append(f"Xã {u:05d},{ind.id},{year},{rng.uniform(0, 100):.1f}")
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = run_cli("evaluate", path, "--plan", plan_file, "--format", "json")
    assert run.exit_code == 1
    whole = count_statuses(plan, read_actuals([path]).frame)  # one piece, one thread
    assert {k: v for k, v in run.json()["summary"].items() if v} == whole
    assert len(lines) - 1 > CHUNK_ROWS


@pytest.mark.slow
@given(
    rows=st.lists(
        st.tuples(st.integers(0, 3), st.one_of(st.integers(2018, 2032), st.integers(1000, 9999))),
        max_size=60,
    )
)
@settings(max_examples=150, deadline=None)
def test_locating_by_cells_equals_locating_each_row(rows: list[tuple[int, int]]) -> None:
    """The per-cell lookup (and its fallback for scattered years) finds what a search per row finds."""
    from dataclasses import fields

    from kpicheck.judge.targets import TargetTable, locate, locate_rows
    from kpicheck.plan.catalog import Catalog

    table = TargetTable.of(Catalog.discover(ROOT / "targets").get("muong-te-ct28"))
    ind = np.array([r[0] for r in rows], dtype=np.int64)
    year = np.array([r[1] for r in rows], dtype=np.int64)
    expected, found = locate(table, ind, year), locate_rows(table, ind, year)
    for f in fields(expected):
        np.testing.assert_array_equal(getattr(found, f.name), getattr(expected, f.name), err_msg=f.name)


@given(
    cells=st.lists(st.tuples(st.integers(0, 6), st.integers(0, 3), st.integers(2015, 2030)), max_size=50),
    asks=st.lists(st.tuples(st.integers(-1, 8), st.integers(0, 3), st.integers(2010, 2035)), max_size=30),
)
@settings(max_examples=150, deadline=None)
def test_series_look_up_by_cube_equals_binary_search(
    cells: list[tuple[int, int, int]], asks: list[tuple[int, int, int]]
) -> None:
    """A unit's value in a year is found the same way in the dense cube as by searching sorted keys."""
    from dataclasses import replace

    from kpicheck.judge.series import Series

    cells = list(dict.fromkeys(cells))  # one value per unit, indicator and year, as the reader ensures
    unit, ind, year = (np.array([c[i] for c in cells], dtype=np.int64) for i in range(3))
    value = np.arange(len(cells), dtype=np.float64)
    series = Series.of(unit, ind, year, value, np.ones(len(cells), dtype=bool), n_ind=4)
    ask = [np.array([a[i] for a in asks], dtype=np.int64) for i in range(3)]
    np.testing.assert_array_equal(series.get(*ask), replace(series, grid=None).get(*ask))


@pytest.mark.slow
def test_years_far_apart_keep_memory_bounded(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """One unit reporting 2025 and the next 2100 must not make a units × years cube (with 9999,
    before years outside 1945-2100 were refused, it took 22 GB)."""
    import subprocess
    import sys

    from helpers import without_area

    rows = [f"Xã {u:05d},stunting_u5,{2025 if u % 2 else 2100},20" for u in range(20_000)]
    data = tmp_path / "years.csv"
    data.write_text("unit,indicator,year,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    plan = str(without_area(tmp_path))  # synthetic unit names: a plan taking any name
    code = (
        "import resource, sys\n"
        "from kpicheck.cli import main\n"
        f"sys.argv = ['kpicheck', 'evaluate', {str(data)!r}, '--plan', {plan!r}, '--quiet']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    print(exit.code, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    exit_code, peak_mib = (int(x) for x in done.stdout.split())
    assert exit_code == 1, done.stderr
    assert "10000 Đạt · 10000 Không đạt" in done.stderr  # 2100 is past the plan: the last target applies
    assert peak_mib < 1024
