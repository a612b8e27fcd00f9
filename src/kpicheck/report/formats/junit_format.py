"""``--format junit``: one test case per unit × indicator × year, for CI test reports.

Statuses in ``--fail-on`` are failures; ``not_due``, ``no_data`` and
``unknown_indicator`` not in it are skipped; everything else passes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any, TextIO

import pandas as pd

from kpicheck.report import errors_section
from kpicheck.report.report import Report

SKIPPED = {"not_due", "no_data", "unknown_indicator", "no_baseline", "pending"}


def render(report: Report, out: TextIO, color: bool = False) -> None:
    suites = ET.Element("testsuites", name="kpicheck")
    errors_section.junit_suite(suites, report.errors)
    for plan_id, rows in report.results.groupby("plan", sort=False, observed=True):
        suite = ET.SubElement(suites, "testsuite", name=str(plan_id))
        for row in rows.itertuples(index=False):
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"{plan_id}.{row.indicator}",
                name=f"{row.unit} / {row.indicator} / {row.year}",
            )
            message = _message(row)
            _outcome(case, str(row.status), message, report.fail_on)
        _count(suite)
    if len(report.milestones):
        suite = ET.SubElement(suites, "testsuite", name="milestones")
        for m in report.milestones.itertuples(index=False):
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"{m.plan}.{m.milestone}",
                name=f"{m.unit} / {m.milestone} / {m.year}",
            )
            _outcome(
                case,
                str(m.status),
                f"{m.status}: due {m.due}, done {m.done_on or '-'}",
                report.fail_on,
            )
        _count(suite)
    _count(suites)
    ET.indent(suites)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(suites, encoding="unicode"))
    out.write("\n")


def _message(row: Any) -> str:
    parts = [f"{row.status}: value {row.value}"]
    if row.op is not None and not pd.isna(row.target):
        year = "every year" if pd.isna(row.target_year) else row.target_year
        parts.append(f"target {row.op} {row.target} ({year})")
    if not pd.isna(row.gap):
        parts.append(f"gap {row.gap}")
    if not pd.isna(row.outlook):
        projected = "" if pd.isna(row.projected_value) else f"{row.projected_value:g} "
        parts.append(f"projection {projected}({row.outlook})")
    if row.small_numerator:
        parts.append(f"unstable: only {row.numerator:g} events (fewer than 20)")
    if isinstance(row.note, str):
        parts.append(row.note)
    return "; ".join(parts)


def _outcome(case: ET.Element, status: str, message: str, fail_on: frozenset[str]) -> None:
    if status in fail_on:
        ET.SubElement(case, "failure", message=message, type=status).text = message
    elif status in SKIPPED:
        ET.SubElement(case, "skipped", message=message)
    else:
        ET.SubElement(case, "system-out").text = message


def _count(element: ET.Element) -> None:
    cases = list(element.iter("testcase"))
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(c.find("failure") is not None for c in cases)))
    element.set("skipped", str(sum(c.find("skipped") is not None for c in cases)))
    element.set("errors", str(sum(c.find("error") is not None for c in cases)))
