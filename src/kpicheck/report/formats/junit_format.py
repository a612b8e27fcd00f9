"""``--format junit``: one test case per unit × indicator × year, for CI test reports.

Statuses in ``--fail-on`` are failures; ``not_due``, ``no_data`` and
``unknown_indicator`` not in it are skipped; everything else passes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any, TextIO

import pandas as pd

from kpicheck.report.labels import Lang, label, number
from kpicheck.report.report import Report

SKIPPED = {"not_due", "no_data", "unknown_indicator", "no_baseline", "pending"}


def render(report: Report, out: TextIO, color: bool = False) -> None:
    suites = ET.Element("testsuites", name="kpicheck")
    for plan_id, rows in report.results.groupby("plan", sort=False, observed=True):
        suite = ET.SubElement(suites, "testsuite", name=str(plan_id))
        for row in rows.itertuples(index=False):
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"{plan_id}.{row.indicator}",
                name=f"{row.unit} / {row.indicator} / {row.year}",
            )
            message = _message(row, report.lang)
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
            words = WORDS[report.lang]
            status = str(m.status) if report.lang == "en" else label(str(m.status), report.lang)
            _outcome(
                case,
                str(m.status),
                f"{status}: {words['due']} {m.due}, {words['done']} {m.done_on or '-'}",
                report.fail_on,
            )
        _count(suite)
    _count(suites)
    ET.indent(suites)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(suites, encoding="unicode"))
    out.write("\n")


# The words of a test case's message, in the report's language.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "value": "value",
        "target": "target",
        "every_year": "every year",
        "gap": "gap",
        "projection": "projection",
        "unstable": "unstable: only {count} events (fewer than 20)",
        "due": "due",
        "done": "done",
    },
    "vi": {
        "value": "giá trị",
        "target": "mục tiêu",
        "every_year": "hằng năm",
        "gap": "chênh lệch",
        "projection": "dự báo",
        "unstable": "không ổn định: chỉ có {count} trường hợp (dưới 20)",
        "due": "hạn",
        "done": "hoàn thành",
    },
}


def _message(row: Any, lang: Lang) -> str:
    words = WORDS[lang]
    # English keeps the stable status names CI scripts read; Vietnamese says them as the table does.
    status = str(row.status) if lang == "en" else label(str(row.status), lang)
    parts = [f"{status}: {words['value']} {_num(row.value, lang)}"]
    if row.op is not None and not pd.isna(row.target):
        year = words["every_year"] if pd.isna(row.target_year) else row.target_year
        parts.append(f"{words['target']} {row.op} {_num(row.target, lang)} ({year})")
    if not pd.isna(row.gap):
        parts.append(f"{words['gap']} {_num(row.gap, lang)}")
    if not pd.isna(row.outlook):
        projected = "" if pd.isna(row.projected_value) else f"{_num(row.projected_value, lang, 'g')} "
        outlook = str(row.outlook) if lang == "en" else label(str(row.outlook), lang)
        parts.append(f"{words['projection']} {projected}({outlook})")
    if row.small_numerator:
        parts.append(words["unstable"].format(count=_num(row.numerator, lang, "g")))
    if isinstance(row.note, str):
        parts.append(row.note)
    if isinstance(getattr(row, "user_note", None), str):
        parts.append(f"{label('user_note', lang).lower()}: {row.user_note}")
    return "; ".join(parts)


def _num(value: Any, lang: Lang, spec: str = "") -> str:
    """As Python writes the number in English (what CI logs have always shown); in Vietnamese as the
    table writes it (a decimal comma, "—" for none)."""
    if lang == "en":
        return format(value, spec) if spec else str(value)
    return "—" if pd.isna(value) else number(float(value), lang)


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
    element.set("errors", "0")
