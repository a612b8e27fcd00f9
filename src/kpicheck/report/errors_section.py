"""The ``errors`` section every report leads with: the files (or units) set aside, and why.

A run with a bad file among good ones still judges the good ones and writes
its report; what was refused is listed first, so a reader sees at once that
the report is incomplete. Each format calls one function here at its top; the
xlsx workbook gives them a sheet of their own, first; the table and CSV
formats have no such section (their errors are on stderr, where the command
line prints every problem as it is found). Every problem is said in the
report's language, from its code and arguments (``Problem.in_language``).
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from typing import Any

from kpicheck.errors import Problem
from kpicheck.report.labels import Lang

FIELDS = ("file", "line", "column", "code", "message", "hint")
HTML_ROWS = 200  # problems listed on the page; the rest are counted (the JSON has every one)

_MORE = {"vi": "và {count} lỗi khác", "en": "and {count} more"}

_TITLE = {"vi": "Lỗi: số liệu không có trong báo cáo", "en": "Errors: data left out of this report"}
_WARNINGS = {"vi": "Cảnh báo", "en": "Warnings"}
_HEADINGS = {
    "vi": ("Tệp", "Dòng", "Cột", "Mã lỗi", "Lỗi"),
    "en": ("File", "Line", "Column", "Code", "Message"),
}


def title(lang: Lang) -> str:
    """The section's heading (the xlsx sheet names it too)."""
    return _TITLE[lang]


def headings(lang: Lang) -> tuple[str, ...]:
    """The column headings of the section's table."""
    return _HEADINGS[lang]


def said(errors: list[Problem], lang: Lang) -> list[Problem]:
    """The problems said in ``lang``."""
    return [p.in_language(lang) for p in errors]


def records(errors: list[Problem], lang: Lang) -> list[dict[str, Any]]:
    """One plain dict per problem, the keys of ``FIELDS`` (JSON's ``errors`` array), in ``lang``."""
    return [{name: getattr(p, name) for name in FIELDS} for p in said(errors, lang)]


def rows(errors: list[Problem], lang: Lang) -> list[list[str | int | None]]:
    """One row per problem under ``headings``: file, line, column, code, then message and hint."""
    return [[p.file, p.line, p.column, p.code, message(p)] for p in said(errors, lang)]


def markdown_heading(errors: list[Problem], lang: Lang) -> str:
    """The section's heading, or nothing when every file was read."""
    return f"### ⚠️ {_TITLE[lang]} ({len(errors)})\n\n" if errors else ""


def markdown_rows(errors: list[Problem], lang: Lang) -> list[list[str]]:
    """The section's table rows under ``headings`` (the markdown format bounds the table's size)."""
    return [
        [p.file or "", "" if p.line is None else str(p.line), p.column or "", f"`{p.code}`", message(p)]
        for p in said(errors, lang)
    ]


def html_parts(errors: list[Problem], lang: Lang) -> list[str]:
    """A table in a red-bordered box, or no part at all when every file was read."""
    if not errors:
        return []
    head = "".join(f"<th>{html.escape(h)}</th>" for h in _HEADINGS[lang])
    shown, more = _first(errors, lang)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(cell)}</td>"
            for cell in (p.file or "", "" if p.line is None else str(p.line), p.column or "", p.code)
        )
        + f"<td>{html.escape(message(p))}</td></tr>"
        for p in shown
    )
    return [
        '<section class="errors" style="border:2px solid #c62828;padding:4px 12px;margin:12px 0">'
        f"<h2>{html.escape(_TITLE[lang])} ({len(errors)})</h2>"
        f'<table class="grid"><tr>{head}</tr>{body}</table>'
        + (f'<p class="note">{html.escape(more)}</p>' if more else "")
        + "</section>"
    ]


def markdown_warnings(warnings: list[Problem], lang: Lang) -> str:
    """The run's warnings as a list under the errors (a unit left out of a roll-up because it lies
    only partly in the area, say): what stderr said, kept with the report a person files."""
    if not warnings:
        return ""
    shown, more = _first(warnings, lang)
    lines = [f"### {_WARNINGS[lang]} ({len(warnings)})", ""]
    lines += [f"- {text}" for text in [*map(message, shown), more] if text]
    return "\n".join(lines) + "\n\n"


def html_warnings(warnings: list[Problem], lang: Lang) -> list[str]:
    """The run's warnings in an amber box under the errors, or no part at all."""
    if not warnings:
        return []
    shown, more = _first(warnings, lang)
    items = "".join(f"<li>{html.escape(text)}</li>" for text in [*map(message, shown), more] if text)
    return [
        '<section class="warnings" style="border:2px solid #ef6c00;padding:4px 12px;margin:12px 0">'
        f"<h2>{html.escape(_WARNINGS[lang])} ({len(warnings)})</h2><ul>{items}</ul></section>"
    ]


def junit_suite(parent: ET.Element, errors: list[Problem], lang: Lang) -> None:
    """A first ``testsuite`` with a ``testcase`` and an ``<error>`` per refused file (or unit)."""
    if not errors:
        return
    suite = ET.SubElement(parent, "testsuite", name="errors")
    by_file: dict[str, list[Problem]] = {}
    for p in said(errors, lang):
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


def _first(problems: list[Problem], lang: Lang) -> tuple[list[Problem], str]:
    """The first ``HTML_ROWS`` problems said in ``lang``, and the line counting the rest ("" if none)."""
    shown = said(problems[:HTML_ROWS], lang)
    rest = len(problems) - len(shown)
    return shown, _MORE[lang].format(count=rest) if rest else ""


def message(problem: Problem) -> str:
    """The message, then the hint (what to do), in one cell."""
    return f"{problem.message}; {problem.hint}" if problem.hint else problem.message
