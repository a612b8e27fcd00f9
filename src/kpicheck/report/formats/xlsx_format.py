"""``--format xlsx``: the workbook an analyst sends on: a summary sheet, every result, what failed.

Written with XlsxWriter in constant-memory mode: rows go to disk as they are
written, so memory stays flat however many results there are. For 100,000
styled rows it took 21.9 s of CPU against 31.7 s for openpyxl's write-only
mode at about the same peak memory, and 37.8 s and 1 GB for openpyxl's
normal mode (2-core machine; wall times were inflated by load, the ratios
held). XlsxWriter is pure Python with no dependencies of its own.
Numbers stay numbers (the unit of measure has its own column), statuses and
kpicheck's notes are words in the report's language (statuses on a coloured
cell), the unit's own note has a column beside kpicheck's, and the header row
is frozen and filtered. When files were set aside, an errors sheet comes first
(a workbook opens on it): the report is incomplete.

A workbook is read by a person, and each styled row costs about 0.2 ms of
Python: the results sheet holds the first ``RESULT_ROWS`` results and the
failed sheet the first ``FAILED_ROWS`` failures (worst units first), each
saying under its table how many there are in all and where the full list is
(csv, json); the summary sheet counts every result, per status and per unit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import IO, Any

import pandas as pd
import xlsxwriter

from kpicheck.report import errors_section
from kpicheck.report.cells import Cells, missing, plan_title, tuples
from kpicheck.report.keep import Keeps
from kpicheck.report.labels import Lang, label, whole
from kpicheck.report.report import Report
from kpicheck.report.style import FILLS

EXCEL_ROWS = 1_048_576
RESULT_ROWS = 20_000  # rows of the results sheet: the time of a national workbook stays ~3× its CSV's
FAILED_ROWS = 10_000


def keeps() -> Keeps:
    return Keeps(first=RESULT_ROWS, failing=FAILED_ROWS)


WIDEST = 60  # characters: long indicator names wrap in the cell beyond this
SAMPLE = 2_000  # rows read to size a column


def render(report: Report, out: IO[Any], color: bool = False) -> None:
    # Text stays text: a note "=SUM(A1)" or a link is what the office wrote, never a formula or a link.
    book = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    book.set_properties({"title": "kpicheck", "created": report.generated})
    styles = _Styles(book)
    cells = Cells(report.plans, report.lang)
    if report.errors:
        _errors_sheet(book, styles, report)
    _summary_sheet(book, styles, report, cells)
    _results_sheets(book, styles, report, cells)
    _failed_sheet(book, styles, report, cells)
    if len(report.milestones):
        _milestone_sheet(book, styles, report)
    book.close()


class _Styles:
    def __init__(self, book: Any) -> None:
        self.head = book.add_format({"bold": True, "bg_color": "#f5f5f5", "bottom": 1, "text_wrap": True})
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.bold = book.add_format({"bold": True})
        self.number = book.add_format({"num_format": "0.00"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.status = {s: book.add_format({"bg_color": c}) for s, c in FILLS.items()}


# A column: its label key, how to get its value from a row, and whether it is a status to colour.
Column = tuple[str, Callable[[Any], Any]]


def _result_columns(cells: Cells) -> list[Column]:
    def number(name: str) -> Callable[[Any], Any]:
        return lambda row: None if missing(getattr(row, name)) else float(getattr(row, name))

    def integer(name: str) -> Callable[[Any], Any]:
        return lambda row: None if missing(getattr(row, name)) else int(getattr(row, name))

    def text(name: str) -> Callable[[Any], Any]:
        return lambda row: None if missing(getattr(row, name)) else str(getattr(row, name))

    return [
        ("plan", text("plan")),
        ("unit", text("unit")),
        ("code", lambda row: getattr(cells.indicator(row), "code", None)),
        ("indicator", lambda row: cells.name(row, code=False)),
        ("year", integer("year")),
        ("value", number("value")),
        ("measure", cells.suffix),
        ("status", cells.status),
        ("op", text("op")),
        ("target", number("target")),
        ("target_year", integer("target_year")),
        ("gap", number("gap")),
        ("path_value", number("path_value")),
        ("projection", number("projected_value")),
        (
            "projection_year",
            lambda row: None if missing(row.projected_value) else cells.projection_year(row),
        ),
        ("outlook", lambda row: None if missing(row.outlook) else label(str(row.outlook), cells.lang)),
        ("note", cells.note),
        ("user_note", cells.user_note),
        ("file", text("file")),
        ("line", integer("line")),
        ("indicator_id", text("indicator")),
        ("status_code", text("status")),
    ]


def _failed_columns(cells: Cells) -> list[Column]:
    return [
        ("unit", lambda row: str(row.unit)),
        ("code", lambda row: getattr(cells.indicator(row), "code", None)),
        ("indicator", lambda row: cells.name(row, code=False)),
        ("year", lambda row: int(row.year)),
        ("value", lambda row: None if missing(row.value) else float(row.value)),
        ("measure", cells.suffix),
        ("target", cells.target),
        ("status", cells.status),
        ("gap", lambda row: None if missing(row.gap) else float(row.gap)),
        ("note", cells.note),
        ("user_note", cells.user_note),
        ("file", lambda row: None if missing(row.file) else str(row.file)),
        ("line", lambda row: None if missing(row.line) else int(row.line)),
    ]


def _table(
    book: Any,
    styles: _Styles,
    name: str,
    columns: list[Column],
    rows: Iterable[Any],
    lang: Lang,
    first_row: int = 0,
    sheet: Any = None,
) -> Any:
    """A sheet (or rows of one) with a frozen, filtered header; number columns get two decimals."""
    sheet = sheet or book.add_worksheet(name)
    heads = [label(key, lang) for key, _ in columns]
    widths = [len(h) for h in heads]
    sheet.set_row(first_row, None, styles.head)
    for c, head in enumerate(heads):
        sheet.write_string(first_row, c, head, styles.head)
    status_col = next((c for c, (key, _) in enumerate(columns) if key == "status"), -1)
    code_col = next((c for c, (key, _) in enumerate(columns) if key == "status_code"), -1)
    r = first_row
    for r, row in enumerate(rows, start=first_row + 1):
        status = str(row.status)
        for c, (key, get) in enumerate(columns):
            value = get(row)
            if value is None or value == "":
                continue
            style = styles.status.get(status) if c in (status_col, code_col) else None
            if isinstance(value, float) and key in ("gap", "path_value", "projection"):
                style = styles.number
            if isinstance(value, float) and not math.isfinite(value):
                value = str(value)  # "inf": a file's 1e400 is shown, and a workbook has no such number
            if isinstance(value, int | float):
                sheet.write_number(r, c, value, style)
            else:
                sheet.write_string(r, c, value, style)
            if r - first_row < SAMPLE:
                widths[c] = max(widths[c], len(str(value)))
    for c, width in enumerate(widths):
        sheet.set_column(c, c, min(width, WIDEST) + 2, styles.wrap if width > WIDEST else None)
    sheet.freeze_panes(first_row + 1, 0)
    sheet.autofilter(first_row, 0, max(r, first_row), len(columns) - 1)
    return sheet


ERRORS_SHEET = {"vi": "Lỗi", "en": "Errors"}  # a sheet's name takes neither ':' nor 31+ characters


def _errors_sheet(book: Any, styles: _Styles, report: Report) -> None:
    """The files (or units) set aside: a title, then one row per problem, in the report's language."""
    lang = report.lang
    sheet = book.add_worksheet(ERRORS_SHEET[lang])
    sheet.write_string(0, 0, f"{errors_section.title(lang)} ({len(report.errors)})", styles.title)
    heads = errors_section.headings(lang)
    for c, head in enumerate(heads):
        sheet.write_string(2, c, head, styles.head)
    rows = errors_section.rows(report.errors, lang)[: EXCEL_ROWS - 3]
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row):
            if isinstance(value, int):
                sheet.write_number(r, c, value)
            elif value:
                sheet.write_string(r, c, value)
    for c, width in enumerate((40, 8, 16, 28, WIDEST)):
        sheet.set_column(c, c, width, styles.wrap if c == len(heads) - 1 else None)
    sheet.freeze_panes(3, 0)
    sheet.autofilter(2, 0, 2 + len(rows), len(heads) - 1)


def _summary_sheet(book: Any, styles: _Styles, report: Report, cells: Cells) -> None:
    lang = report.lang
    sheet = book.add_worksheet(label("summary", lang))
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 16)
    sheet.write_string(0, 0, f"kpicheck – {label('summary', lang)}", styles.title)
    facts: list[tuple[str, str]] = []
    for plan in report.plans.values():
        facts.append((label("plan", lang), f"{plan_title(plan, lang)} ({plan.id})"))
        facts.append((label("document", lang), plan.source.document))
    facts.append((label("generated", lang), report.generated.strftime("%d/%m/%Y %H:%M")))
    if report.as_of:
        facts.append((label("as_of", lang), report.as_of))
    if report.inputs:
        facts.append((label("inputs", lang), ", ".join(report.inputs)))
    r = 2
    for key, value in facts:
        sheet.write_string(r, 0, key, styles.bold)
        sheet.write_string(r, 1, value)
        r += 1
    r += 1
    sheet.write_string(r, 0, label("status", lang), styles.head)
    sheet.write_string(r, 1, label("number_of", lang), styles.head)
    for status, n in report.summary().items():
        if n:
            r += 1
            sheet.write_string(r, 0, label(status, lang), styles.status.get(status))
            sheet.write_number(r, 1, n)
    r += 2
    units = report.unit_summary()
    statuses = [c for c in units.columns if c not in ("plan", "unit", "failed")]
    sheet.write_string(r, 0, label("failed_means", lang).format(statuses=_failing_words(report)))
    r += 1
    heads = [
        label("unit", lang),
        label("failed", lang),
        *(label(s, lang) for s in statuses),
        label("plan", lang),
    ]
    for c, head in enumerate(heads):
        sheet.write_string(
            r,
            c,
            head,
            styles.status.get(statuses[c - 2]) if c >= 2 and c - 2 < len(statuses) else styles.head,
        )
    for row in units.itertuples(index=False):
        r += 1
        sheet.write_string(r, 0, str(row.unit))
        sheet.write_number(r, 1, int(row.failed), styles.bold)
        for c, status in enumerate(statuses, start=2):
            sheet.write_number(r, c, int(getattr(row, status)))
        sheet.write_string(r, len(heads) - 1, str(row.plan))
    if len(units):
        sheet.set_column(2, len(heads) - 2, 12)


def _failing_words(report: Report) -> str:
    return ", ".join(label(s, report.lang) for s in sorted(report.fail_on))


def _results_sheets(book: Any, styles: _Styles, report: Report, cells: Cells) -> None:
    shown = report.results.head(RESULT_ROWS)
    name = label("results", report.lang).capitalize()
    sheet = _table(book, styles, name, _result_columns(cells), tuples(shown), report.lang)
    _left_out(sheet, len(shown), report.result_count(), report.lang)


def _failed_sheet(book: Any, styles: _Styles, report: Report, cells: Cells) -> None:
    failing = report.failing()
    shown = failing.head(FAILED_ROWS)
    sheet = _table(
        book,
        styles,
        label("failed", report.lang),
        _failed_columns(cells),
        tuples(shown),
        report.lang,
    )
    _left_out(sheet, len(shown), report.failing_count(), report.lang)


def _left_out(sheet: Any, shown: int, total: int, lang: Lang) -> None:
    """Under a table that stops short: how many rows it has of how many, and where the rest are."""
    if shown < total:
        text = label("shown_of", lang).format(shown=whole(shown, lang), total=whole(total, lang))
        sheet.write_string(shown + 2, 0, f"{text}; {label('full_list', lang)}")


def _milestone_sheet(book: Any, styles: _Styles, report: Report) -> None:
    lang = report.lang

    def date(value: Any) -> Any:
        return (
            None if missing(value) or value is pd.NaT else str(getattr(value, "isoformat", lambda: value)())
        )

    columns: list[Column] = [
        ("plan", lambda m: str(m.plan)),
        ("unit", lambda m: str(m.unit)),
        ("milestone", lambda m: str(m.milestone)),
        ("owner", lambda m: None if missing(m.owner) else str(m.owner)),
        ("year", lambda m: None if missing(m.year) else int(m.year)),
        ("due", lambda m: date(m.due)),
        ("done_on", lambda m: date(m.done_on)),
        ("status", lambda m: label(str(m.status), lang)),
    ]
    _table(book, styles, label("milestone", lang), columns, report.milestones.itertuples(index=False), lang)
