"""Judging a chunk of figures against a plan: the steps in order, on whole columns.

``judge`` finds each row's indicator in the plan, sorts the valid figures into
series (``series``), projects each series (``projection``), decides the status
of every row (``rules``), adds the unknown indicators and the missing figures
(``missing``), and hands the arrays to ``results`` to become a table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kpicheck.errors import DataError
from kpicheck.judge.indicators import AMBIGUOUS, indicator_problems
from kpicheck.judge.missing import missing_figures
from kpicheck.judge.notes import Notes
from kpicheck.judge.projection import Projection, project
from kpicheck.judge.results import Judged
from kpicheck.judge.rollup import SMALL_NUMERATOR
from kpicheck.judge.rows import FLAGS, TEXTS, Rows
from kpicheck.judge.rules import INVALID, NO_DATA, UNKNOWN, Figures, decide
from kpicheck.judge.series import Series
from kpicheck.judge.targets import TargetTable, compile_plan
from kpicheck.plan.model import Plan


def evaluate(
    plan: Plan | TargetTable, data: pd.DataFrame | Rows, projection: Projection | str = "cagr"
) -> pd.DataFrame:
    """Judge every row of ``data`` (the checked long table) against ``plan``; one result row per figure.

    Rows for years before the plan's first year are history: they feed
    baselines and projections and get no result of their own.
    """
    return judge(plan, data, projection).frame()


def count_statuses(
    plan: Plan | TargetTable, data: pd.DataFrame | Rows, projection: Projection | str = "cagr"
) -> dict[str, int]:
    """How many results of each status, without building the results table."""
    return judge(plan, data, projection).counts()


def judge(
    plan: Plan | TargetTable, data: pd.DataFrame | Rows, projection: Projection | str = "cagr"
) -> Judged:
    """Every verdict (status, gap, path, projection) for the rows of ``data``, as arrays."""
    if isinstance(data, pd.DataFrame):
        data = Rows.of(data)
    table = compile_plan(plan)
    plan = table.plan
    first_year = plan.baseline_year or plan.period.start

    ind = indicator_index(table, data)
    unit = data.unit.astype(np.int64)
    year = data.year.astype(np.int64)
    value = data.value
    known = ind >= 0
    # A row whose value cell is empty was not submitted yet: no result of its own, and its
    # indicator counts as missing (``no_data``) where a target applies; the (unit, year) it is on
    # still counts as reported.
    blank = data.extra.get("blank")
    figure = known if blank is None else known & ~blank
    # NaN fails both comparisons; an unknown indicator (-1) reads the -inf put last.
    valid = (value >= 0) & (value <= np.append(table.maximum, -np.inf)[ind])

    # One sort of the valid rows by (unit, indicator, year) serves both the
    # baseline look-ups and the projections.
    series = Series.of(unit, ind, year, value, valid, len(table.ids))
    projected, outlook = project(table, series, len(data), projection)
    no_row = np.zeros(len(data), dtype=bool)
    history, no_figure, not_yes_no, counted = (data.extra.get(flag, no_row) for flag in FLAGS)
    judged = figure & (year >= first_year) & ~history  # rebuilt history only feeds the series
    # Most files hold no history rows: then every row is judged, and views replace copies.
    idx: np.ndarray | slice = slice(None) if judged.all() else np.flatnonzero(judged)
    figures = Figures(unit[idx], ind[idx], year[idx], value[idx], valid[idx])
    verdicts = decide(table, series, figures)
    owed = no_figure[idx]  # a unit that owed a yes or no to a share and gave none
    verdicts.status[owed] = NO_DATA
    verdicts.status[not_yes_no[idx]] = INVALID

    notes = Notes()
    raw = data.extra.get("raw_value")
    judged_part: dict[str, np.ndarray] = {
        "unit": figures.unit,
        "indicator": figures.indicator,
        "year": figures.year,
        "value": figures.value,
        "status": verdicts.status,
        "op": verdicts.op,
        "target": verdicts.target,
        "target_year": verdicts.target_year,
        "basis": verdicts.relative.astype(np.int8),
        "baseline_year": verdicts.baseline_year,
        "baseline_value": verdicts.baseline_value,
        "change": verdicts.change,
        "path_value": verdicts.path_value,
        "gap": verdicts.gap,
        "projected_value": projected[idx],
        "outlook": outlook[idx],
        "expired": figures.year > plan.period.end,
        "area_dissolved": _dissolved(table, figures.year),
        "file": data.file[idx],
        "line": data.line[idx],
        "note": notes.invalid(
            ~figures.valid, figures.value, table.maximum[figures.indicator], None if raw is None else raw[idx]
        ),
    }
    judged_part["note"][owed] = notes.code("no-figure")
    judged_part["note"][not_yes_no[idx]] = notes.code("not-yes-no")
    for text in TEXTS:
        if text in data.extra:
            judged_part[text] = data.extra[text][idx]
    if "user_note" in data.extra:
        judged_part["user_note"] = data.extra["user_note"][idx]
    if "numerator" in data.extra:
        # Rates resting on few events are unstable; say so wherever the result goes.
        num = data.extra["numerator"][idx]
        judged_part["numerator"] = num
        judged_part["denominator"] = data.extra["denominator"][idx]
        # A share of communes counts communes, not events: 3 of 14 is no unstable rate.
        share = table.share[figures.indicator] if table.share is not None else False
        judged_part["small_numerator"] = (
            (num < SMALL_NUMERATOR) & np.isfinite(table.factor[figures.indicator]) & ~share
        )

    unknown_rows = np.flatnonzero(
        ~known & (year >= first_year) & ~history & (True if blank is None else ~blank)
    )
    unknown_ind, ind_names = _unknown_codes(table, data, unknown_rows)
    unknown_part = {
        "unit": unit[unknown_rows],
        "indicator": unknown_ind,
        "year": year[unknown_rows],
        "value": value[unknown_rows],
        "status": np.full(len(unknown_rows), UNKNOWN, dtype=np.int8),
        "area_dissolved": _dissolved(table, year[unknown_rows]),
        "file": data.file[unknown_rows],
        "line": data.line[unknown_rows],
        "note": np.full(len(unknown_rows), notes.code("not-in-plan", plan=plan.id), dtype=np.int32),
    }
    if "user_note" in data.extra:
        unknown_part["user_note"] = data.extra["user_note"][unknown_rows]
    present = ind if blank is None else np.where(blank, -1, ind)
    # What a unit reported that year: not history rebuilt for it, nor a share it owed or was counted.
    reported: np.ndarray | slice = slice(None)
    if history.any() or no_figure.any() or counted.any():
        reported = np.flatnonzero(~history & ~no_figure & ~counted)
    made = np.flatnonzero(counted)  # a share counted for the area is its figure, though not a report
    missing = missing_figures(
        table,
        unit[reported],
        present[reported],
        year[reported],
        first_year,
        notes,
        data.exempt,
        given=(unit[made], ind[made], year[made]),
    )
    if missing:
        missing["area_dissolved"] = _dissolved(table, missing["year"])
    parts = [judged_part, unknown_part, missing]
    return Judged(plan, data, ind_names, [p for p in parts if p and len(p["unit"])], notes)


def _dissolved(table: TargetTable, year: np.ndarray) -> np.ndarray:
    """Whether each year comes after the plan's area was dissolved (the year of dissolution too:
    its figures are reported on the new map)."""
    if table.dissolved_year is None:
        return np.zeros(len(year), dtype=bool)
    return year >= table.dissolved_year


def indicator_index(table: TargetTable, data: Rows) -> np.ndarray:
    """Each row's indicator as a position in the plan (-1: not in the plan), resolved once per
    category: by id, name, code or alias (``judge.indicators``). A text that fits several
    indicators is refused with the candidates."""
    per_category = table.names.positions(list(data.indicator_names))
    if (per_category == AMBIGUOUS).any():
        found = indicator_problems(
            table.names, list(data.indicator_names), data.indicator, data.file, data.file_names, data.line
        )
        raise DataError(found.ambiguous)
    return per_category[data.indicator]  # code -1 (blank) hits the final -1


def _unknown_codes(table: TargetTable, data: Rows, rows: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Indicator codes for unknown indicators, numbered after the plan's own; all names in order."""
    names = list(table.ids)
    if len(rows) == 0:
        return np.zeros(0, dtype=np.int64), names
    categories = data.indicator_names
    raw = data.indicator[rows]
    known = table.names.positions(list(categories))[:-1] >= 0
    extra = {
        c: len(names) + i for i, c in enumerate(c for c, k in zip(categories, known, strict=True) if not k)
    }
    names.extend(extra)
    per_category = np.array([extra.get(c, -1) for c in categories], dtype=np.int64)
    return per_category[raw], names
