"""The colour of each status, one home for every medium: Rich styles for the terminal, hex for HTML."""

from __future__ import annotations

from collections.abc import Mapping

from kpicheck.report.labels import Lang, label

# The colour of each status wherever it is shown (Rich style names).
STYLES = {
    "met": "green",
    "on_track": "green",
    "done": "green",
    "not_met": "bold red",
    "off_track": "red",
    "invalid": "bold magenta",
    "overdue": "bold red",
    "done_late": "yellow",
    "no_data": "yellow",
    "no_baseline": "yellow",
    "unknown_indicator": "yellow",
    "not_due": "dim",
    "pending": "dim",
}


def summary_parts(counts: Mapping[str, int], lang: Lang) -> list[tuple[str, str]]:
    """``Tổng hợp: 3 Đạt · 1 Không đạt`` as (text, style) pieces: printable without Rich."""
    parts = [(f"{label('summary', lang)}: ", "bold")]
    shown = [(s, n) for s, n in counts.items() if n]
    if not shown:
        parts.append(("0 " + label("results", lang), ""))
    for i, (status, n) in enumerate(shown):
        if i:
            parts.append((" · ", ""))
        parts.append((f"{n} {label(status, lang)}", STYLES.get(status, "")))
    return parts


# The same statuses on a page (HTML report).
COLOURS = {
    "met": "#2e7d32",
    "on_track": "#66bb6a",
    "not_met": "#c62828",
    "off_track": "#ef6c00",
    "invalid": "#6a1b9a",
    "no_data": "#bdbdbd",
    "no_baseline": "#bdbdbd",
    "not_due": "#90a4ae",
    "unknown_indicator": "#fbc02d",
}


# Pale fills behind dark text, where a whole cell is coloured (workbook cells, grid cells).
FILLS = {
    "met": "#c8e6c9",
    "on_track": "#dcedc8",
    "done": "#c8e6c9",
    "not_met": "#ffcdd2",
    "off_track": "#ffe0b2",
    "invalid": "#e1bee7",
    "overdue": "#ffcdd2",
    "done_late": "#fff9c4",
    "no_data": "#eeeeee",
    "no_baseline": "#eeeeee",
    "unknown_indicator": "#fff9c4",
    "not_due": "#eceff1",
    "pending": "#eceff1",
}
