"""``--format csv``: the results table as it is, one row per result, UTF-8."""

from __future__ import annotations

from typing import TextIO

from kpicheck.report import Report


def render(report: Report, out: TextIO, color: bool = False) -> None:
    report.results.to_csv(out, index=False, lineterminator="\n")
