"""``--format json``: one object with ``errors``, ``summary``, ``results`` and ``units`` (README,
"Output formats").

Strict JSON: a non-finite number (an ``inf`` a file held) is written as null,
never as the ``Infinity`` or ``NaN`` tokens that JSON parsers refuse.
"""

from __future__ import annotations

import json
from typing import TextIO

from kpicheck.report import errors_section
from kpicheck.report.report import Report, plain


def render(report: Report, out: TextIO, color: bool = False) -> None:
    payload = {
        "errors": errors_section.records(report.errors, report.lang),
        "summary": report.summary(),
        "results": report.records(),
        "units": [{k: plain(v) for k, v in row.items()} for row in report.unit_summary().to_dict("records")],
    }
    if len(report.milestones):
        payload["milestones"] = report.milestone_records()
    if report.as_of:
        payload["as_of"] = report.as_of
    # Every value went through ``plain``: a NaN or an infinity left would be a bug, refused here.
    json.dump(payload, out, ensure_ascii=False, indent=2, allow_nan=False)
    out.write("\n")
