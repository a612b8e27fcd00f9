"""A report for people holds only the rows it lists, and writes what it would write from every result.

markdown, junit, html and xlsx list the first results, the worst failures, a
few units per chart, and count the rest (``report.keep``). With their limits
made small, a file of 60 units and 1,309 results (1,200 figures and the ones not given) passes every one of them;
each report is compared byte for byte with the same format rendered from every
result (the format's ``keeps`` removed, so the run holds every row), with the
file judged in one chunk and in many.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kpicheck
from helpers import run_cli, without_area
from kpicheck import pipeline
from kpicheck.judge import rows as judge_rows
from kpicheck.plan.model import Plan
from kpicheck.report import formats, keep
from kpicheck.report.formats import html_format, junit_format, markdown_format, table_format, xlsx_format
from kpicheck.report.layout import RenderOptions
from kpicheck.report.report import Report
from kpicheck.statuses import DEFAULT_FAIL_ON

MODULES = {
    "markdown": markdown_format,
    "junit": junit_format,
    "html": html_format,
    "xlsx": xlsx_format,
    "table": table_format,
}
IDS = ["stunting_u5", "underweight_u5", "child_friendly_communes", "not_in_the_plan"]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """60 units × 4 indicators × 5 years, some values missing, some not numbers, a few noted."""
    rng = np.random.default_rng(11)
    lines = ["unit,indicator,year,value,Ghi chú"]
    for u in range(60):
        for ind in IDS:
            for year in (2021, 2023, 2024, 2025, 2027):
                value = f"{rng.uniform(0, 100):.1f}"
                draw = rng.random()
                if draw < 0.05:
                    value = str(rng.choice(["", "n/a", "khoảng 30"]))
                note = "số liệu sơ bộ" if rng.random() < 0.04 else ""
                lines.append(f"Xã {u:03d},{ind},{year},{value},{note}")
    path = tmp_path / "data.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    without_area(tmp_path)
    return path


@pytest.fixture(autouse=True)
def held_however_small(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run of fewer than ``HOLD_ALL_UNDER`` rows holds every result: here every run holds only
    what its format lists, as a national one does."""
    monkeypatch.setattr(pipeline, "HOLD_ALL_UNDER", 0)


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Limits a file of 1,200 results passes: every table is cut, the grid counts, charts draw a band."""
    monkeypatch.setattr(markdown_format, "LIMIT", 9_000)
    monkeypatch.setattr(junit_format, "CASES", 300)
    for name, value in {
        "FAILED_ROWS": 7,
        "BY_INDICATOR_FROM": 5,
        "GRID_UNITS": 4,
        "NOTE_ROWS": 3,
        "CHART_UNITS": 2,
        "UNIT_ROWS": 10,
    }.items():
        monkeypatch.setattr(html_format, name, value)
    monkeypatch.setattr(xlsx_format, "RESULT_ROWS", 50)
    monkeypatch.setattr(xlsx_format, "FAILED_ROWS", 20)
    monkeypatch.setattr(table_format, "DETAIL", 100)
    monkeypatch.setattr(table_format, "NAMES", 2)


def _report(fmt: str, data: Path, out: Path, *extra: str) -> bytes:
    run = run_cli(
        "evaluate",
        data,
        "--plan",
        data.parent / "muong-te-ct28.yaml",
        "--format",
        fmt,
        "-o",
        out,
        *extra,
        env={"SOURCE_DATE_EPOCH": "0"},
    )
    assert run.exit_code == 1, run.stderr
    if fmt == "xlsx":
        with zipfile.ZipFile(out) as book:
            return b"".join(book.read(name) for name in sorted(book.namelist()))
    return out.read_bytes()


@pytest.mark.usefixtures("small_limits")
@pytest.mark.parametrize("fmt", list(MODULES))
@pytest.mark.parametrize("chunk_rows", [100_000, 37])
@pytest.mark.parametrize(
    "extra", [(), ("--lang", "en", "--fail-on", "not_met"), ("--only-failed", "--summary-first")]
)
def test_what_is_held_renders_what_every_result_renders(
    fmt: str,
    chunk_rows: int,
    extra: tuple[str, ...],
    data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(judge_rows, "CHUNK_ROWS", chunk_rows)
    held = _report(fmt, data, tmp_path / f"held.{fmt}", *extra)
    monkeypatch.delattr(MODULES[fmt], "keeps")  # no list of what it shows: every result is held
    every = _report(fmt, data, tmp_path / f"every.{fmt}", *extra)
    assert held == every


@pytest.mark.usefixtures("small_limits")
def test_the_limits_are_passed_and_said(data: Path, tmp_path: Path) -> None:
    """The comparison above means something only if the limits cut: each report says it left rows
    out, counts every result, and the HTML draws a band and counts its grid."""
    page = _report("html", data, tmp_path / "r.html").decode()
    assert "Hiển thị 7 trên 263;" in page  # what failed
    assert "Hiển thị 3 trên 22;" in page  # the units' notes
    assert "10/50/90%" in page and 'class="bar"' in page  # a band in the charts, the grid counted
    markdown = _report("markdown", data, tmp_path / "r.md").decode()
    assert "<summary>Chi tiết: 1309</summary>" in markdown  # 1,200 rows, and the figures not given
    assert "Hiển thị 22 trên 263;" in markdown and "trên 1.309;" in markdown
    junit = _report("junit", data, tmp_path / "r.xml").decode()
    assert '<testsuite name="muong-te-ct28" tests="60" failures="60"' in junit  # one case per unit
    table = _report("table", data, tmp_path / "r.txt").decode()
    assert "Hiển thị 25 trên 173;" in table  # each indicator's first lines
    assert "Thiếu số liệu 2027: Xã 000, Xã 001, và 58 đơn vị khác" in table  # units counted


def test_a_report_holds_only_the_rows_it_lists(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the run hands the format: the listed rows, not 1,309 (the memory a national file saves)."""
    monkeypatch.setattr(judge_rows, "CHUNK_ROWS", 37)
    monkeypatch.setattr(xlsx_format, "RESULT_ROWS", 30)
    monkeypatch.setattr(xlsx_format, "FAILED_ROWS", 10)
    options = pipeline.Options(
        data=[data], plan=str(data.parent / "muong-te-ct28.yaml"), fmt="xlsx", output=None
    )
    outcome = pipeline.run(options)
    assert outcome.report is not None
    assert outcome.report.result_count() == sum(outcome.counts.values()) == 1309
    assert 30 <= len(outcome.report.results) <= 40  # the first 30, and the worst 10 failures


def test_a_small_run_holds_every_result(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under ``HOLD_ALL_UNDER`` rows a report holds every result, judged once."""
    monkeypatch.setattr(pipeline, "HOLD_ALL_UNDER", 50_000)
    options = pipeline.Options(
        data=[data], plan=str(data.parent / "muong-te-ct28.yaml"), fmt="xlsx", output=None
    )
    outcome = pipeline.run(options)
    assert outcome.report is not None and outcome.report.outline is None
    assert len(outcome.report.results) == outcome.report.result_count() == 1309


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, Plan]:
    """The 60 units' results, every one, and their plan."""
    folder = tmp_path_factory.mktemp("judged")
    rng = np.random.default_rng(5)
    lines = ["unit,indicator,year,value,Ghi chú"]
    for u in range(60):
        for ind in IDS:
            for year in (2021, 2023, 2024, 2025, 2027):
                value = "" if rng.random() < 0.08 else f"{rng.uniform(0, 100):.1f}"
                note = "sơ bộ" if rng.random() < 0.05 else ""
                lines.append(f"Xã {u:03d},{ind},{year},{value},{note}")
    data = folder / "data.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    plan = kpicheck.load_plan(without_area(folder))
    return kpicheck.evaluate(data, plan), plan


@pytest.mark.slow  # 40 examples, each rendering a format twice: about 30 s
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fmt=st.sampled_from(sorted(MODULES)),
    small=st.integers(1, 40),
    units=st.integers(1, 70),
    only_failed=st.booleans(),
    fail_on=st.sampled_from([DEFAULT_FAIL_ON, frozenset({"not_met"}), frozenset({"no_data", "invalid"})]),
)
def test_any_limits_held_rows_render_as_every_result(
    judged: tuple[pd.DataFrame, Plan],
    fmt: str,
    small: int,
    units: int,
    only_failed: bool,
    fail_on: frozenset[str],
) -> None:
    """Whatever the limits, the failing statuses and the table's mode: the rows ``keeps`` chooses
    from the outline render what every result renders."""
    results, plan = judged
    limits = {
        markdown_format: {"LIMIT": 200 * small},
        junit_format: {"CASES": 30 * small},
        html_format: {"FAILED_ROWS": small, "GRID_UNITS": units, "NOTE_ROWS": small, "CHART_UNITS": small},
        xlsx_format: {"RESULT_ROWS": 10 * small, "FAILED_ROWS": small},
        table_format: {"DETAIL": 10 * small, "NAMES": small},
    }
    with pytest.MonkeyPatch.context() as patch:
        for module, values in limits.items():
            for name, value in values.items():
                patch.setattr(module, name, value)
        when = dt.datetime(2026, 1, 1)
        layout = RenderOptions(only_failed=only_failed)
        every = Report(results, {plan.id: plan}, fail_on=fail_on, generated=when, options=layout)
        held = Report(
            results.iloc[:0],
            {plan.id: plan},
            fail_on=fail_on,
            generated=when,
            options=layout,
            outline=keep.outline(results),
        )
        wanted = keep.rows_to_keep(held, formats.keeps(fmt))  # type: ignore[arg-type]
        held.results = results[wanted].reset_index(drop=True)
        assert len(held.results) < len(results) or small * units >= 40
        assert _rendered(fmt, held) == _rendered(fmt, every)


def _rendered(fmt: str, report: Report) -> bytes:
    if formats.FORMATS[fmt].binary:
        out = io.BytesIO()
        formats.renderer(fmt)(report, out, False)
        with zipfile.ZipFile(io.BytesIO(out.getvalue())) as book:
            return b"".join(book.read(name) for name in sorted(book.namelist()))
    text = io.StringIO()
    formats.renderer(fmt)(report, text, False)
    return text.getvalue().encode()
