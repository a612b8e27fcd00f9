"""The Python API gives what the command line gives, for a DataFrame as much as for a file."""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import kpicheck
from helpers import ROOT, SAMPLES, run_cli

SAMPLE = SAMPLES / "muong-te-ct28.csv"
COMPARED = (
    "plan",
    "unit",
    "indicator",
    "year",
    "value",
    "status",
    "op",
    "target",
    "target_year",
    "gap",
    "note",
)


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """The results as the JSON output has them: plain values, missing as None."""
    out = []
    for row in frame[list(COMPARED)].astype(object).to_dict("records"):
        out.append(
            {
                k: None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else v
                for k, v in row.items()
            }
        )
    return out


def _cli_records(*args: str | Path) -> list[dict[str, object]]:
    payload = run_cli("evaluate", *args, "--format", "json").json()
    return [{k: r[k] for k in COMPARED} for r in payload["results"]]


def test_a_read_csv_frame_gives_the_cli_json(tmp_path: Path) -> None:
    results = kpicheck.evaluate(pd.read_csv(SAMPLE))
    header = run_cli("evaluate", SAMPLE, "--format", "csv").stdout.splitlines()[0]
    assert list(results.columns) == next(csv.reader([header]))
    assert _records(results) == _cli_records(SAMPLE)


def test_a_hand_built_frame_of_text_gives_the_cli_json(tmp_path: Path) -> None:
    rows = [
        ("Xã Bum Nưa", "stunting_u5", "2024", "27"),
        ("Xã Bum Nưa", "stunting_u5", "2025", "24.3"),
        ("Huyện Mường Tè", "child_friendly_communes", "2027", "58"),
        ("Xã Ka Lăng", "preschool_enrolment_5y", "2025", ""),
    ]
    frame = pd.DataFrame(rows, columns=["unit", "indicator", "year", "value"], dtype=object)
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    results = kpicheck.evaluate(frame, plan="muong-te-ct28")
    assert _records(results) == _cli_records(path, "--plan", "muong-te-ct28")
    bum_nua_2025 = results[
        (results["unit"] == "Xã Bum Nưa")
        & (results["year"] == 2025)
        & (results["indicator"] == "stunting_u5")
    ]
    assert bum_nua_2025["status"].tolist() == ["met"] and bum_nua_2025["gap"].tolist() == [0.7]


def test_every_result_is_returned_however_few_a_report_would_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The reports list only some results (``report.keep``); the API returns every one of them,
    as the JSON output has them, even where a report would list three."""
    from kpicheck.report.formats import table_format

    monkeypatch.setattr(table_format, "DETAIL", 3)
    monkeypatch.setattr(table_format, "NAMES", 1)
    results = kpicheck.evaluate(pd.read_csv(SAMPLE))
    assert len(results) > 3
    assert _records(results) == _cli_records(SAMPLE)


def test_results_concatenate_and_merge_with_their_milestones_alongside() -> None:
    """A notebook checks several files and joins the results: the milestones kept beside them must
    not break pandas (a DataFrame in ``attrs`` made every concat and merge raise)."""
    first = kpicheck.evaluate([SAMPLE, SAMPLES / "an-lao-milestones.csv"], as_of="2025-12-20")
    second = kpicheck.evaluate(SAMPLE)
    both = pd.concat([first, second], ignore_index=True)
    assert len(both) == len(first) + len(second)
    merged = first.merge(second, on=["plan", "unit", "indicator", "year"], suffixes=("", "_again"))
    assert (merged["status"] == merged["status_again"]).all()
    milestones = pd.DataFrame(first.attrs["milestones"])
    assert len(milestones) and set(milestones["status"]) <= {"done", "overdue", "pending", "done_late"}
    assert second.attrs["milestones"] == []


def test_paths_and_a_loaded_plan_work_too() -> None:
    plan = kpicheck.load_plan("muong-te-ct28")
    assert plan.id == "muong-te-ct28"
    assert _records(kpicheck.evaluate([SAMPLE], plan=plan)) == _records(kpicheck.evaluate(str(SAMPLE)))


def test_targets_is_the_json_listing_as_a_frame() -> None:
    listed = kpicheck.targets("muong-te-ct28")
    cli = json.loads(run_cli("targets", "muong-te-ct28", "--format", "json").stdout)
    assert listed.astype(object).where(listed.notna(), None).to_dict("records") == cli


def test_bad_input_raises_one_exception_type_with_the_problems() -> None:
    frame = pd.DataFrame(
        {"unit": ["Xã Bum Nưa"], "indicator": ["stunting_u5"], "year": ["20x5"], "value": ["1"]}
    )
    with pytest.raises(kpicheck.KpicheckError) as caught:
        kpicheck.evaluate(frame, plan="muong-te-ct28")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == ("<DataFrame>", 1)
    assert "20x5" in str(caught.value)
    with pytest.raises(kpicheck.KpicheckError):
        kpicheck.load_plan("no-such-plan")


def test_python_dash_m_runs_the_command_line() -> None:
    done = subprocess.run([sys.executable, "-m", "kpicheck", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("kpicheck ")


def test_import_kpicheck_is_light_and_typed() -> None:
    code = (
        "import sys, kpicheck; print(sorted(m for m in ('pandas', 'pydantic', 'rich') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    assert (ROOT / "src" / "kpicheck" / "py.typed").is_file()


def test_the_readme_example_runs(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### From Python", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(ROOT)
    exec(compile(code, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "Xã Tá Bạ" in printed and "stunting_u5" in printed
