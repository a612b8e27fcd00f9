"""What every output format renders: the results table and what is needed to label it."""

from __future__ import annotations

import datetime as dt
import math
import os
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from kpicheck import statuses
from kpicheck.errors import Problem
from kpicheck.plan.model import Plan
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
    """Results of one run; formats only read it."""

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

    def summary(self) -> dict[str, int]:
        """Count per status, every status present (zero when absent), in a stable order."""
        milestones = self.milestones["status"].value_counts() if len(self.milestones) else None
        return statuses.summary(self.results["status"].value_counts(), milestones)

    def unit_summary(self) -> pd.DataFrame:
        """Units × count of each status, worst first (most failing results, then most not_met)."""
        parts = [status_counts(self.results)]
        if len(self.milestones):
            parts.append(status_counts(self.milestones))
        return unit_table(pd.concat(parts, ignore_index=True), self.fail_on)

    def totals(self) -> Totals:
        """What closes the report after its results (see ``Totals``)."""
        return Totals(self.summary(), self.unit_summary(), self.milestones, self.as_of)

    def failing(self) -> pd.DataFrame:
        """The results whose status fails the run, worst unit first, then in plan and year order."""
        rows = self.results[self.results["status"].isin(self.fail_on).to_numpy()]
        if not len(rows):
            return rows
        units = self.unit_summary()
        keys = rows[["plan", "unit", "indicator", "year"]].astype(
            {"plan": str, "unit": str, "indicator": str}
        )
        ranks = units[["plan", "unit"]].astype(str).assign(_unit=range(len(units)))
        order = pd.DataFrame(
            [(p.id, ind.id, n) for p in self.plans.values() for n, ind in enumerate(p.indicators)],
            columns=["plan", "indicator", "_ind"],
        )
        keys = keys.merge(ranks, how="left", on=["plan", "unit"]).merge(
            order, how="left", on=["plan", "indicator"]
        )
        keys = keys.fillna({"_unit": len(units), "_ind": len(order)})
        positions = keys.sort_values(["_unit", "_ind", "indicator", "year"], kind="stable").index
        return rows.iloc[positions.to_numpy()].reset_index(drop=True)


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
