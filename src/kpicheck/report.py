"""What every output format renders: the results table and what is needed to label it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from kpicheck.engine import STATUSES
from kpicheck.i18n import Lang
from kpicheck.model import Plan
from kpicheck.statuses import MILESTONE_STATUSES

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


@dataclass
class Report:
    """Results of one run; formats only read it."""

    results: pd.DataFrame
    plans: dict[str, Plan]
    milestones: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=MILESTONE_COLUMNS)
    )
    lang: Lang = "vi"
    warnings: list[str] = field(default_factory=list)
    as_of: str | None = None

    def summary(self) -> dict[str, int]:
        """Count per status, every status present (zero when absent), in a stable order."""
        counts = self.results["status"].value_counts()
        out = {s: int(counts.get(s, 0)) for s in STATUSES}
        if len(self.milestones):
            m = self.milestones["status"].value_counts()
            out.update({s: int(m.get(s, 0)) for s in MILESTONE_STATUSES})
        return out

    def records(self) -> list[dict[str, Any]]:
        """Results as plain JSON-ready dicts (NaN and NA become None)."""
        return [{k: plain(v) for k, v in row.items()} for row in self.results.to_dict("records")]

    def milestone_records(self) -> list[dict[str, Any]]:
        return [{k: plain(v) for k, v in row.items()} for row in self.milestones.to_dict("records")]


def plain(value: Any) -> Any:
    """A JSON-friendly Python value: numpy scalars unwrapped, missing values as None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
