"""Every output format renders the same results; whole outputs compared with golden files.

Regenerate after an intended change with ``KPICHECK_UPDATE_GOLDEN=1 pytest tests/report/test_formats.py``
and review the diff.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from helpers import GOLDEN, REPORT_DATA, run_cli, without_area
from kpicheck.report.formats import FORMATS

MILESTONES = "unit,milestone,year,done\nXã Bum Nưa,annual_report_units,2025,2025-11-20\nXã Ka Lăng,annual_report_units,2025,\n"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "data.csv").write_text(REPORT_DATA, encoding="utf-8")
    (tmp_path / "ms.csv").write_text(MILESTONES, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def render(fmt: str, *extra: str) -> str:
    run = run_cli(
        "evaluate",
        "data.csv",
        "--milestones",
        "ms.csv",
        "--as-of",
        "2025-12-01",
        "--format",
        fmt,
        *extra,
        env={"COLUMNS": "200", "SOURCE_DATE_EPOCH": "1764547200"},
    )
    assert run.exit_code == 1, run.stderr
    return run.stdout


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown", "junit", "html"])
def test_format_matches_golden(workdir: Path, fmt: str) -> None:
    out = render(fmt)
    golden = GOLDEN / f"muong-te.{fmt}"
    if os.environ.get("KPICHECK_UPDATE_GOLDEN"):
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


def test_every_format_choice_renders(workdir: Path) -> None:
    for fmt in FORMATS:
        if FORMATS[fmt].binary:  # written to a file; tests/report/test_report_formats.py opens it
            path = workdir / f"out.{fmt}"
            assert run_cli("evaluate", "data.csv", "--format", fmt, "-o", path).exit_code == 1
            assert path.stat().st_size > 0, fmt
        else:
            assert render(fmt).strip(), fmt


def test_english_table(workdir: Path) -> None:
    out = render("table", "--lang", "en")
    assert "Stunting prevalence among children under 5" in out and "Summary:" in out and "By unit" in out


def test_junit_parses_with_failures_as_failures(workdir: Path) -> None:
    root = ET.fromstring(render("junit"))
    cases = root.findall(".//testcase")
    failures = {c.get("name") for c in cases if c.find("failure") is not None}
    assert "Xã Bum Nưa / underweight_u5 / 2025" in failures  # 19 is not "dưới 19%"
    assert "Huyện Mường Tè / child_friendly_communes / 2027" in failures  # off track
    assert "Xã Ka Lăng / preschool_enrolment_5y / 2025" in failures  # blank value: invalid
    assert "Xã Ka Lăng / annual_report_units / 2025" in failures  # overdue on 2025-12-01
    assert int(root.get("failures")) == len(failures)
    assert int(root.get("tests")) == len(cases)
    passed = [c for c in cases if c.get("name") == "Xã Bum Nưa / stunting_u5 / 2025"]
    assert passed and passed[0].find("failure") is None and passed[0].find("skipped") is None


def test_junit_with_a_real_junit_parser(workdir: Path) -> None:
    junitparser = pytest.importorskip("junitparser")
    path = workdir / "report.xml"
    run_cli("evaluate", "data.csv", "--format", "junit", "-o", path)
    xml = junitparser.JUnitXml.fromfile(str(path))
    suites = list(xml)
    assert sum(s.failures for s in suites) == 3
    assert sum(s.tests for s in suites) == sum(1 for s in suites for _ in s)


def test_fail_on_decides_junit_failures_and_exit_code(workdir: Path) -> None:
    run = run_cli("evaluate", "data.csv", "--format", "junit", "--fail-on", "invalid")
    assert run.exit_code == 1
    failures = [c for c in ET.fromstring(run.stdout).iter("testcase") if c.find("failure") is not None]
    assert len(failures) == 1
    assert run_cli("evaluate", "data.csv", "--fail-on", "overdue", "-q").exit_code == 0


def test_quiet_prints_only_the_summary(workdir: Path) -> None:
    run = run_cli("evaluate", "data.csv", "--quiet")
    assert run.stdout == ""
    assert run.stderr.startswith("Tổng hợp:")


def test_projection_appears_in_every_format(workdir: Path) -> None:
    """Stunting 30, 27, 24.3 projects to 14.35% by 2030, substantial progress; every format says the year."""
    assert "2030: 14,35% Tiến bộ rõ rệt" in render("table")
    assert "2030: 14,35% Tiến bộ rõ rệt" in render("markdown")
    assert "dự báo 2030: 14,35% Tiến bộ rõ rệt" in render("junit")
    assert "14.348907" in render("csv") and "substantial_progress" in render("csv")
    stunting = [
        r
        for r in json.loads(render("json"))["results"]
        if r["indicator"] == "stunting_u5" and r["year"] == 2025 and r["unit"] == "Xã Bum Nưa"
    ]
    assert (stunting[0]["projected_value"], stunting[0]["outlook"]) == (14.348907, "substantial_progress")
    page = render("html")  # the chart's hollow projection marker, in the unit's colour, says its year
    assert "<title>Xã Bum Nưa 2030: 14,35%</title>" in page


def test_html_is_self_contained(workdir: Path) -> None:
    page = render("html")
    assert page.startswith("<!DOCTYPE html>")
    assert _external_resources(page) == []  # opens without network
    assert "<script" not in page  # nothing to run: it prints and archives as it is
    assert page.count('<svg class="chart"') == 3  # one chart per indicator with figures
    assert "Tỷ lệ trẻ em dưới 5 tuổi bị suy dinh dưỡng thể chiều cao theo tuổi" in page
    assert '<table class="grid">' in page


def _external_resources(page: str) -> list[str]:
    """src/href attributes of tags that would fetch something from the network."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            for name, value in attrs:
                if name in ("src", "href") and value and not value.startswith(("#", "data:")):
                    found.append(f"<{tag} {name}={value}>")

    Parser().feed(page)
    return found


def test_streamed_csv_file_equals_the_rendered_csv(workdir: Path) -> None:
    """-o FILE with --format csv is written chunk by chunk; it must equal the whole render."""
    out = workdir / "results.csv"
    run = run_cli("evaluate", "data.csv", "--format", "csv", "-o", out)
    assert run.exit_code == 1 and run.stdout == ""
    assert out.read_text(encoding="utf-8") == run_cli("evaluate", "data.csv", "--format", "csv").stdout
    assert oct(out.stat().st_mode & 0o777) != oct(0o600)  # an ordinary file, not mkstemp's 0600


@pytest.mark.slow
def test_streamed_csv_of_many_chunks_equals_the_rendered_csv(tmp_path: Path) -> None:
    """Several chunks on two threads, written from Arrow without pandas: byte for byte the rendered CSV.

    The data hold what gives the columns their odd values: unknown indicators, text
    where a number belongs, blanks, numerators with denominators, a relative target.
    """
    from kpicheck.judge import CHUNK_ROWS

    rng = np.random.default_rng(11)
    ids = ["stunting_u5", "underweight_u5", "child_friendly_communes", "not_in_the_plan"]
    lines = ["unit,indicator,year,value,numerator,denominator"]
    n_units = CHUNK_ROWS // (len(ids) * 3) + 40
    for u in range(n_units):
        for ind in ids:
            for year in (2023, 2024, 2025):
                value = f"{rng.uniform(0, 100):.2f}"
                if rng.random() < 0.02:
                    value = rng.choice(["", "n/a", "khoảng 30"])
                lines.append(
                    f"Xã {u:05d},{ind},{year},{value},{rng.integers(0, 40)},{rng.integers(100, 900)}"
                )
    data = tmp_path / "many.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "results.csv"
    plan = without_area(tmp_path)  # synthetic unit names: a plan taking any name
    run = run_cli("evaluate", data, "--plan", plan, "--format", "csv", "-o", out)
    assert run.exit_code == 1, run.stderr
    rendered = run_cli("evaluate", data, "--plan", plan, "--format", "csv").stdout
    written = out.read_text(encoding="utf-8")
    assert written == rendered
    assert len(written.splitlines()) > CHUNK_ROWS and "không phải là số: 'khoảng 30'" in written
