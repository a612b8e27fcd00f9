"""``--format json``: one object with ``summary``, ``results`` and ``units`` (README, "Output formats")."""

from __future__ import annotations

import json
from typing import TextIO

from kpicheck.report.report import Report, plain


def render(report: Report, out: TextIO, color: bool = False) -> None:
    payload = {
        "summary": report.summary(),
        "results": report.records(),
        "units": [{k: plain(v) for k, v in row.items()} for row in report.unit_summary().to_dict("records")],
    }
    if len(report.milestones):
        payload["milestones"] = report.milestone_records()
    if report.as_of:
        payload["as_of"] = report.as_of
    json.dump(payload, out, ensure_ascii=False, indent=2)
    out.write("\n")
