"""The README's worked example across the 2025 reform is what kpicheck prints for the sample."""

from __future__ import annotations

import csv
import io

from helpers import ROOT, SAMPLES, run_cli

BEGIN = "<!-- muong-te-2025: checked by tests/test_readme.py -->"
END = "<!-- end of muong-te-2025 -->"
SHOWN = ["unit", "indicator", "year", "value", "status", "built_from", "partial", "area_dissolved"]


def _readme_rows() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split(BEGIN, 1)[1].split(END, 1)[0].strip().splitlines()[2:]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in table]


def test_the_readme_shows_the_samples_results_across_the_reform() -> None:
    run = run_cli("evaluate", SAMPLES / "muong-te-2025.csv", "--rollup", "plan", "--format", "csv")
    assert run.exit_code == 1
    rows = [r for r in csv.DictReader(io.StringIO(run.stdout)) if r["status"] != "no_data"]
    shown = [[r[c] if c != "value" else f"{float(r[c]):.2f}" for c in SHOWN] for r in rows]
    assert shown == _readme_rows()
