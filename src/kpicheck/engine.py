"""Judging figures against a plan: statuses, gaps, trajectories, projections.

Everything here works on whole columns. For each row the engine finds, with
``searchsorted`` over (indicator, year) keys, the target of that year, the
next and the previous target; then one vectorised pass decides the status.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kpicheck import operators as ops
from kpicheck.model import Basis, Direction, Plan, Target
from kpicheck.projection import project
from kpicheck.rollup import SMALL_NUMERATOR
from kpicheck.statuses import RESULT_STATUSES

RESULT_COLUMNS = [
    "plan",
    "goal",
    "unit",
    "indicator",
    "code",
    "year",
    "value",
    "status",
    "op",
    "target",
    "target_year",
    "basis",
    "baseline_year",
    "baseline_value",
    "change",
    "path_value",
    "gap",
    "projected_value",
    "outlook",
    "expired",
    "numerator",
    "denominator",
    "small_numerator",
    "note",
    "file",
    "line",
]
STATUSES = list(RESULT_STATUSES)
_YEAR_SPAN = 10_000
OP_NAMES = np.array(
    [o.value for o in ops.OPS_BY_CODE] + [None], dtype=object
)  # keys are indicator * _YEAR_SPAN + year


@dataclass(frozen=True)
class TargetTable:
    """A plan's targets as sorted arrays, one entry per (indicator, year)."""

    ids: list[str]
    sign: np.ndarray  # per indicator: +1 higher is better, -1 lower
    maximum: np.ndarray  # per indicator: largest possible value (inf for counts)
    factor: np.ndarray  # per indicator: rate factor (100, 1000, 100000; NaN for counts)
    relative: np.ndarray  # per indicator: targets are changes against a baseline
    base_year: np.ndarray  # per indicator: the baseline year of relative targets (0: none)
    standing: np.ndarray  # per indicator: its one target holds every year
    key: np.ndarray  # sorted indicator * _YEAR_SPAN + year (standing targets: year 0)
    ind: np.ndarray
    year: np.ndarray
    op: np.ndarray
    threshold: np.ndarray

    @classmethod
    def of(cls, plan: Plan) -> TargetTable:
        ids = [i.id for i in plan.indicators]
        rows = []
        for k, ind in enumerate(plan.indicators):
            for t in ind.targets:
                rows.append((k, t.year or 0, ops.OP_CODES[t.op], t.value))
        rows.sort()
        arr = np.array(rows, dtype=np.float64).reshape(-1, 4)
        ind_arr = arr[:, 0].astype(np.int64)
        year_arr = arr[:, 1].astype(np.int64)

        def base_year(indicator_targets: list[Target]) -> int:
            years = [
                t.baseline_year or plan.baseline_year for t in indicator_targets if t.basis is Basis.RELATIVE
            ]
            return int(years[0] or 0) if years else 0

        return cls(
            ids=ids,
            sign=np.array(
                [1 if i.direction is Direction.HIGHER else -1 for i in plan.indicators],
                dtype=np.float64,
            ),
            maximum=np.array([i.unit.maximum or np.inf for i in plan.indicators], dtype=np.float64),
            factor=np.array([i.unit.factor or np.nan for i in plan.indicators], dtype=np.float64),
            relative=np.array(
                [any(t.basis is Basis.RELATIVE for t in i.targets) for i in plan.indicators],
                dtype=bool,
            ),
            base_year=np.array([base_year(i.targets) for i in plan.indicators], dtype=np.int64),
            standing=np.array(
                [len(i.targets) == 1 and i.targets[0].year is None for i in plan.indicators],
                dtype=bool,
            ),
            key=ind_arr * _YEAR_SPAN + year_arr,
            ind=ind_arr,
            year=year_arr,
            op=arr[:, 2].astype(np.int64),
            threshold=arr[:, 3],
        )


@dataclass(frozen=True)
class Located:
    """Where each (indicator, year) stands among its indicator's targets."""

    standing: np.ndarray  # the indicator's one target holds every year
    exact: np.ndarray  # a target for this very year
    between: np.ndarray  # before a target year, after the previous one (or none)
    after_last: np.ndarray  # after the last target year: the last target keeps applying
    next: np.ndarray  # position of the first target at or after the year
    prev: np.ndarray  # position of the last target before the year
    has_prev: np.ndarray
    applies: np.ndarray  # position of the target that judges the year, -1 for none


def locate(table: TargetTable, ind: np.ndarray, year: np.ndarray) -> Located:
    """Find, for each (indicator, year), the targets around it by binary search."""
    std = table.standing[ind] if len(ind) else np.zeros(0, dtype=bool)
    key = ind * _YEAR_SPAN + year
    nxt = np.searchsorted(table.key, key, side="left")
    has_next = (nxt < len(table.key)) & ~std
    has_next[has_next] &= table.ind[nxt[has_next]] == ind[has_next]
    prev = nxt - 1
    has_prev = (prev >= 0) & ~std
    has_prev[has_prev] &= table.ind[prev[has_prev]] == ind[has_prev]
    exact = has_next.copy()
    exact[exact] &= table.year[nxt[exact]] == year[exact]
    after_last = ~has_next & has_prev
    between = has_next & ~exact
    applies = np.full(len(ind), -1, dtype=np.int64)
    applies[has_next] = nxt[has_next]
    applies[after_last] = prev[after_last]
    # A standing target is stored with year 0, so it is the first entry of its indicator.
    applies[std] = np.searchsorted(table.key, ind[std] * _YEAR_SPAN)
    return Located(std, exact, between, after_last, nxt, prev, has_prev, applies)


def evaluate(plan: Plan, data: pd.DataFrame, projection: str = "cagr") -> pd.DataFrame:
    """Judge every row of ``data`` (long format) against ``plan``; one result row per figure.

    Rows for years before the plan's first year are history: they feed
    baselines and projections and get no result of their own.
    """
    table = TargetTable.of(plan)
    first_year = plan.baseline_year or plan.period.start
    n_ind = len(table.ids)

    k = indicator_index(table, data)
    unit_codes = data["unit"].cat.codes.to_numpy().astype(np.int64)
    year = data["year"].to_numpy().astype(np.int64)
    value = data["value"].to_numpy(dtype=np.float64)

    known = k >= 0
    valid = known & ~np.isnan(value) & (value >= 0)
    valid[known] &= value[known] <= table.maximum[k[known]]

    # One sort of the valid rows by (unit, indicator, year) serves both the
    # baseline look-ups and the projections.
    series = _Series.of(unit_codes, k, year, value, valid, n_ind)
    projected, outlook = project(plan, table, series.rows, unit_codes, k, year, value, projection)
    judged = known & (year >= first_year)
    idx = np.flatnonzero(judged)
    kk, yy, vv, uu = k[idx], year[idx], value[idx], unit_codes[idx]
    n = len(idx)
    sign = table.sign[kk]

    loc = locate(table, kk, yy)
    std, exact, between, after_last = loc.standing, loc.exact, loc.between, loc.after_last
    nxt, prev, has_prev, applies = loc.next, loc.prev, loc.has_prev, loc.applies
    has_target = applies >= 0
    t_op = np.where(has_target, table.op[np.maximum(applies, 0)], -1)
    t_val = np.where(has_target, table.threshold[np.maximum(applies, 0)], np.nan)
    t_year = np.where(has_target & ~std, table.year[np.maximum(applies, 0)], -1)

    # Relative targets are judged on the change against the unit's baseline value.
    rel = table.relative[kk]
    base_year = table.base_year[kk]
    base_val = np.full(n, np.nan)
    base_val[rel] = series.get(uu[rel], kk[rel], base_year[rel])
    measure = vv.copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        measure[rel] = ops.clean((vv[rel] - base_val[rel]) / base_val[rel] * 100.0)
    no_base = rel & ~(np.isfinite(base_val) & (base_val != 0))

    status = np.full(n, "", dtype=object)
    gap = np.full(n, np.nan)
    path = np.full(n, np.nan)

    # A standing target holds in the plan's years; a baseline year before them is only an anchor.
    before_period = std & (yy < plan.period.start)
    settled = exact | after_last | (std & ~before_period)
    ok = ops.satisfied(measure, t_op, t_val)
    status[settled] = np.where(ok[settled], "met", "not_met")
    gap[has_target] = ops.gap(measure[has_target], t_op[has_target], t_val[has_target], sign[has_target])

    # Between target years: compare with the straight path from the previous anchor.
    anchor_year = np.where(has_prev, table.year[np.maximum(prev, 0)], -1)
    anchor_val = np.where(has_prev, table.threshold[np.maximum(prev, 0)], np.nan)
    plan_base = plan.baseline_year
    if plan_base is not None:
        use_base = between & (plan_base < yy) & (plan_base > anchor_year)
        if rel.any():
            # A change is measured from the baseline itself: 0% in the baseline year.
            rel_base = use_base & rel
            anchor_year[rel_base] = base_year[rel_base]
            anchor_val[rel_base] = 0.0
            use_base &= ~rel
        own_base = np.full(n, np.nan)
        own_base[use_base] = series.get(uu[use_base], kk[use_base], np.full(use_base.sum(), plan_base))
        found = use_base & ~np.isnan(own_base)
        anchor_year[found] = plan_base
        anchor_val[found] = own_base[found]
    has_anchor = between & (anchor_year > 0) & ~np.isnan(anchor_val)
    if has_anchor.any():
        ay, av = anchor_year[has_anchor], anchor_val[has_anchor]
        ty, tv = table.year[nxt[has_anchor]], table.threshold[nxt[has_anchor]]
        p = ops.clean(av + (tv - av) * (yy[has_anchor] - ay) / (ty - ay))
        path[has_anchor] = p
        d = ops.clean(sign[has_anchor] * (measure[has_anchor] - p))
        gap[has_anchor] = d
        status[has_anchor] = np.where(d >= 0, "on_track", "off_track")
    status[between & ~has_anchor] = "not_due"
    status[~has_target | before_period] = "not_due"
    status[no_base] = "no_baseline"
    gap[no_base] = np.nan
    path[no_base] = np.nan

    out = pd.DataFrame(
        {
            "plan": plan.id,
            "unit": data["unit"].to_numpy()[idx],
            "indicator": np.array(table.ids, dtype=object)[kk] if n else np.array([], dtype=object),
            "year": yy,
            "value": vv,
            "status": status,
            "op": OP_NAMES[t_op],  # code -1 (no target) picks the trailing None
            "target": t_val,
            "target_year": t_year,
            "basis": np.where(rel, "relative", "absolute"),
            "baseline_year": np.where(rel, base_year, -1),
            "baseline_value": base_val,
            "change": np.where(rel, measure, np.nan),
            "path_value": path,
            "gap": gap,
            "projected_value": projected[idx],
            "outlook": outlook[idx],
            "expired": yy > plan.period.end,
            "file": data["file"].to_numpy()[idx],
            "line": data["line"].to_numpy()[idx],
        }
    )
    if "numerator" in data.columns:
        # Rates resting on few events are unstable; say so wherever the result goes.
        num = data["numerator"].to_numpy(dtype=np.float64)[idx]
        out["numerator"] = num
        out["denominator"] = data["denominator"].to_numpy(dtype=np.float64)[idx]
        out["small_numerator"] = (num < SMALL_NUMERATOR) & np.isfinite(table.factor[kk])
    invalid_rows = ~valid[idx]
    out.loc[invalid_rows, "status"] = "invalid"
    out.loc[invalid_rows, ["gap", "path_value", "change"]] = np.nan
    out["note"] = _notes(data, idx, invalid_rows, vv, table.maximum[kk])

    unknown = data.loc[~known & (year >= first_year)]
    parts = [out, _unknown(plan, unknown), _no_data(plan, table, data, first_year, judged)]
    filled = [p for p in parts if len(p)]
    result = pd.concat(filled, ignore_index=True) if filled else out
    result = result.reindex(columns=RESULT_COLUMNS)
    result = _attach_meta(plan, result)
    return result[RESULT_COLUMNS]


def indicator_index(table: TargetTable, data: pd.DataFrame) -> np.ndarray:
    """Each row's indicator as a position in the plan (-1: not in the plan), via its categories."""
    lookup = {ident: k for k, ident in enumerate(table.ids)}
    per_category = np.array(
        [lookup.get(c, -1) for c in data["indicator"].cat.categories] + [-1], dtype=np.int64
    )
    return per_category[data["indicator"].cat.codes.to_numpy()]  # code -1 (blank) hits the final -1


@dataclass(frozen=True)
class _Series:
    """Valid rows sorted by (unit, indicator, year): each unit's time series, end to end."""

    rows: np.ndarray  # positions in the data, in sorted order
    keys: np.ndarray  # (unit * n_ind + indicator) * _YEAR_SPAN + year, sorted
    values: np.ndarray
    n_ind: int

    @classmethod
    def of(
        cls,
        unit: np.ndarray,
        ind: np.ndarray,
        year: np.ndarray,
        value: np.ndarray,
        valid: np.ndarray,
        n_ind: int,
    ) -> _Series:
        rows = np.flatnonzero(valid)
        keys = _series_key(unit[rows], ind[rows], year[rows], n_ind)
        # Submissions usually come sorted already; a stable sort is then a linear pass.
        order = np.argsort(keys, kind="stable")
        return cls(rows[order], keys[order], value[rows][order], n_ind)

    def get(self, unit: np.ndarray, ind: np.ndarray, year: np.ndarray) -> np.ndarray:
        """The value of each (unit, indicator, year), NaN where the data has none."""
        keys = _series_key(unit, ind, year, self.n_ind)
        pos = np.searchsorted(self.keys, keys)
        pos_ok = pos < len(self.keys)
        hit = pos_ok.copy()
        hit[pos_ok] = self.keys[pos[pos_ok]] == keys[pos_ok]
        out = np.full(len(keys), np.nan)
        out[hit] = self.values[pos[hit]]
        return out


def _series_key(unit: np.ndarray, ind: np.ndarray, year: np.ndarray, n_ind: int) -> np.ndarray:
    return (unit.astype(np.int64) * max(n_ind, 1) + ind) * _YEAR_SPAN + year.astype(np.int64)


def _notes(
    data: pd.DataFrame, idx: np.ndarray, invalid: np.ndarray, value: np.ndarray, maximum: np.ndarray
) -> pd.Series:
    note = pd.Series(pd.NA, index=range(len(idx)), dtype="string")
    if not invalid.any():
        return note
    v = value
    note[invalid & np.isnan(v)] = "missing value"
    if "raw_note" in data.columns:
        raw = data["raw_note"].to_numpy()[idx]
        has_raw = invalid & pd.notna(raw)
        note[has_raw] = raw[has_raw]
    with np.errstate(invalid="ignore"):
        note[invalid & (v < 0)] = "negative value"
        over = invalid & (v > maximum)
    for i in np.flatnonzero(over):
        note[i] = f"above {maximum[i]:g}, impossible for the unit"
    return note


def _unknown(plan: Plan, rows: pd.DataFrame) -> pd.DataFrame:
    if rows.empty:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    return pd.DataFrame(
        {
            "plan": plan.id,
            "unit": rows["unit"].to_numpy(),
            "indicator": rows["indicator"].astype(str).to_numpy(),
            "year": rows["year"].to_numpy(),
            "value": rows["value"].to_numpy(),
            "status": "unknown_indicator",
            "note": f"not an indicator of plan {plan.id}",
            "file": rows["file"].to_numpy(),
            "line": rows["line"].to_numpy(),
        }
    )


def _no_data(
    plan: Plan, table: TargetTable, data: pd.DataFrame, first_year: int, judged: np.ndarray
) -> pd.DataFrame:
    """Targets that apply to a unit in a year it reported, but with no figure for them."""
    if not judged.any():
        return pd.DataFrame(columns=RESULT_COLUMNS)
    unit_years = data.loc[data["year"] >= first_year, ["unit", "year"]].drop_duplicates()
    n_ind = len(table.ids)
    if n_ind == 0 or unit_years.empty:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    uy_unit = np.repeat(unit_years["unit"].cat.codes.to_numpy().astype(np.int64), n_ind)
    uy_year = np.repeat(unit_years["year"].to_numpy().astype(np.int64), n_ind)
    kk = np.tile(np.arange(n_ind, dtype=np.int64), len(unit_years))
    loc = locate(table, kk, uy_year)
    applies = loc.exact | loc.after_last | (loc.standing & (uy_year >= plan.period.start))
    pos = loc.applies
    # Drop the (unit, indicator, year) combinations that do have a row.
    have_k = indicator_index(table, data)
    have = (data["unit"].cat.codes.to_numpy().astype(np.int64) * n_ind + have_k) * _YEAR_SPAN + data[
        "year"
    ].to_numpy()
    want = (uy_unit * n_ind + kk) * _YEAR_SPAN + uy_year
    missing = applies & ~np.isin(want, have[have_k >= 0])
    if not missing.any():
        return pd.DataFrame(columns=RESULT_COLUMNS)
    p = pos[missing]
    units = data["unit"].cat.categories.to_numpy()[uy_unit[missing]]
    return pd.DataFrame(
        {
            "plan": plan.id,
            "unit": units,
            "indicator": np.array(table.ids, dtype=object)[kk[missing]],
            "year": uy_year[missing],
            "status": "no_data",
            "op": OP_NAMES[table.op[p]],
            "target": table.threshold[p],
            "target_year": np.where(table.standing[kk[missing]], -1, table.year[p]),
            "basis": np.where(table.relative[kk[missing]], "relative", "absolute"),
            "baseline_year": np.where(table.relative[kk[missing]], table.base_year[kk[missing]], -1),
            "expired": uy_year[missing] > plan.period.end,
            "note": "no figure submitted",
        }
    )


def _attach_meta(plan: Plan, result: pd.DataFrame) -> pd.DataFrame:
    ids = result["indicator"].astype("category")
    result["indicator"] = ids
    # Mapping a categorical maps its categories only: no per-row Python.
    result["code"] = ids.map({i.id: i.code for i in plan.indicators}).astype(object)
    result["goal"] = ids.map({i.id: i.goal for i in plan.indicators}).astype(object)
    for col in ("target_year", "baseline_year", "line"):
        numbers = result[col].to_numpy(dtype=np.float64, na_value=np.nan)
        result[col] = pd.array(np.where(numbers < 0, np.nan, numbers), dtype="Int64")
    for col in ("expired", "small_numerator"):
        result[col] = result[col].astype(object).fillna(False).astype(bool)
    return result
