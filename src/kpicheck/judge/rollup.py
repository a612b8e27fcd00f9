"""Aggregating units to higher ones (communes to districts, districts to provinces, new communes
onto an old district's land).

Counts are summed. Rates are rebuilt from summed numerators and denominators
with the indicator's factor (percent ×100, per 1,000, per 100,000); averaging
rates would weigh a commune of 30 births like a town of 3,000. A rate without
its numerator and denominator cannot be aggregated honestly, so it is refused.

Which unit goes into which is given as a plain mapping (from a data column, or
from the unit registry by the caller): judging never needs to know the map. A
unit lying only partly in the higher one (a new commune straddling an old
district's edge) is never summed silently: it is left out unless asked, and
either way the result names it in ``partial``. Every aggregated result names
the units it was built from; a figure the data gives for the higher unit itself
is judged as given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from kpicheck.errors import DataError, Problem
from kpicheck.frames import category_texts
from kpicheck.judge.indicators import IndicatorNames
from kpicheck.plan.model import Plan

# Public-health agencies flag rates built on fewer events than this as unstable.
SMALL_NUMERATOR = 20

Parents = Mapping[str, Sequence[tuple[str, bool]]]  # unit -> [(higher unit, lies there only in part)]


def roll_up_column(plan: Plan, frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """The rows of ``frame`` aggregated to the units named in ``column``."""
    if column not in frame.columns:
        raise DataError(Problem.of("data.no-rollup-column", column=f"--rollup {column}", name=column))
    blank = frame[column].isna() | (frame[column].astype(str) == "")
    if blank.any():
        row = frame[blank].iloc[0]
        raise DataError(
            Problem.of("data.blank-rollup-unit", str(row["file"]), int(row["line"]), column, name=column)
        )
    pairs = frame[["unit", column]].astype(str).drop_duplicates()
    parents: dict[str, list[tuple[str, bool]]] = {}
    for unit, parent in pairs.itertuples(index=False):
        parents.setdefault(unit, []).append((parent, False))
    return roll_up(plan, frame, parents)


def roll_up(
    plan: Plan,
    frame: pd.DataFrame,
    parents: Parents,
    *,
    include_partial: bool = False,
    names: Mapping[str, str] | None = None,
    strict: bool = True,
) -> pd.DataFrame:
    """The rows of ``frame`` summed into the units ``parents`` names; a unit without parents (or
    its own parent) keeps its rows as they are. ``names`` says how ``built_from`` and ``partial``
    name each unit (its code), by default as the unit column does. Not ``strict``: a rate without
    numerator and denominator is left out instead of refused (its sums then count fewer units)."""
    names = names or {}
    keys = category_texts(frame["unit"])
    # Each category's parents, flattened: category c owns entries start[c] .. start[c] + count[c] - 1.
    plist = [list(parents.get(k) or [(k, False)]) for k in keys]
    count = np.array([len(p) for p in plist], dtype=np.int64)
    start = np.cumsum(count) - count
    flat_parent = np.array([p for ps in plist for p, _ in ps], dtype=object)
    flat_partial = np.array([part for ps in plist for _, part in ps], dtype=bool)
    parent_names = pd.Index(sorted(set(flat_parent)))
    flat_index = parent_names.get_indexer(flat_parent)
    self_index = parent_names.get_indexer(np.array(keys, dtype=object))  # -1: not a parent itself
    child_of_row = frame["unit"].cat.codes.to_numpy().astype(np.int64)
    per_row = count[child_of_row]
    row = np.repeat(np.arange(len(frame)), per_row)
    child = child_of_row[row]
    entry = start[child] + np.arange(len(row)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    parent = flat_index[entry]
    partial = flat_partial[entry]
    own = parent == self_index[child]
    summed = ~own & (include_partial | ~partial)

    # Per spelling of each indicator in the data, its factor: an indicator is found as the judge
    # finds it (by id in any case, name, code or alias), or a rate written by name is summed as a count.
    spellings = category_texts(frame["indicator"])
    positions = IndicatorNames.of(plan).positions(spellings)[:-1]
    factors = {
        c: plan.indicators[k].unit.factor if k >= 0 else None
        for c, k in zip(spellings, positions, strict=True)
    }
    has_parts = {"numerator", "denominator"} <= set(frame.columns)
    rate = frame["indicator"].map(factors).astype("float64").notna().to_numpy()[row]
    if rate.any():
        bad = summed & rate
        if has_parts:
            bad &= (frame["numerator"].isna() | frame["denominator"].isna()).to_numpy()[row]
        if bad.any() and strict:
            at = frame.iloc[int(row[np.flatnonzero(bad)[0]])]
            raise DataError(
                Problem.of(
                    "data.rate-without-parts",
                    str(at["file"]),
                    int(at["line"]),
                    "numerator",
                    indicator=at["indicator"],
                )
            )
        summed &= ~bad

    def column(name: str) -> np.ndarray:
        return frame[name].to_numpy()[row] if name in frame.columns else np.full(len(row), np.nan)

    label = np.array([names.get(k, k) for k in keys], dtype=object)
    work = pd.DataFrame(
        {
            "unit": parent,
            "indicator": frame["indicator"].cat.codes.to_numpy()[row],
            "year": frame["year"].to_numpy()[row],
            "value": column("value"),
            "numerator": column("numerator"),
            "denominator": column("denominator"),
            "raw_value": column("raw_value"),
            "blank": column("blank"),
            "file": frame["file"].cat.codes.to_numpy()[row],
            "line": frame["line"].to_numpy()[row],
            "from": label[child],
        }
    )
    # An empty cell too: a commune that has not reported leaves a gap in the district's total.
    work["missing"] = work["value"].isna() & ~rate
    key = ["unit", "indicator", "year"]
    grouped = (
        work[summed]
        .groupby(key)
        .agg(
            value=("value", "sum"),
            numerator=("numerator", "sum"),
            denominator=("denominator", "sum"),
            missing=("missing", "any"),
            file=("file", "first"),
            line=("line", "min"),
            built_from=("from", _listed),
            n_from=("from", "size"),
        )
    )
    flagged = work[partial & ~own].groupby(key)["from"].agg(_listed).rename("partial")
    # A partial unit alone, left out, leaves nothing to judge: only groups with a sum get the flag.
    grouped = grouped.join(flagged, how="left")
    factor = grouped.index.get_level_values("indicator").map(
        dict(enumerate(frame["indicator"].cat.categories.map(factors)))
    )
    factor = np.asarray(factor, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        rebuilt = grouped["numerator"].to_numpy() / grouped["denominator"].to_numpy() * factor
    value = np.where(np.isnan(factor), grouped["value"].to_numpy(), rebuilt)
    value[grouped["missing"].to_numpy(dtype=bool)] = np.nan  # a count with a gap is not a total
    grouped["value"] = value
    mine = work[own].set_index(key).drop(columns=["from", "missing"])
    out = pd.concat([mine, grouped.drop(columns=["missing"])])
    out = out[~out.index.duplicated(keep="first")].sort_index().reset_index()  # given for itself: wins
    result = pd.DataFrame(
        {
            "unit": pd.Categorical.from_codes(out["unit"].to_numpy(dtype=np.int64), categories=parent_names),
            "indicator": pd.Categorical.from_codes(
                out["indicator"].to_numpy(dtype=np.int64), categories=frame["indicator"].cat.categories
            ),
            "year": out["year"].to_numpy(dtype=np.int32),
            "value": out["value"].to_numpy(dtype=np.float64),
        }
    )
    if has_parts:
        result["numerator"] = out["numerator"].to_numpy(dtype=np.float64)
        result["denominator"] = out["denominator"].to_numpy(dtype=np.float64)
    if "blank" in frame.columns:  # a unit's own empty cell stays not-yet-submitted; a sum is never empty
        result["blank"] = out["blank"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    if "raw_value" in frame.columns:
        result["raw_value"] = pd.array(out["raw_value"].to_numpy(dtype=object), dtype="string")
    result["file"] = pd.Categorical.from_codes(
        out["file"].to_numpy(dtype=np.int64), categories=frame["file"].cat.categories
    )
    result["line"] = out["line"].to_numpy(dtype=np.int64)
    for text in ("built_from", "partial"):
        result[text] = text_column(out[text].to_numpy(dtype=object))
    result["n_from"] = out["n_from"].fillna(0).to_numpy(dtype=np.int64)
    result["unit"] = result["unit"].cat.remove_unused_categories()
    return result


def text_column(values: np.ndarray) -> pd.Categorical:
    """Text (None where there is none) as a categorical whose categories are strings even when
    there are none, so that tables of shares and roll-ups stack."""
    present = [v for v in values if isinstance(v, str)]
    categories = pd.Index(sorted(set(present)), dtype="str")
    return pd.Categorical([v if isinstance(v, str) else None for v in values], categories=categories)


def _listed(units: pd.Series) -> str:
    """Units as ``built_from`` and ``partial`` name them: sorted, once each."""
    return ", ".join(sorted(set(units)))
