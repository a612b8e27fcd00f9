"""Every status name a result can carry; CI users depend on these strings."""

from collections.abc import Mapping

from kpicheck.report.labels import Lang, label

RESULT_STATUSES = (
    "met",
    "not_met",
    "on_track",
    "off_track",
    "not_due",
    "no_baseline",
    "no_data",
    "invalid",
    "unknown_indicator",
)
MILESTONE_STATUSES = ("done", "done_late", "overdue", "pending")
ALL_STATUSES = RESULT_STATUSES + MILESTONE_STATUSES


def summary(results: Mapping[str, int], milestones: Mapping[str, int] | None = None) -> dict[str, int]:
    """Count per status in a stable order, zero when absent; milestone statuses when there are any."""
    out = {s: int(results.get(s, 0)) for s in RESULT_STATUSES}
    if milestones is not None:
        out.update({s: int(milestones.get(s, 0)) for s in MILESTONE_STATUSES})
    return out


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
