"""``--format table``: what an analyst reads on a terminal, laid out for the width it has.

Each indicator is a heading line with its code, full name and targets, and
its results are aligned lines under one header per goal: no column has to
hold a long name, so nothing wraps mid-name at 80 columns. Unit names never
break. A gap measured to the path and the projection stay on the result's
line when they fit, and go to a line of their own below it when they do not;
a unit's own note (``user_note``) always has a line of its own, wrapped.
The units that reported no figure for an indicator share one line. The
per-unit summary comes first when the detail is long (``--summary-first``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TextIO

import numpy as np
import pandas as pd
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kpicheck.plan.model import Plan
from kpicheck.report import terminal
from kpicheck.report.cells import Cells, indicator_name, missing, plan_title, stated
from kpicheck.report.keep import Keeps
from kpicheck.report.labels import Lang, label, number, whole
from kpicheck.report.report import Report
from kpicheck.report.style import STYLES, summary_parts

LONG = 40  # detail lines past which the per-unit summary comes first
# Result lines of a plan's detail at most: past them each indicator shows its first lines and says
# how many it has (a national file has two million results; a terminal shows a few thousand lines).
DETAIL = 2_000
NAMES = 200  # units named on the lines of missing figures of one year
GAP = "  "  # between columns


def keeps() -> Keeps:
    """The lines each plan shows (``_held``); the rest is counted."""
    return Keeps(select=_held)


def render(report: Report, out: TextIO, color: bool = False) -> None:
    console = terminal.console(out, color)
    lang = report.lang
    cells = Cells(report.plans, lang)
    results, every = report.results, report.everything
    if report.options.only_failed:
        results, every = report.failing(), report.failing(every=True)
    first = report.options.summary_first
    if first is None:
        first = len(every) > LONG
    # --only-failed (the pre-commit hook) shows what failed and the counts, not the per-unit table.
    units = (report.result_count() or len(report.milestones)) and not report.options.only_failed
    if first and units:
        _unit_table(console, report, lang)
    if report.options.only_failed:
        console.print(Text(label("what_failed", lang), style="bold"))
        if not len(every):
            console.print(label("nothing_failed", lang))
    held = {str(p): rows for p, rows in results.groupby("plan", sort=False, observed=True)}
    for plan_id, rows in every.groupby("plan", sort=False, observed=True):
        plan = str(plan_id)
        _plan(console, report.plans.get(plan), plan, held.get(plan, results.iloc[:0]), rows, cells)
    if len(report.milestones):
        console.print(_milestone_table(report, lang))
    if len(every) and every["small_numerator"].any():
        console.print(Text(label("small_numerator_note", lang), style="yellow"))
    if not first and units:
        _unit_table(console, report, lang)
    _print_summary(console, report.summary(), lang)


def summary_line(counts: dict[str, int], lang: Lang) -> Text:
    """``Tổng hợp: 3 Đạt · 1 Không đạt`` with each status in its colour."""
    (head, head_style), *rest = summary_parts(counts, lang)
    text = Text(head, style=head_style)
    for piece, style in rest:
        text.append(piece, style=style)
    return text


def _print_summary(console: Console, counts: dict[str, int], lang: Lang) -> None:
    """The summary line, wrapped between counts, never inside "9 Chưa đến hạn"."""
    (head, head_style), *rest = summary_parts(counts, lang)
    items = [Text(piece, style=style) for piece, style in rest if piece != " · "]
    for text in wrap_items(Text(head, style=head_style), items, " · ", console.width):
        console.print(text, no_wrap=True, overflow="ellipsis")


def wrap_items(head: Text, items: list[Text], sep: str, width: int) -> list[Text]:
    """``head`` then ``items`` joined by ``sep``, wrapped only between items (indented like ``head``)."""
    indent = " " * (len(head.plain) - len(head.plain.lstrip()) + 2)
    lines = [head.copy()]
    for n, item in enumerate(items):
        line = lines[-1]
        joint = sep if n else ""
        if n and cell_len(line.plain) + len(joint) + cell_len(item.plain) > width:
            line.append(sep.rstrip())
            lines.append(Text(indent))
            joint = ""
        lines[-1].append(joint)
        lines[-1].append_text(item)
    return lines


def _unit_table(console: Console, report: Report, lang: Lang) -> None:
    """Units × count of each status, worst first; what "failing" counts is said under the table.

    Laid out by hand: a count column is as wide as the longest word of its
    status, the status's name wraps between its words over the header lines,
    and a unit's name never wraps.
    """
    units = report.unit_summary()
    statuses = [c for c in units.columns if c not in ("plan", "unit", "failed")]
    names = [str(u) for u in units["unit"]]
    keys = ["failed", *statuses]
    counts = [
        [int(row.failed), *(int(getattr(row, s)) for s in statuses)] for row in units.itertuples(index=False)
    ]
    first = max([cell_len(label("unit", lang)), *map(cell_len, names)])
    widths = [
        max([*map(cell_len, label(k, lang).split()), *(len(str(c[n])) for c in counts)])
        for n, k in enumerate(keys)
    ]
    heads = [_words(label(k, lang), w) for k, w in zip(keys, widths, strict=True)]
    depth = max(len(h) for h in heads)
    console.print(Text(label("by_unit", lang), style="bold"))
    for line in range(depth):
        text = Text((label("unit", lang) if line == depth - 1 else "").ljust(first), style="bold")
        for key, head, width in zip(keys, heads, widths, strict=True):
            words = head[line - (depth - len(head))] if line >= depth - len(head) else ""
            text.append(" " + words.rjust(width), style="bold" if key == "failed" else STYLES.get(key, ""))
        console.print(text, no_wrap=True, overflow="ellipsis")
    for name, row in zip(names, counts, strict=True):
        text = Text(name.ljust(first))
        for n, (count, width) in enumerate(zip(row, widths, strict=True)):
            text.append(
                " " + (str(count) if count or not n else "·").rjust(width), style="bold" if not n else ""
            )
        console.print(text, no_wrap=True, overflow="ellipsis")
    failing = ", ".join(label(s, lang) for s in sorted(report.fail_on))
    console.print(Text(label("failed_means", lang).format(statuses=failing), style="dim"))


def _words(text: str, width: int) -> list[str]:
    """``text`` wrapped between words to ``width`` (a word longer than that keeps its line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and cell_len(lines[-1]) + 1 + cell_len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


@dataclass
class _Line:
    """One result as texts, before it is laid out."""

    unit: str
    year: str
    value: str
    target: str
    status: str
    gap: str
    path: str
    projection: str
    note: str  # why a value is invalid: under the line, not in the value column
    user_note: str = ""  # the unit's own note: on a line of its own under the result, wrapped


def _ordered(rows: pd.DataFrame, plan: Plan | None, keys: tuple[str, ...] = ("unit", "year")) -> pd.DataFrame:
    """A plan's results in the order the table shows them: by goal, indicator, unit and year."""
    return rows.iloc[_order(rows, plan, keys)]


def _order(rows: pd.DataFrame, plan: Plan | None, keys: tuple[str, ...] = ("unit", "year")) -> Any:
    """Positions of ``rows`` by goal, indicator (the plan's order, then the others'), then ``keys``;
    a text column in the order of its categories. Sorted on integer codes: a national plan has two
    million results."""
    order = {i.id: n for n, i in enumerate(plan.indicators)} if plan else {}
    goals = {g.id: n for n, g in enumerate(plan.goals)} if plan else {}
    indicator = rows["indicator"].astype("category")
    goal = rows["goal"].astype("category")
    by_ind = np.array([order.get(str(i), len(order)) for i in indicator.cat.categories], dtype=np.int64)
    by_goal = np.array([goals.get(g, len(goals)) for g in goal.cat.categories], dtype=np.int64)
    ind_codes = _sortable(indicator)
    columns = [
        np.append(by_goal, len(goals))[goal.cat.codes.to_numpy()],  # a code of -1 (none) takes the last
        np.append(by_ind, len(order))[indicator.cat.codes.to_numpy()],
        ind_codes,
        *(_sortable(rows[k]) for k in keys),
    ]
    return np.lexsort(columns[::-1])


def _sortable(column: pd.Series) -> Any:
    """What ``sort_values`` sorts a column on: a category's code, else the value."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        return np.where(codes >= 0, codes, len(column.cat.categories))  # missing last, as sort_values
    return column.to_numpy()


def _limit(every: pd.DataFrame) -> int | None:
    """Result lines shown per indicator of a plan with ``every`` result (None: all of them)."""
    shown = every["indicator"][(every["status"] != "no_data").to_numpy()]
    if len(shown) <= DETAIL:
        return None
    return max(DETAIL // max(shown.nunique(), 1), 5)


def _held(report: Report) -> Any:
    """Which results (positions in the outline) the table shows: per indicator of each plan its
    first lines, and the first ``NAMES`` units that reported no figure in each year."""
    every = report.everything
    keep = np.zeros(len(every), dtype=bool)
    wanted = np.ones(len(every), dtype=bool)
    if report.options.only_failed:
        wanted = every["status"].isin(report.fail_on).to_numpy()
    absent = (every["status"] == "no_data").to_numpy()
    narrow = every[["goal", "indicator", "unit", "year", "status"]]
    indicator = every["indicator"].astype("category").cat.codes.to_numpy()
    for plan_id in report.plan_ids():
        at = np.flatnonzero(wanted & (every["plan"] == plan_id).to_numpy())
        plan = report.plans.get(plan_id)
        limit = _limit(narrow.iloc[at])
        shown = at[~absent[at]]
        shown = shown[_order(narrow.iloc[shown], plan)]
        if limit is not None:  # the first lines of each indicator: its run of positions, cut
            codes = indicator[shown]
            starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
            first = np.arange(len(shown)) - np.repeat(starts, np.diff(np.r_[starts, len(shown)]))
            shown = shown[first < limit]
        keep[shown] = True
        named = every.iloc[at[absent[at]]].assign(_at=at[absent[at]])
        named = _ordered(named, plan)
        first_units = named.drop_duplicates(["indicator", "year", "unit"])
        first_units = first_units.groupby(["indicator", "year"], sort=False, observed=True).head(NAMES)
        keys = ["indicator", "year", "unit"]
        keep[named.merge(first_units[keys], on=keys, how="inner")["_at"].to_numpy()] = True
    return keep


def _plan(
    console: Console, plan: Plan | None, plan_id: str, rows: pd.DataFrame, every: pd.DataFrame, cells: Cells
) -> None:
    """The plan's title, then per goal a header and per indicator a heading and its results:
    ``rows`` the results held (``_held``), ``every`` all of them (at least in outline)."""
    lang = cells.lang
    console.print(Text(plan_title(plan, lang) if plan else plan_id, style="bold"))
    indicators = {i.id: i for i in plan.indicators} if plan else {}
    goals = {g.id: g for g in plan.goals} if plan else {}
    rows = _ordered(rows, plan)
    shown = rows[rows["status"] != "no_data"]
    limit = _limit(every)
    if limit is not None:
        shown = shown.groupby("indicator", sort=False, observed=True).head(limit)
    lines = [_line(row, cells) for row in shown.itertuples(index=False)]
    layout = _Layout.fit(lines, console.width, lang)
    absent = (every["status"] == "no_data").to_numpy()
    totals = {str(k): int(n) for k, n in every["indicator"][~absent].value_counts().items()}
    missing_units = every[absent].groupby(["indicator", "year"], observed=True)["unit"].nunique()
    held = {str(k): g for k, g in rows.groupby("indicator", sort=False, observed=True)}
    pairs = _ordered(every[["goal", "indicator"]].drop_duplicates(), plan, keys=())
    rank = {g: n for n, g in enumerate(goals)}
    pairs = pairs.assign(_goal=[rank.get(g, len(rank)) for g in pairs["goal"]])
    for _, group in pairs.groupby("_goal", sort=True):
        goal = goals.get(str(group["goal"].iloc[0]))
        if goal is not None:
            console.print(Text(goal.name if lang == "vi" else goal.name_en, style="bold cyan"))
        elif plan and plan.goals:
            console.print(Text(label("other", lang), style="bold cyan"))
        console.print(layout.header(), no_wrap=True, overflow="crop")
        for ind in (str(i) for i in group["indicator"]):
            counted = missing_units[ind] if ind in missing_units.index.get_level_values(0) else None
            _indicator(
                console,
                layout,
                (indicators.get(ind), ind, plan),
                held.get(ind, rows.iloc[:0]),
                (int(totals.get(ind, 0)), counted),
                cells,
                limit,
            )


def _indicator(
    console: Console,
    layout: _Layout,
    named: tuple[Any, str, Plan | None],
    rows: pd.DataFrame,
    counts: tuple[int, Any],
    cells: Cells,
    limit: int | None = None,
) -> None:
    """An indicator's heading, its result lines (``rows``, those held), and the units that gave no
    figure: ``counts`` the indicator's results with a figure, and its units without one per year."""
    ind, ind_id, plan = named
    total, missing_units = counts
    lang = cells.lang
    heading = Text(f"{ind.code} " if ind and ind.code else "", style="bold")
    heading.append(indicator_name(ind, lang) if ind else ind_id, style="bold")
    targets = _targets(ind, plan, lang) if ind else ""
    if targets:
        heading.append(f" · {label('target', lang).lower()} {targets}", style="dim")
    console.print(heading)
    detail = rows[rows["status"] != "no_data"]
    for row in detail.head(limit).itertuples(index=False) if limit else detail.itertuples(index=False):
        line = _line(row, cells)
        for text in layout.lines(line, str(row.status), row.gap, lang):
            console.print(text, no_wrap=True, overflow="ellipsis")
        if line.user_note:
            # A unit's note may be long: it wraps between its words, never cut off.
            head = Text(" " * layout.indent() + f"↳ {label('user_note', lang)}: ", style="italic")
            words = [Text(word, style="italic") for word in line.user_note.split()]
            for text in wrap_items(head, words, " ", console.width):
                console.print(text, no_wrap=True, overflow="ellipsis")
    if limit and total > limit:
        shown = label("shown_of", lang).format(shown=whole(limit, lang), total=whole(total, lang))
        console.print(Text(f"  {shown}; {label('full_list', lang)}", style="dim"))
    absent = rows[rows["status"] == "no_data"]
    for year, units in absent.groupby("year", sort=True, observed=True):
        head = Text(f"  {label('no_data', lang)} {year}: ", style=STYLES["no_data"])
        all_names = [str(u) for u in units["unit"].unique()]
        names = [Text(u) for u in all_names[:NAMES]]
        more = (int(missing_units.get(year, 0)) if missing_units is not None else 0) - len(names)
        if more > 0:
            names.append(Text(label("more_units", lang).format(n=whole(more, lang))))
        for text in wrap_items(head, names, ", ", console.width):
            console.print(text, no_wrap=True, overflow="ellipsis")


def _targets(ind: Any, plan: Plan | None, lang: Lang) -> str:
    """``< 25% (2025), < 20% (2030)`` as the plan states them."""
    return ", ".join(stated(t, ind, plan, lang) for t in ind.targets) if plan else ""


def _line(row: Any, cells: Cells) -> _Line:
    path = "" if missing(row.path_value) else number(row.path_value, cells.lang)
    invalid = row.status == "invalid"
    projection = cells.projection(row) if not missing(row.projected_value) else ""
    # Under the line: why a value is invalid (missing, not a number, negative, too large), or that
    # its target has expired.
    note = cells.note(row) if invalid else (label("expired", cells.lang) if row.expired else "")
    return _Line(
        unit=str(row.unit),
        year=str(row.year),
        value="—" if invalid and missing(row.value) else cells.value(row),
        target=cells.target(row, standing=False),  # the heading says "every year"
        status=cells.status(row),
        gap=cells.gap(row, path=False),
        path=path,
        projection=projection,
        note=note,
        user_note=cells.user_note(row),
    )


@dataclass
class _Layout:
    """Column widths shared by every indicator of a plan, so the lines align under one header.

    The unit, year, value, target and status always have a column; the gap,
    the path it is measured to and the projection get one each while they fit
    in the width, and otherwise go to a line under the result.
    """

    widths: list[int]
    heads: list[str]
    keys: list[int]  # which of KEYS have a column
    inline_gap: bool
    inline_path: bool
    inline_projection: bool
    sep: str = GAP

    KEYS = ("unit", "year", "value", "target", "status", "gap", "path_value", "projection")
    RIGHT = (False, True, True, False, False, True, False, False)

    @classmethod
    def fit(cls, lines: list[_Line], width: int, lang: Lang) -> _Layout:
        """Two spaces between columns; one when that keeps the projection on the result's line."""
        roomy = cls._fit(lines, width, lang, GAP)
        if roomy.inline_projection or not any(line.projection for line in lines):
            return roomy
        tight = cls._fit(lines, width, lang, " ")
        return tight if tight.inline_projection else roomy

    @classmethod
    def _fit(cls, lines: list[_Line], width: int, lang: Lang, sep: str) -> _Layout:
        heads = [label(k, lang) for k in cls.KEYS]
        widths = [cell_len(h) for h in heads]
        for line in lines:
            for n, text in enumerate((line.unit, line.year, line.value, line.target, line.status)):
                widths[n] = max(widths[n], cell_len(text))
        used = sum(widths[:5]) + len(sep) * 4
        gap = max([widths[5], *(cell_len(line.gap) for line in lines)])
        path = max((cell_len(line.path) for line in lines), default=0)
        path = max(path, widths[6]) if path else 0
        projection = max((cell_len(line.projection) for line in lines), default=0)
        projection = max(projection, widths[7]) if projection else 0
        inline_gap = used + len(sep) + gap <= width
        inline_path = inline_gap and bool(path) and used + 2 * len(sep) + gap + path <= width
        inline_projection = inline_path == bool(path) and inline_gap and bool(projection)
        inline_projection = inline_projection and used + 3 * len(sep) + gap + path + projection <= width
        keep = [*range(5), *[5] * inline_gap, *[6] * inline_path, *[7] * inline_projection]
        widths = [*widths[:5], gap, path, projection]
        return cls(
            [widths[k] for k in keep],
            [heads[k] for k in keep],
            keep,
            inline_gap,
            inline_path,
            inline_projection,
            sep,
        )

    def header(self) -> Text:
        return Text(
            self.sep.join(self._pad(head, n) for n, head in enumerate(self.heads)).rstrip(), style="bold"
        )

    def _pad(self, text: str, n: int) -> str:
        room = self.widths[n] - cell_len(text)
        return " " * room + text if self.RIGHT[self.keys[n]] else text + " " * room

    def lines(self, line: _Line, status: str, gap: Any, lang: Lang) -> list[Text]:
        """The result's line, and below it what did not fit: the gap, the path, the projection."""
        sign = 0 if missing(gap) else (gap > 0) - (gap < 0)
        every: list[tuple[str, str]] = [
            (line.unit, ""),
            (line.year, ""),
            (line.value, ""),
            (line.target, ""),
            (line.status, STYLES.get(status, "")),
            (line.gap, {1: "green", -1: "red"}.get(sign, "")),
            (line.path, "dim"),
            (line.projection, ""),
        ]
        pieces = [every[k] for k in self.keys]
        text = Text()
        for n, (piece, style) in enumerate(pieces):
            if n:
                text.append(self.sep)
            text.append(self._pad(piece, n), style=style)
        text.rstrip()
        below = [line.note] if line.note else []
        if line.gap and not self.inline_gap:
            below.append(f"{label('gap', lang)} {line.gap}")
        if line.path and not self.inline_path:
            below.append(f"{label('path', lang)} {line.path}")
        if line.projection and not self.inline_projection:
            below.append(f"{label('projection', lang)} {line.projection}")
        if not below:
            return [text]
        return [text, Text(" " * self.indent() + "↳ " + " · ".join(below), style="dim")]

    def indent(self) -> int:
        """Where a line under a result begins: under its year, past the unit's name."""
        return self.widths[0] + len(self.sep)


def _milestone_table(report: Report, lang: Lang) -> Table:
    table = Table(title=label("milestone", lang), title_justify="left", box=box.SIMPLE_HEAD)
    for key in ("unit", "milestone", "owner", "due", "done_on", "status"):
        table.add_column(label(key, lang), no_wrap=key in ("unit", "due", "done_on", "status"))
    for row in report.milestones.itertuples(index=False):
        plan = report.plans.get(str(row.plan))
        ms = next((m for m in plan.milestones if m.id == row.milestone), None) if plan else None
        name = (ms.name if lang == "vi" else ms.name_en) if ms else str(row.milestone)
        table.add_row(
            str(row.unit),
            name,
            str(row.owner or ""),
            _date(row.due, lang),
            _date(row.done_on, lang),
            Text(label(str(row.status), lang), style=STYLES.get(str(row.status), "")),
        )
    return table


def _date(value: Any, lang: Lang) -> str:
    if missing(value) or value is pd.NaT:
        return ""
    if hasattr(value, "strftime"):
        return str(value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat())
    return str(value)
