"""Judging figures against a plan: statuses, gaps, trajectories, projections.

Everything here works on whole columns. For each row the engine finds, with
``searchsorted`` over (indicator, year) keys, the target of that year, the
next and the previous target; then one vectorised pass decides the status.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from kpicheck.judge import operators as ops
from kpicheck.frames import concat
from kpicheck.plan.model import Basis, Direction, Plan, Target
from kpicheck.judge.projection import OUTLOOKS, project
from kpicheck.judge.rollup import SMALL_NUMERATOR
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
S_MET, S_NOT_MET, S_ON_TRACK, S_OFF_TRACK, S_NOT_DUE, S_NO_BASELINE, S_NO_DATA, S_INVALID, S_UNKNOWN = range(
    9
)
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


@dataclass(frozen=True)
class Rows:
    """The data columns the engine reads, as NumPy arrays taken from the frame once.

    Chunks are slices of these arrays, so cutting a national file into chunks
    copies nothing and costs no pandas call per chunk.
    """

    unit: np.ndarray  # codes into unit_names
    indicator: np.ndarray  # codes into indicator_names (-1: blank)
    year: np.ndarray
    value: np.ndarray
    file: np.ndarray  # codes into file_names
    line: np.ndarray
    extra: dict[str, np.ndarray]  # numerator, denominator, raw_note when the data has them
    unit_names: pd.Index
    indicator_names: pd.Index
    file_names: pd.Index

    @classmethod
    def of(cls, data: pd.DataFrame) -> Rows:
        extra = {c: data[c].to_numpy() for c in ("raw_note",) if c in data.columns}
        if {"numerator", "denominator"} <= set(data.columns):
            extra.update({c: data[c].to_numpy(dtype=np.float64) for c in ("numerator", "denominator")})
        return cls(
            unit=data["unit"].cat.codes.to_numpy(),
            indicator=data["indicator"].cat.codes.to_numpy(),
            year=data["year"].to_numpy(),
            value=data["value"].to_numpy(dtype=np.float64),
            file=data["file"].cat.codes.to_numpy(),
            line=data["line"].to_numpy(),
            extra=extra,
            unit_names=data["unit"].cat.categories,
            indicator_names=data["indicator"].cat.categories,
            file_names=data["file"].cat.categories,
        )

    def __len__(self) -> int:
        return len(self.unit)

    def pick(self, rows: slice | np.ndarray) -> Rows:
        """These rows only: a slice is a view, an array of positions a copy."""
        arrays = {name: getattr(self, name)[rows] for name in _ROW_ARRAYS}
        return replace(self, **arrays, extra={c: a[rows] for c, a in self.extra.items()})


_ROW_ARRAYS = ("unit", "indicator", "year", "value", "file", "line")
_TABLES: dict[int, tuple[Plan, TargetTable]] = {}


def target_table(plan: Plan) -> TargetTable:
    """The plan's TargetTable, built once per plan rather than once per chunk."""
    cached = _TABLES.get(id(plan))
    if cached is None or cached[0] is not plan:  # the entry holds the plan, so its id stays unique
        if len(_TABLES) > 16:
            _TABLES.clear()
        cached = _TABLES[id(plan)] = (plan, TargetTable.of(plan))
    return cached[1]


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


def _dense_enough(cells: int, rows: int) -> bool:
    """Whether a dense array of ``cells`` over ``rows`` rows pays (and stays as small as the rows)."""
    return cells <= 4 * rows + 4096


def locate_rows(table: TargetTable, ind: np.ndarray, year: np.ndarray) -> Located:
    """``locate`` for many rows: each (indicator, year) cell is searched once, then gathered.

    A chunk of 65,536 rows holds a few hundred distinct cells, so this replaces
    the binary searches per row by a lookup per row.
    """
    n_ind = len(table.ids)
    if len(ind) == 0 or n_ind == 0:
        return locate(table, ind, year)
    y0 = int(year.min())
    n_years = int(year.max()) - y0 + 1
    if not _dense_enough(n_years * n_ind, len(ind)):  # years too scattered for a grid to pay
        return locate(table, ind, year)
    cells = locate(
        table,
        np.repeat(np.arange(n_ind, dtype=np.int64), n_years),
        np.tile(np.arange(y0, y0 + n_years, dtype=np.int64), n_ind),
    )
    at = ind * n_years + (year - y0)
    return Located(*(getattr(cells, f.name)[at] for f in fields(Located)))


def evaluate(plan: Plan, data: pd.DataFrame | Rows, projection: str = "cagr") -> pd.DataFrame:
    """Judge every row of ``data`` (long format) against ``plan``; one result row per figure.

    Rows for years before the plan's first year are history: they feed
    baselines and projections and get no result of their own.
    """
    return judge(plan, data, projection).frame()


def count_statuses(plan: Plan, data: pd.DataFrame | Rows, projection: str = "cagr") -> dict[str, int]:
    """How many results of each status, without building the results table."""
    return judge(plan, data, projection).counts()


@dataclass
class Judged:
    """The verdicts as column arrays, before they become a table."""

    plan: Plan
    data: Rows
    ind_names: list[str]
    parts: list[dict[str, np.ndarray]]
    notes: _Notes

    def counts(self) -> dict[str, int]:
        """How many results of each status."""
        codes = np.concatenate([p["status"] for p in self.parts]) if self.parts else np.zeros(0)
        counts = np.bincount(codes.astype(np.int64), minlength=len(STATUSES))
        return {s: int(n) for s, n in zip(STATUSES, counts, strict=True) if n}

    def frame(self) -> pd.DataFrame:
        """The results table: text columns are categoricals."""
        columns = _columns(self.plan, self.data, self.ind_names, self.parts, self.notes)
        return pd.DataFrame({name: _pandas_column(c) for name, c in columns.items()}, copy=False)

    def arrow(self) -> pa.Table:
        """The same results as an Arrow table, for writers that need no pandas."""
        columns = _columns(self.plan, self.data, self.ind_names, self.parts, self.notes)
        return pa.table({name: _arrow_column(c) for name, c in columns.items()})


def judge(plan: Plan, data: pd.DataFrame | Rows, projection: str = "cagr") -> Judged:
    """Every verdict (status, gap, path, projection) for the rows of ``data``, as arrays."""
    if isinstance(data, pd.DataFrame):
        data = Rows.of(data)
    table = target_table(plan)
    first_year = plan.baseline_year or plan.period.start
    n_ind = len(table.ids)

    k = indicator_index(table, data)
    unit_codes = data.unit.astype(np.int64)
    year = data.year.astype(np.int64)
    value = data.value

    known = k >= 0
    # NaN fails both comparisons; an unknown indicator (k = -1) reads the -inf put last.
    valid = (value >= 0) & (value <= np.append(table.maximum, -np.inf)[k])

    # One sort of the valid rows by (unit, indicator, year) serves both the
    # baseline look-ups and the projections.
    series = Series.of(unit_codes, k, year, value, valid, n_ind)
    projected, outlook = project(plan, table, series, len(data), projection)
    judged = known & (year >= first_year)
    # Most files hold no history rows: then every row is judged, and views replace copies.
    idx: np.ndarray | slice = slice(None) if judged.all() else np.flatnonzero(judged)
    kk, yy, vv, uu = k[idx], year[idx], value[idx], unit_codes[idx]
    n = len(kk)
    sign = table.sign[kk]

    loc = locate_rows(table, kk, yy)
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

    status = np.full(n, S_NOT_DUE, dtype=np.int8)
    gap = np.full(n, np.nan)
    path = np.full(n, np.nan)

    # A standing target holds in the plan's years; a baseline year before them is only an anchor.
    before_period = std & (yy < plan.period.start)
    settled = exact | after_last | (std & ~before_period)
    ok = ops.satisfied(measure, t_op, t_val)
    status[settled] = np.where(ok[settled], S_MET, S_NOT_MET)
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
        status[has_anchor] = np.where(d >= 0, S_ON_TRACK, S_OFF_TRACK)
    status[no_base] = S_NO_BASELINE
    gap[no_base] = np.nan
    path[no_base] = np.nan
    invalid = ~valid[idx]
    status[invalid] = S_INVALID
    gap[invalid] = np.nan
    path[invalid] = np.nan

    notes = _Notes()
    notes.put_invalid(data, idx, invalid, vv, table.maximum[kk])
    judged_part: dict[str, np.ndarray] = {
        "unit": uu,
        "indicator": kk,
        "year": yy,
        "value": vv,
        "status": status,
        "op": t_op,
        "target": t_val,
        "target_year": t_year,
        "basis": rel.astype(np.int8),
        "baseline_year": np.where(rel, base_year, -1),
        "baseline_value": base_val,
        "change": np.where(rel & ~invalid, measure, np.nan),
        "path_value": path,
        "gap": gap,
        "projected_value": projected[idx],
        "outlook": outlook[idx],
        "expired": yy > plan.period.end,
        "file": data.file[idx],
        "line": data.line[idx],
        "note": notes.codes,
    }
    if "numerator" in data.extra:
        # Rates resting on few events are unstable; say so wherever the result goes.
        num = data.extra["numerator"][idx]
        judged_part["numerator"] = num
        judged_part["denominator"] = data.extra["denominator"][idx]
        judged_part["small_numerator"] = (num < SMALL_NUMERATOR) & np.isfinite(table.factor[kk])

    unknown_rows = np.flatnonzero(~known & (year >= first_year))
    unknown_ind, ind_names = _unknown_codes(table, data, unknown_rows)
    unknown_part = {
        "unit": unit_codes[unknown_rows],
        "indicator": unknown_ind,
        "year": year[unknown_rows],
        "value": value[unknown_rows],
        "status": np.full(len(unknown_rows), S_UNKNOWN, dtype=np.int8),
        "file": data.file[unknown_rows],
        "line": data.line[unknown_rows],
        "note": np.full(len(unknown_rows), notes.code(f"not an indicator of plan {plan.id}"), dtype=np.int32),
    }
    parts = [judged_part, unknown_part, _no_data(plan, table, unit_codes, k, year, first_year, notes)]
    return Judged(plan, data, ind_names, [p for p in parts if p and len(p["unit"])], notes)


CHUNK_ROWS = 1 << 16


def unit_chunks(data: pd.DataFrame, chunk_rows: int = CHUNK_ROWS) -> Iterator[Rows]:
    """The data a few tens of thousands of rows at a time, whole units per chunk.

    Every rule works within one unit's series, so judging chunk by chunk
    changes nothing but the memory a national file needs.
    """
    rows = Rows.of(data)
    if len(rows) <= chunk_rows:
        yield rows
        return
    codes = rows.unit
    if not bool(np.all(codes[1:] >= codes[:-1])):
        rows = rows.pick(np.argsort(codes, kind="stable"))  # one copy, then views
        codes = rows.unit
    start, n = 0, len(rows)
    while start < n:
        end = min(start + chunk_rows, n)
        if end < n:
            # Move the cut back to where the unit at the cut begins (or past it, for a huge unit).
            unit_start = int(np.searchsorted(codes, codes[end], side="left"))
            unit_end = int(np.searchsorted(codes, codes[end], side="right"))
            end = unit_start if unit_start > start else unit_end
        yield rows.pick(slice(start, end))
        start = end


def indicator_index(table: TargetTable, data: Rows) -> np.ndarray:
    """Each row's indicator as a position in the plan (-1: not in the plan), via its categories."""
    lookup = {ident: k for k, ident in enumerate(table.ids)}
    per_category = np.array([lookup.get(c, -1) for c in data.indicator_names] + [-1], dtype=np.int64)
    return per_category[data.indicator]  # code -1 (blank) hits the final -1


@dataclass(frozen=True)
class Series:
    """Valid rows sorted by (unit, indicator, year): each unit's time series, end to end."""

    rows: np.ndarray  # positions in the data, in sorted order
    keys: np.ndarray  # (unit * n_ind + indicator) * _YEAR_SPAN + year, sorted
    unit: np.ndarray  # the sorted rows' unit, indicator, year and value
    ind: np.ndarray
    year: np.ndarray
    values: np.ndarray
    n_ind: int
    grid: _Grid | None  # the same values by position in a dense cube, when the cube is small

    @classmethod
    def of(
        cls,
        unit: np.ndarray,
        ind: np.ndarray,
        year: np.ndarray,
        value: np.ndarray,
        valid: np.ndarray,
        n_ind: int,
    ) -> Series:
        rows = np.flatnonzero(valid)
        keys = _series_key(unit[rows], ind[rows], year[rows], n_ind)
        if not bool(np.all(keys[1:] >= keys[:-1])):  # submissions usually come sorted already
            order = np.argsort(keys, kind="stable")
            rows, keys = rows[order], keys[order]
        su, sk, sy, sv = unit[rows], ind[rows], year[rows], value[rows]
        return cls(rows, keys, su, sk, sy, sv, n_ind, _Grid.of(su, sk, sy, sv, n_ind))

    def get(self, unit: np.ndarray, ind: np.ndarray, year: np.ndarray) -> np.ndarray:
        """The value of each (unit, indicator, year), NaN where the data has none."""
        if self.grid is not None:
            return self.grid.get(unit, ind, year)
        keys = _series_key(unit, ind, year, self.n_ind)
        pos = np.searchsorted(self.keys, keys)
        pos_ok = pos < len(self.keys)
        hit = pos_ok.copy()
        hit[pos_ok] = self.keys[pos[pos_ok]] == keys[pos_ok]
        out = np.full(len(keys), np.nan)
        out[hit] = self.values[pos[hit]]
        return out


@dataclass(frozen=True)
class _Grid:
    """Values in a units × indicators × years cube: a look-up is one index, not a binary search.

    Used when the cube is at most a few times the number of values, as it is
    for a chunk of whole units reporting the same years.
    """

    cube: np.ndarray  # flat, NaN where there is no value
    unit0: int
    n_units: int
    year0: int
    n_years: int
    n_ind: int

    @classmethod
    def of(
        cls, unit: np.ndarray, ind: np.ndarray, year: np.ndarray, values: np.ndarray, n_ind: int
    ) -> _Grid | None:
        if len(unit) == 0:
            return None
        unit0, year0 = int(unit.min()), int(year.min())
        n_units, n_years = int(unit.max()) - unit0 + 1, int(year.max()) - year0 + 1
        if not _dense_enough(n_units * n_ind * n_years, len(unit)):
            return None
        grid = cls(np.full(n_units * n_ind * n_years, np.nan), unit0, n_units, year0, n_years, n_ind)
        grid.cube[grid._cell(unit, ind, year)] = values
        return grid

    def _cell(self, unit: np.ndarray, ind: np.ndarray, year: np.ndarray) -> np.ndarray:
        return ((unit - self.unit0) * self.n_ind + ind) * self.n_years + (year - self.year0)

    def get(self, unit: np.ndarray, ind: np.ndarray, year: np.ndarray) -> np.ndarray:
        inside = (unit >= self.unit0) & (unit < self.unit0 + self.n_units)
        inside &= (year >= self.year0) & (year < self.year0 + self.n_years)
        out = np.full(len(unit), np.nan)
        out[inside] = self.cube[self._cell(unit[inside], ind[inside], year[inside])]
        return out


def _series_key(unit: np.ndarray, ind: np.ndarray, year: np.ndarray, n_ind: int) -> np.ndarray:
    return (unit.astype(np.int64) * max(n_ind, 1) + ind) * _YEAR_SPAN + year.astype(np.int64)


class _Notes:
    """Result notes as codes into a short list of texts: 2M results share a handful of notes."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self._index: dict[str, int] = {}
        self.codes = np.zeros(0, dtype=np.int32)

    def code(self, text: str) -> int:
        if text not in self._index:
            self._index[text] = len(self.texts)
            self.texts.append(text)
        return self._index[text]

    def put_invalid(
        self, data: Rows, idx: np.ndarray | slice, invalid: np.ndarray, value: np.ndarray, maximum: np.ndarray
    ) -> None:
        codes = np.full(len(invalid), -1, dtype=np.int32)
        if invalid.any():
            with np.errstate(invalid="ignore"):
                codes[invalid & np.isnan(value)] = self.code("missing value")
                codes[invalid & (value < 0)] = self.code("negative value")
                over = invalid & (value > maximum)
            for limit in np.unique(maximum[over]):
                codes[over & (maximum == limit)] = self.code(f"above {limit:g}, impossible for the unit")
            if "raw_note" in data.extra:
                raw = data.extra["raw_note"][idx]
                for i in np.flatnonzero(invalid & pd.notna(raw)):
                    codes[i] = self.code(str(raw[i]))
        self.codes = codes


def _unknown_codes(table: TargetTable, data: Rows, rows: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Indicator codes for unknown indicators, numbered after the plan's own; all names in order."""
    names = list(table.ids)
    if len(rows) == 0:
        return np.zeros(0, dtype=np.int64), names
    categories = data.indicator_names
    raw = data.indicator[rows]
    known = set(names)
    extra = {c: len(names) + i for i, c in enumerate(c for c in categories if c not in known)}
    names.extend(extra)
    per_category = np.array([extra.get(c, -1) for c in categories], dtype=np.int64)
    return per_category[raw], names


def _no_data(
    plan: Plan,
    table: TargetTable,
    unit: np.ndarray,
    ind: np.ndarray,
    year: np.ndarray,
    first_year: int,
    notes: _Notes,
) -> dict[str, np.ndarray]:
    """Targets that apply to a unit in a year it reported, but with no figure for them.

    ``unit``, ``ind`` and ``year`` are the rows' codes the judging already computed.
    """
    n_ind = len(table.ids)
    if n_ind == 0:
        return {}
    judged = year >= first_year
    if not judged.any():
        return {}
    # Presence of each indicator in each (unit, year) the chunk reports: at most a row
    # per pair, so memory follows the rows however far apart the years are.
    u, y = unit[judged], year[judged]
    u0, y0 = int(u.min()), int(y.min())
    n_units, n_years = int(u.max()) - u0 + 1, int(y.max()) - y0 + 1
    key = (u - u0) * n_years + (y - y0)
    if _dense_enough(n_units * n_years, len(key)):  # the usual case: no sort needed
        seen = np.zeros(n_units * n_years, dtype=bool)
        seen[key] = True
        pairs, pair_of_row = np.flatnonzero(seen), np.cumsum(seen)[key] - 1
    else:
        pairs, pair_of_row = np.unique(key, return_inverse=True)
    present = np.zeros((len(pairs), n_ind + 1), dtype=bool)  # last slot: unknown indicators
    present[pair_of_row, np.where(ind >= 0, ind, n_ind)[judged]] = True
    # Which targets apply in each year that occurs, found once per (indicator, year).
    years, year_of_pair = np.unique(pairs % n_years + y0, return_inverse=True)
    cell_year = np.tile(years, n_ind)
    cells = locate_rows(table, np.repeat(np.arange(n_ind, dtype=np.int64), len(years)), cell_year)
    applies = cells.exact | cells.after_last | (cells.standing & (cell_year >= plan.period.start))
    by_year = applies.reshape(n_ind, len(years)).T  # (year, indicator)
    mp, kk = np.nonzero(by_year[year_of_pair] & ~present[:, :n_ind])
    uy_unit = (pairs[mp] // n_years + u0).astype(np.int64)
    uy_year = (pairs[mp] % n_years + y0).astype(np.int64)
    kk = kk.astype(np.int64)
    p = cells.applies.reshape(n_ind, len(years))[kk, year_of_pair[mp]]
    count = len(kk)
    return {
        "unit": uy_unit,
        "indicator": kk,
        "year": uy_year,
        "status": np.full(count, S_NO_DATA, dtype=np.int8),
        "op": table.op[p],
        "target": table.threshold[p],
        "target_year": np.where(table.standing[kk], -1, table.year[p]),
        "basis": table.relative[kk].astype(np.int8),
        "baseline_year": np.where(table.relative[kk], table.base_year[kk], -1),
        "expired": uy_year > plan.period.end,
        "note": np.full(count, notes.code("no figure submitted"), dtype=np.int32),
    }


# Fill values of the columns a part may lack, and how each column becomes a result column.
_FILL: dict[str, object] = {
    "value": np.nan,
    "op": -1,
    "target": np.nan,
    "target_year": -1,
    "basis": -1,
    "baseline_year": -1,
    "baseline_value": np.nan,
    "change": np.nan,
    "path_value": np.nan,
    "gap": np.nan,
    "projected_value": np.nan,
    "outlook": -1,
    "expired": False,
    "numerator": np.nan,
    "denominator": np.nan,
    "small_numerator": False,
    "file": -1,
    "line": -1,
    "note": -1,
}


@dataclass(frozen=True)
class _Column:
    """One result column as arrays, before it becomes a pandas or an Arrow column.

    ``kind`` is ``text`` (codes into ``categories``, -1 missing), ``int``,
    ``optional_int`` (-1 missing), ``float`` (NaN missing) or ``bool``.
    """

    kind: str
    values: np.ndarray
    categories: Any = None


def _columns(
    plan: Plan,
    data: Rows,
    ind_names: list[str],
    parts: list[dict[str, np.ndarray]],
    notes: _Notes,
) -> dict[str, _Column]:
    """The result columns in order; text stays as codes into short category lists, never per-row strings."""
    parts = [p for p in parts if p and len(p["unit"])]
    columns: dict[str, np.ndarray] = {}
    for name in ("unit", "indicator", "year", "status", *_FILL):
        arrays = []
        for part in parts:
            if name in part:
                arrays.append(part[name])
            else:
                arrays.append(np.full(len(part["unit"]), _FILL[name]))
        columns[name] = np.concatenate(arrays) if arrays else np.zeros(0)
    n = len(columns["unit"])
    ind = columns["indicator"].astype(np.int64)
    by_id = {i.id: i for i in plan.indicators}

    def text(codes: np.ndarray, categories: Any) -> _Column:
        return _Column("text", codes.astype(np.int32), categories)

    def per_indicator(attribute: str) -> _Column:
        """A per-indicator attribute (code, goal) for every row."""
        values = [getattr(by_id[i], attribute) if i in by_id else None for i in ind_names]
        categories = sorted({v for v in values if v is not None})
        position = {v: i for i, v in enumerate(categories)}
        per_ind = np.array(
            [position.get(v, -1) if v is not None else -1 for v in values] + [-1], dtype=np.int32
        )
        return _Column("text", per_ind[ind], categories)

    made = {
        "plan": text(np.zeros(n, dtype=np.int32), [plan.id]),
        "goal": per_indicator("goal"),
        "unit": text(columns["unit"], data.unit_names),
        "indicator": text(ind, ind_names),
        "code": per_indicator("code"),
        "year": _Column("int", columns["year"].astype(np.int64)),
        "status": text(columns["status"], STATUSES),
        "op": text(columns["op"], OP_NAMES[:-1].tolist()),
        "basis": text(columns["basis"], ["absolute", "relative"]),
        "outlook": text(columns["outlook"], list(OUTLOOKS)),
        "note": text(columns["note"], notes.texts),
        "file": text(columns["file"], data.file_names),
    }
    for name in ("target_year", "baseline_year", "line"):
        made[name] = _Column("optional_int", columns[name].astype(np.int64))
    for name in ("expired", "small_numerator"):
        made[name] = _Column("bool", columns[name].astype(bool))
    for name in RESULT_COLUMNS:
        if name not in made:  # the rest are numbers
            made[name] = _Column("float", columns[name].astype(np.float64))
    return {name: made[name] for name in RESULT_COLUMNS}


def _pandas_column(column: _Column) -> Any:
    if column.kind == "text":
        return pd.Categorical.from_codes(column.values, categories=column.categories)
    if column.kind == "optional_int":
        return pd.arrays.IntegerArray(column.values, column.values < 0)
    return column.values


def _arrow_column(column: _Column) -> pa.Array:
    """Text as plain strings: Arrow's CSV writer writes them faster than dictionaries."""
    if column.kind == "text":
        codes = column.values
        return pa.array(column.categories, type=pa.string()).take(pa.array(codes, mask=codes < 0))
    if column.kind == "optional_int":
        return pa.array(column.values, mask=column.values < 0)
    return pa.array(column.values, from_pandas=True)  # NaN is missing, as in the pandas table


def concat_results(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Results of several chunks or plans in one frame, categorical columns kept categorical."""
    return concat(frames)[RESULT_COLUMNS]
