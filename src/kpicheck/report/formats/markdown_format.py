"""``--format markdown``: a summary for a CI job page, which takes at most 1 MiB.

The files set aside, if any, come first (the report is incomplete
without them); then what failed, then the units worst first, then every result
folded away. Each table stops when its share of ``LIMIT`` is spent and says
how many rows it left out and where the full list is, so a national file
still gives a page GitHub accepts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

import pandas as pd

from kpicheck.report import errors_section
from kpicheck.report.cells import Cells, plan_title, tuples
from kpicheck.report.keep import Keeps
from kpicheck.report.labels import Lang, label, whole
from kpicheck.report.report import Report

LIMIT = 1_000_000  # bytes: GitHub's job summary takes 1 MiB (1,048,576); the rest is a margin
# Share of LIMIT each table may take, in the order they are written; what one leaves, the next may use.
SHARES = {"errors": 0.1, "failed": 0.45, "units": 0.15, "milestones": 0.1, "results": 1.0}


def keeps() -> Keeps:
    """The most rows that could fit on the page, of the results and of what failed."""
    most = LIMIT // SHORTEST_ROW + 1
    return Keeps(first=most, failing=most)


def render(report: Report, out: TextIO, color: bool = False) -> None:
    page = _Page(LIMIT)
    lang = report.lang
    cells = Cells(report.plans, lang)
    counts = report.summary()
    page.add("## kpicheck\n\n")
    if report.errors:  # the files set aside come first: the report is incomplete without them
        page.add(errors_section.markdown_heading(report.errors, lang))
        page.table(
            list(errors_section.headings(lang)),
            ["---", "---:", "---", "---", "---"],
            errors_section.markdown_rows(report.errors, lang),
            len(report.errors),
            SHARES["errors"],
            lang,
        )
    page.add(errors_section.markdown_warnings(report.warnings, lang))
    for plan in report.plans.values():
        page.add(f"- **{plan_title(plan, lang)}** (`{plan.id}`): {plan.source.document}\n")
    shown = " · ".join(f"{n} {label(s, lang)}" for s, n in counts.items() if n)
    page.add(f"\n**{label('summary', lang)}:** {shown or '0'}\n\n")
    failing_words = ", ".join(label(s, lang) for s in sorted(report.fail_on))
    failing = report.failing()
    failed = report.failing_count()
    page.add(
        f"**{label('failed', lang)}: {failed}** "
        f"({label('failed_means', lang).format(statuses=failing_words)})\n\n"
    )
    keys = ("unit", "indicator", "year", "value", "target", "status", "gap")
    # The units' own notes close both result tables, when any unit wrote one.
    notes = ["user_note"] if report.has_user_notes() else []
    if failed:
        page.add(f"### {label('what_failed', lang)} ({failed})\n\n")
        page.table(
            [label(k, lang) for k in (*keys, *notes)],
            ["---", "---", "---:", "---:", "---", "---", "---:", *["---"] * len(notes)],
            (_result(row, cells, False, bool(notes)) for row in tuples(_fitting(failing))),
            failed,
            SHARES["failed"],
            lang,
        )
    units = report.unit_summary()
    if len(units):
        statuses = [c for c in units.columns if c not in ("plan", "unit", "failed")]
        page.add(f"### {label('by_unit', lang)}\n\n")
        page.table(
            [label("unit", lang), label("failed", lang), *(label(s, lang) for s in statuses)],
            ["---", *["---:"] * (1 + len(statuses))],
            (
                [str(r.unit), f"**{r.failed}**", *(str(getattr(r, s) or "·") for s in statuses)]
                for r in _fitting(units).itertuples(index=False)
            ),
            len(units),
            SHARES["units"],
            lang,
        )
    if len(report.milestones):
        page.add(f"### {label('milestone', lang)}\n\n")
        page.table(
            [label(k, lang) for k in ("unit", "milestone", "due", "done_on", "status")],
            ["---"] * 5,
            (_milestone(m, lang) for m in report.milestones.itertuples(index=False)),
            len(report.milestones),
            SHARES["milestones"],
            lang,
        )
    results = report.result_count()
    if results:
        page.add(f"<details><summary>{label('details', lang)}: {results}</summary>\n\n")
        page.table(
            [label(k, lang) for k in (*keys, "projection", *notes)],
            ["---", "---", "---:", "---:", "---", "---", "---:", "---", *["---"] * len(notes)],
            (_result(row, cells, True, bool(notes)) for row in tuples(_fitting(report.results))),
            results,
            SHARES["results"],
            lang,
            reserve=len("</details>\n"),
        )
        page.add("</details>\n")
    out.write(page.text())


def _fitting(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows that could fit on the page at all: a table row takes at least ``SHORTEST_ROW``
    bytes; the rows past these would be counted, never shown (what a run holds: ``keeps``)."""
    return frame.head(LIMIT // SHORTEST_ROW + 1)


SHORTEST_ROW = 16  # bytes: "| a | 1 | · |\n" and the like


class _Page:
    """Markdown under a byte limit: tables stop at their share and say what they left out."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[str] = []
        self.size = 0

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text.encode("utf-8"))

    def text(self) -> str:
        return "".join(self.parts)

    def table(
        self,
        heads: list[str],
        align: list[str],
        rows: Iterable[list[str]],
        total: int,
        share: float,
        lang: Lang,
        reserve: int = 0,
    ) -> None:
        note_room = 200  # the line that says what was left out
        budget = min(self.size + int(self.limit * share), self.limit - reserve) - note_room
        self.add(_row(heads) + _row(align))
        shown = 0
        for cells in rows:
            line = _row(cells)
            if self.size + len(line.encode("utf-8")) > budget:
                break
            self.add(line)
            shown += 1
        if shown < total:
            text = label("shown_of", lang).format(shown=whole(shown, lang), total=whole(total, lang))
            self.add(f"\n_{text}; {label('full_list', lang)}._\n")
        self.add("\n")


def _result(row: Any, cells: Cells, projection: bool, user_note: bool) -> list[str]:
    parts = [
        str(row.unit),
        cells.name(row),
        str(row.year),
        cells.value(row),
        cells.target(row),
        cells.status(row),
        cells.gap(row),
    ]
    if projection:
        parts.append(cells.projection(row))
    if user_note:
        parts.append(cells.user_note(row))
    return parts


def _milestone(m: Any, lang: Lang) -> list[str]:
    done = "" if m.done_on is None or m.done_on is pd.NaT or pd.isna(m.done_on) else str(m.done_on)
    return [str(m.unit), str(m.milestone), str(m.due), done, label(str(m.status), lang)]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |\n"
