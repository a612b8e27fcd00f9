"""What a report for people holds of a run too large to hold whole: an outline of every result,
and whole only the rows it lists.

markdown, junit, html and xlsx show the first results, the worst failures, a
few units per chart, and count the rest. Holding two million results to show
twenty thousand took three times the memory of reading the file, so such a
run is judged twice, chunk by chunk (``pipeline``): first every result leaves
its outline (``outline``: about 20 bytes against 130 for a whole row), from
which the counts are taken and the rows to list are chosen (``rows_to_keep``,
by what the format says it lists: ``Keeps``); then the chunks that hold those
rows are judged again and only those rows are kept. The report then renders
the same bytes as from every result (``tests/report/test_keep.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kpicheck.report.report import Report

OUTLINE = ["plan", "goal", "unit", "indicator", "year", "status", "value", "small_numerator"]


@dataclass(frozen=True)
class Keeps:
    """What a format lists of the results; the rest it counts from the outline."""

    first: int = 0  # the first results, in the results' order
    failing: int = 0  # the first failing results, worst unit first (``Report.failing``)
    plan_results: int = 0  # every result of a plan that has at most this many
    plan_units: int = 0  # every result of a plan that has at most this many units
    noted: int = 0  # per plan, the first results that carry the unit's own note
    charted: int = 0  # per plan and indicator, the values of the worst units that have one
    select: Callable[[Report], np.ndarray] | None = None  # the format's own choice, besides


def outline(results: pd.DataFrame) -> pd.DataFrame:
    """The narrow columns every result leaves behind: enough to count, rank and chart."""
    frame = results[OUTLINE].reset_index(drop=True)
    notes = results["user_note"] if "user_note" in results.columns else None
    noted = notes.notna().to_numpy() if notes is not None else np.zeros(len(results), dtype=bool)
    return frame.assign(year=frame["year"].astype(np.int16), noted=noted)


def rows_to_keep(report: Report, keeps: Keeps) -> np.ndarray:
    """Which results (positions in ``report.outline``) hold what the format lists."""
    every = report.everything
    keep = np.zeros(len(every), dtype=bool)
    keep[: keeps.first] = True
    if keeps.failing:
        failing = np.flatnonzero(every["status"].isin(report.fail_on).to_numpy())
        order = report._failing_order(every.iloc[failing])
        keep[failing[order[: keeps.failing]]] = True
    if keeps.select is not None:
        keep |= keeps.select(report)
    units = _codes(every["unit"])
    for plan in report.plan_ids():
        in_plan = (every["plan"] == plan).to_numpy()
        if int(in_plan.sum()) <= keeps.plan_results or _distinct(units[in_plan]) <= keeps.plan_units:
            keep |= in_plan
            continue
        if keeps.noted:
            noted = np.flatnonzero(in_plan & every["noted"].to_numpy())
            keep[noted[: keeps.noted]] = True
        if keeps.charted:
            keep |= _charted(report, plan, in_plan, keeps.charted)
    return keep


def _charted(report: Report, plan: str, in_plan: np.ndarray, per_chart: int) -> np.ndarray:
    """The rows with a value of the ``per_chart`` worst units of each indicator of ``plan`` that have
    one: the lines its chart draws (the other units are drawn as a band)."""
    every = report.everything
    units = report.unit_summary()
    worst = [str(u) for p, u in zip(units["plan"], units["unit"], strict=True) if str(p) == plan]
    unit = every["unit"].astype("category")
    indicator = every["indicator"].astype("category")
    names = [str(u) for u in unit.cat.categories.tolist()]
    place = {u: n for n, u in enumerate(worst)}
    rank = np.array([place.get(u, len(worst)) for u in names], dtype=np.int64)  # worst first
    valued = np.flatnonzero(in_plan & every["value"].notna().to_numpy())
    unit_codes = unit.cat.codes.to_numpy()[valued]
    ind_codes = indicator.cat.codes.to_numpy()[valued]
    # Which units have a value of each indicator, then which of them are drawn: one cell per pair.
    drawn = np.zeros((len(indicator.cat.categories), len(names)), dtype=bool)
    drawn[ind_codes, unit_codes] = True
    for row in drawn:
        with_value = np.flatnonzero(row)
        row[with_value[np.argsort(rank[with_value], kind="stable")[per_chart:]]] = False
    keep = np.zeros(len(every), dtype=bool)
    keep[valued[drawn[ind_codes, unit_codes]]] = True
    return keep


def _distinct(codes: np.ndarray) -> int:
    """How many distinct codes there are, without sorting them."""
    return int(np.count_nonzero(np.bincount(codes[codes >= 0]))) if len(codes) else 0


def _codes(column: pd.Series) -> np.ndarray:
    """A column's values as integer codes (its categories' when it has them)."""
    return np.asarray(column.astype("category").cat.codes.to_numpy())
