"""What every output format renders: the results table and what is needed to label it.

A report for people (markdown, junit, html, xlsx) lists only what a person
reads and counts the rest; on a national run it holds only the rows it lists,
and an outline of every result to count from (``report.keep``).
"""

from __future__ import annotations

import datetime as dt
import math
import os
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from kpicheck import statuses
from kpicheck.errors import Problem
from kpicheck.plan.model import Plan
from kpicheck.report.cells import has_user_notes
from kpicheck.report.labels import Lang
from kpicheck.report.layout import RenderOptions
from kpicheck.statuses import DEFAULT_FAIL_ON, MILESTONE_STATUSES, RESULT_STATUSES

MILESTONE_COLUMNS = [
    "plan",
    "unit",
    "milestone",
    "year",
    "due",
    "done_on",
    "status",
    "owner",
    "note",
]


def generated_now() -> dt.datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set: reproducible reports, as reproducible builds do it."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    return dt.datetime.now().replace(microsecond=0)


@dataclass
class Report:
    """Results of one run; formats only read it.

    ``results`` holds every result, or, when ``outline`` is given, only the
    rows the format lists (``report.keep``); the counts always come from every
    result, through the outline (plan, unit, indicator, year, status, value,
    small_numerator and noted for each).
    """

    results: pd.DataFrame
    plans: dict[str, Plan]
    milestones: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MILESTONE_COLUMNS))
    lang: Lang = "vi"
    warnings: list[Problem] = field(default_factory=list)
    as_of: str | None = None
    fail_on: frozenset[str] = DEFAULT_FAIL_ON
    errors: list[Problem] = field(default_factory=list)  # files (or units) set aside: listed first
    inputs: list[str] = field(default_factory=list)  # the files read, as the user named them
    generated: dt.datetime = field(default_factory=generated_now)
    options: RenderOptions = field(default_factory=RenderOptions)
    outline: pd.DataFrame | None = None  # every result in outline, when ``results`` holds only some
    counts: pd.DataFrame | None = None  # ``status_counts`` of every result, when gathered chunk by chunk

    @property
    def everything(self) -> pd.DataFrame:
        """Every result, at least in outline: what the counts are taken from."""
        return self.results if self.outline is None else self.outline

    def summary(self) -> dict[str, int]:
        """Count per status, every status present (zero when absent), in a stable order."""
        milestones = self.milestones["status"].value_counts() if len(self.milestones) else None
        return statuses.summary(self.everything["status"].value_counts(), milestones)

    def result_count(self, plan: str | None = None) -> int:
        """How many results there are, of one plan or of all."""
        if plan is None:
            return len(self.everything)
        return int((self.everything["plan"] == plan).sum())

    def plan_ids(self) -> list[str]:
        """The plans that have results, in the results' order."""
        return [str(p) for p in self.everything["plan"].unique()]

    def rows_of(self, plan: str, every: bool = False) -> pd.DataFrame:
        """The rows held of one plan's results, or (``every``) all of them, at least in outline."""
        frame = self.everything if every else self.results
        return frame[(frame["plan"] == plan).to_numpy()]

    def has_user_notes(self) -> bool:
        """Whether any result carries a unit's own note."""
        if self.outline is not None:
            return bool(self.outline["noted"].any())
        return has_user_notes(self.results)

    def noted_count(self, plan: str) -> int:
        """How many results of ``plan`` carry the unit's own note."""
        if self.outline is not None:
            return int((self.outline["noted"] & (self.outline["plan"] == plan)).sum())
        rows = self.rows_of(plan)
        return int(rows["user_note"].notna().sum()) if "user_note" in rows.columns else 0

    @cached_property
    def _unit_summary(self) -> pd.DataFrame:
        parts = [self.counts if self.counts is not None else status_counts(self.everything)]
        if len(self.milestones):
            parts.append(status_counts(self.milestones))
        return unit_table(pd.concat(parts, ignore_index=True), self.fail_on)

    def unit_summary(self) -> pd.DataFrame:
        """Units × count of each status, worst first (most failing results, then most not_met)."""
        return self._unit_summary.copy()

    def totals(self) -> Totals:
        """What closes the report after its results (see ``Totals``)."""
        return Totals(self.summary(), self.unit_summary(), self.milestones, self.as_of)

    def failing(self, every: bool = False) -> pd.DataFrame:
        """The results held whose status fails the run (``every``: all of them, at least in
        outline), worst unit first, then in plan and year order."""
        frame = self.everything if every else self.results
        rows = frame[frame["status"].isin(self.fail_on).to_numpy()]
        if not len(rows):
            return rows
        return rows.iloc[self._failing_order(rows)].reset_index(drop=True)

    def failing_count(self) -> int:
        """How many results fail the run."""
        return int(self.everything["status"].isin(self.fail_on).sum())

    def _failing_order(self, rows: pd.DataFrame) -> Any:
        """Positions of ``rows`` worst unit first, then in the plan's order of indicators (those
        not in it after, by id), then by year. Ranked through the categories: a national run has
        hundreds of thousands of failing results and ten thousand units."""
        units = self._unit_summary
        unit_rank = {
            (str(p), str(u)): n for n, (p, u) in enumerate(zip(units["plan"], units["unit"], strict=True))
        }
        ind_rank = {(p.id, ind.id): n for p in self.plans.values() for n, ind in enumerate(p.indicators)}
        plan = rows["plan"].astype("category")
        unit = rows["unit"].astype("category")
        ind = rows["indicator"].astype("category")
        plan_codes, unit_codes, ind_codes = (c.cat.codes.to_numpy() for c in (plan, unit, ind))
        unit_names = [str(u) for u in unit.cat.categories.tolist()]
        ind_names = [str(i) for i in ind.cat.categories.tolist()]
        by_unit = np.full(len(rows), len(units), dtype=np.int64)
        by_ind = np.full(len(rows), len(ind_rank), dtype=np.int64)
        for code, name in enumerate(str(p) for p in plan.cat.categories.tolist()):
            here = plan_codes == code
            ranks = np.array([unit_rank.get((name, u), len(units)) for u in unit_names], dtype=np.int64)
            by_unit[here] = ranks[unit_codes[here]]
            order = np.array([ind_rank.get((name, i), len(ind_rank)) for i in ind_names], dtype=np.int64)
            by_ind[here] = order[ind_codes[here]]
        by_id = np.argsort(np.argsort(np.array(ind_names, dtype=object), kind="stable"), kind="stable")
        years = rows["year"].to_numpy()
        return np.lexsort((years, by_id[ind_codes], by_ind, by_unit))


@dataclass(frozen=True)
class Totals:
    """What a report says after its results, known only once every result is judged: a streamed
    format (``report.formats``) gets it at the end, from counts gathered chunk by chunk."""

    summary: dict[str, int]  # count per status (``Report.summary``)
    units: pd.DataFrame  # ``unit_table``
    milestones: pd.DataFrame
    as_of: str | None = None


def status_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """How many rows of ``frame`` (results or milestones) each (plan, unit, status) has: columns
    plan, unit, status, n. Grouped on the categories, never a Python string per row."""
    counts = frame.groupby(["plan", "unit", "status"], observed=True, sort=False).size()
    return counts.rename("n").reset_index().astype({"plan": str, "unit": str, "status": str})


def unit_table(counts: pd.DataFrame, fail_on: frozenset[str]) -> pd.DataFrame:
    """Units × count of each status from ``status_counts`` rows (of one table or of many chunks,
    summed here): plan, unit, failed, then each status present; worst first (most failing
    results, then most not_met, ...), ties in plan and unit order."""
    if not len(counts):
        return pd.DataFrame(columns=["plan", "unit", "failed"])
    counts = counts.astype({"plan": str, "unit": str, "status": str})
    table = counts.groupby(["plan", "unit", "status"])["n"].sum().unstack("status", fill_value=0)
    present = [s for s in (*RESULT_STATUSES, *MILESTONE_STATUSES) if s in table.columns]
    table = table[present]
    failing = [s for s in present if s in fail_on]
    table.insert(0, "failed", table[failing].sum(axis=1) if failing else 0)
    order = ["failed", *(s for s in ("not_met", "off_track", "invalid", "overdue") if s in present)]
    table = table.sort_values(order, ascending=False, kind="stable")
    table.columns.name = None
    return table.reset_index()


def plain(value: Any) -> Any:
    """A JSON-friendly Python value: numpy scalars unwrapped, missing and non-finite values as None
    (JSON has no spelling for them; see ``strict_json``)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
