"""The ``errors`` section every report leads with: the files (or units) set aside, and why.

A run with a bad file among good ones still judges the good ones and writes
its report; what was refused is listed first, so a reader sees at once that
the report is incomplete. Each format calls one function here at its top; the
table and CSV formats have no such section (their errors are on stderr, where
the command line prints every problem as it is found).
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from typing import Any

from kpicheck.errors import Problem
from kpicheck.report.labels import Lang

FIELDS = ("file", "line", "column", "code", "message", "hint")

_TITLE = {"vi": "Lỗi: số liệu không có trong báo cáo", "en": "Errors: data left out of this report"}
_HEADINGS = {
    "vi": ("Tệp", "Dòng", "Cột", "Mã lỗi", "Lỗi"),
    "en": ("File", "Line", "Column", "Code", "Message"),
}


def records(errors: list[Problem]) -> list[dict[str, Any]]:
    """One plain dict per problem, the keys of ``FIELDS`` (JSON's ``errors`` array)."""
    return [{name: getattr(p, name) for name in FIELDS} for p in errors]


def markdown(errors: list[Problem], lang: Lang) -> str:
    """A heading and a table, or nothing when every file was read."""
    if not errors:
        return ""

    def row(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |\n"

    lines = [f"### ⚠️ {_TITLE[lang]} ({len(errors)})\n\n", row(list(_HEADINGS[lang])), row(["---"] * 5)]
    for p in errors:
        cells = [p.file or "", "" if p.line is None else str(p.line), p.column or "", f"`{p.code}`"]
        lines.append(row([*cells, _message(p)]))
    return "".join(lines) + "\n"


def html_parts(errors: list[Problem], lang: Lang) -> list[str]:
    """A table in a red-bordered box, or no part at all when every file was read."""
    if not errors:
        return []
    head = "".join(f"<th>{html.escape(h)}</th>" for h in _HEADINGS[lang])
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(cell)}</td>"
            for cell in (p.file or "", "" if p.line is None else str(p.line), p.column or "", p.code)
        )
        + f"<td>{html.escape(_message(p))}</td></tr>"
        for p in errors
    )
    return [
        '<section class="errors" style="border:2px solid #c62828;padding:4px 12px;margin:12px 0">'
        f"<h2>{html.escape(_TITLE[lang])} ({len(errors)})</h2>"
        f'<table class="grid"><tr>{head}</tr>{body}</table></section>'
    ]


def junit_suite(parent: ET.Element, errors: list[Problem]) -> None:
    """A first ``testsuite`` with a ``testcase`` and an ``<error>`` per refused file (or unit)."""
    if not errors:
        return
    suite = ET.SubElement(parent, "testsuite", name="errors")
    by_file: dict[str, list[Problem]] = {}
    for p in errors:
        by_file.setdefault(p.file or "", []).append(p)
    for file, problems in by_file.items():
        case = ET.SubElement(suite, "testcase", classname="kpicheck.errors", name=file or "kpicheck")
        first = problems[0]
        error = ET.SubElement(case, "error", message=str(first), type=first.code)
        error.text = "\n".join(f"{p.code}: {p}" for p in problems)
    suite.set("tests", str(len(by_file)))
    suite.set("failures", "0")
    suite.set("errors", str(len(by_file)))
    suite.set("skipped", "0")


def _message(problem: Problem) -> str:
    return f"{problem.message}; {problem.hint}" if problem.hint else problem.message
