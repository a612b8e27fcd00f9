"""Aggregating units to a higher level (communes to districts, districts to provinces).

Counts are summed. Rates are rebuilt from summed numerators and denominators
with the indicator's factor (percent ×100, per 1,000, per 100,000); averaging
rates would weigh a commune of 30 births like a town of 3,000. A rate without
its numerator and denominator cannot be aggregated honestly, so it is refused.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kpicheck.errors import DataError, Problem
from kpicheck.judge.indicators import IndicatorNames
from kpicheck.plan.model import Plan

# Public-health agencies flag rates built on fewer events than this as unstable.
SMALL_NUMERATOR = 20


def roll_up(plan: Plan, frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """The rows of ``frame`` aggregated to the units named in ``column``."""
    if column not in frame.columns:
        raise DataError(Problem.of("data.no-rollup-column", column=f"--rollup {column}", name=column))
    blank = frame[column].isna() | (frame[column].astype(str) == "")
    if blank.any():
        row = frame[blank].iloc[0]
        raise DataError(
            Problem.of("data.blank-rollup-unit", str(row["file"]), int(row["line"]), column, name=column)
        )
    # Per spelling of each indicator in the data, its factor: an indicator is found as the judge
    # finds it (by id in any case, name, code or alias), or a rate written by name is summed as a count.
    spellings = [str(c) for c in frame["indicator"].cat.categories]
    positions = IndicatorNames.of(plan).positions(spellings)[:-1]
    factors = {
        c: plan.indicators[k].unit.factor if k >= 0 else None
        for c, k in zip(spellings, positions, strict=True)
    }
    factor = frame["indicator"].map(factors).astype("float64")  # categorical map: per category
    is_rate = factor.notna().to_numpy()
    has_parts = {"numerator", "denominator"} <= set(frame.columns)
    if is_rate.any():
        bad = is_rate.copy()
        if has_parts:
            bad &= (frame["numerator"].isna() | frame["denominator"].isna()).to_numpy()
        if bad.any():
            row = frame[bad].iloc[0]
            raise DataError(
                Problem.of(
                    "data.rate-without-parts",
                    str(row["file"]),
                    int(row["line"]),
                    "numerator",
                    indicator=row["indicator"],
                )
            )
    work = pd.DataFrame(
        {
            "unit": frame[column].astype(str),
            "indicator": frame["indicator"].astype(str),
            "year": frame["year"],
            "value": frame["value"],
            "numerator": frame["numerator"] if has_parts else np.nan,
            "denominator": frame["denominator"] if has_parts else np.nan,
            # An empty cell too: a commune that has not reported leaves a gap in the district's total.
            "missing": frame["value"].isna() & ~is_rate,
            "file": frame["file"].astype(str),
            "line": frame["line"],
        }
    )
    grouped = work.groupby(["unit", "indicator", "year"], sort=True).agg(
        value=("value", "sum"),
        numerator=("numerator", "sum"),
        denominator=("denominator", "sum"),
        missing=("missing", "any"),
        file=("file", "first"),
        line=("line", "min"),
    )
    grouped = grouped.reset_index()
    rate_factor = grouped["indicator"].map(factors).astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = grouped["numerator"] / grouped["denominator"] * rate_factor
    grouped["value"] = np.where(rate_factor.notna(), rate, grouped["value"])
    grouped.loc[grouped["missing"], "value"] = np.nan  # a count with a gap is not a total
    if not has_parts:
        grouped = grouped.drop(columns=["numerator", "denominator"])
    out = grouped.drop(columns=["missing"])
    for col in ("unit", "indicator", "file"):
        out[col] = out[col].astype("category")
    out["year"] = out["year"].astype(np.int32)
    return out
