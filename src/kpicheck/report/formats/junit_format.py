"""``--format junit``: one test case per unit × indicator × year, for CI test reports.

Statuses in ``--fail-on`` are failures; ``not_due``, ``no_data`` and
``unknown_indicator`` not in it are skipped; everything else passes. A case
carries the ``file`` and ``line`` of its figure, which test-report viewers
turn into an annotation on that line, and a message in the report's language
with numbers written as the other formats write them (``27,9%``, never
``nan`` or ``-0.166666667``). Test names stay ids (``unit / indicator /
year``), so a CI's history of a test survives a change of language.

A plan with more than ``CASES`` results (a national file has two million)
gets one test case per unit instead, failing when any of the unit's results
fails, its message counting them by status: a test report of millions of
cases is more than a CI page shows or a person reads, and every result is
still counted. The suite says so and where the full list is.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any, TextIO

from kpicheck.report import errors_section
from kpicheck.report.cells import Cells, missing
from kpicheck.report.keep import Keeps
from kpicheck.report.labels import Lang, label, number, whole
from kpicheck.report.report import Report

SKIPPED = {"not_due", "no_data", "unknown_indicator", "no_baseline", "pending"}
CASES = 10_000  # results of one plan; more become one test case per unit


def keeps() -> Keeps:
    """Every result of a plan that gets one test case per result; the others are counted."""
    return Keeps(plan_results=CASES)


def render(report: Report, out: TextIO, color: bool = False) -> None:
    suites = ET.Element("testsuites", name="kpicheck")
    errors_section.junit_suite(suites, report.errors, report.lang)
    cells = Cells(report.plans, report.lang)
    for plan_id in report.plan_ids():
        suite = ET.SubElement(suites, "testsuite", name=plan_id)
        if report.result_count(plan_id) > CASES:
            _unit_cases(suite, plan_id, report.rows_of(plan_id, every=True), report)
            _count(suite)
            continue
        for row in report.rows_of(plan_id).itertuples(index=False):
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"{plan_id}.{row.indicator}",
                name=f"{row.unit} / {row.indicator} / {row.year}",
            )
            if not missing(row.file):
                case.set("file", str(row.file))
            if not missing(row.line):
                case.set("line", str(int(row.line)))
            _outcome(case, str(row.status), message(row, cells), report.fail_on)
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
            _outcome(case, str(m.status), _milestone_message(m, report.lang), report.fail_on)
        _count(suite)
    _count(suites)
    ET.indent(suites)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(suites, encoding="unicode"))
    out.write("\n")


def message(row: Any, cells: Cells) -> str:
    """``Không đạt: 27,9% · mục tiêu < 25% · chênh lệch -2,9 · dự báo 2030: 21,1% Cần tăng tốc``,
    then kpicheck's note and the unit's own (``ghi chú của đơn vị: số liệu sơ bộ``)."""
    lang = cells.lang
    parts = [f"{cells.status(row)}: {cells.value(row)}"]
    target = cells.target(row)
    if target:
        parts.append(f"{label('target', lang).lower()} {target}")
    gap = cells.gap(row)
    if gap:
        parts.append(f"{label('gap', lang).lower()} {gap}")
    projection = cells.projection(row) if not missing(row.projected_value) else ""
    if projection:
        parts.append(f"{label('projection', lang).lower()} {projection}")
    if row.small_numerator:
        events = "?" if missing(row.numerator) else number(row.numerator, lang)
        parts.append(label("few_events", lang).format(n=events))
    note = cells.note(row)
    if note and note != cells.value(row):  # a value that is missing or not a number is shown as its note
        parts.append(note)
    user_note = cells.user_note(row)
    if user_note:
        parts.append(f"{label('user_note', lang).lower()}: {user_note}")
    return " · ".join(parts)


def _milestone_message(m: Any, lang: Lang) -> str:
    done = "—" if missing(m.done_on) else str(m.done_on)
    due, done_on = label("due", lang).lower(), label("done_on", lang).lower()
    return f"{label(str(m.status), lang)}: {due} {m.due}, {done_on} {done}"


def _unit_cases(suite: ET.Element, plan_id: str, rows: Any, report: Report) -> None:
    """One test case per unit: failing if any of its results fails, the counts in its message."""
    lang = report.lang
    counts = rows.groupby(["unit", "status"], observed=True).size().unstack("status", fill_value=0)
    statuses = [str(s) for s in counts.columns]
    note = label("per_unit_cases", lang).format(total=whole(len(rows), lang), cap=whole(CASES, lang))
    ET.SubElement(suite, "system-out").text = f"{note}; {label('full_list', lang)}"
    for unit, row in zip(counts.index, counts.to_numpy(), strict=True):
        case = ET.SubElement(suite, "testcase", classname=f"{plan_id}.units", name=str(unit))
        by_status = {s: int(n) for s, n in zip(statuses, row, strict=True) if n}
        failing = {s: n for s, n in by_status.items() if s in report.fail_on}
        shown = failing or by_status
        text = " · ".join(f"{label(s, lang)} {whole(n, lang)}" for s, n in shown.items())
        total = whole(sum(by_status.values()), lang)
        if failing:
            message = f"{whole(sum(failing.values()), lang)}/{total} {label('results', lang)}: {text}"
            worst = max(failing, key=lambda s: failing[s])
            ET.SubElement(case, "failure", message=message, type=worst).text = message
        elif set(by_status) <= SKIPPED:
            ET.SubElement(case, "skipped", message=f"{total} {label('results', lang)}: {text}")
        else:
            ET.SubElement(case, "system-out").text = f"{total} {label('results', lang)}: {text}"


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
