"""A plan compiled into sorted arrays, and where each (indicator, year) stands among its targets.

The pipeline compiles each plan once and judges every chunk against the same
``TargetTable``; there is no global cache to keep in step.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from kpicheck.judge import operators as ops
from kpicheck.judge.indicators import IndicatorNames
from kpicheck.plan.model import Basis, Direction, Plan, Target

# Keys are indicator * YEAR_SPAN + year: one integer sorts by indicator, then year.
YEAR_SPAN = 10_000


def dense_enough(cells: int, rows: int) -> bool:
    """Whether a dense array of ``cells`` over ``rows`` rows pays (and stays as small as the rows)."""
    return cells <= 4 * rows + 4096


@dataclass(frozen=True)
class TargetTable:
    """A plan's targets as sorted arrays, one entry per (indicator, year)."""

    plan: Plan
    ids: list[str]
    sign: np.ndarray  # per indicator: +1 higher is better, -1 lower
    maximum: np.ndarray  # per indicator: largest possible value (inf for counts)
    factor: np.ndarray  # per indicator: rate factor (100, 1000, 100000; NaN for counts)
    relative: np.ndarray  # per indicator: targets are changes against a baseline
    base_year: np.ndarray  # per indicator: the baseline year of relative targets (0: none)
    standing: np.ndarray  # per indicator: its one target holds every year
    key: np.ndarray  # sorted indicator * YEAR_SPAN + year (standing targets: year 0)
    ind: np.ndarray
    year: np.ndarray
    op: np.ndarray
    threshold: np.ndarray
    names: IndicatorNames  # every way a row may name each indicator
    share: np.ndarray | None = None  # per indicator: a share of sub-units, computed for the area
    # The first year the plan's area no longer existed (its unit dissolved in the 2025 reform).
    dissolved_year: int | None = None

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
            plan=plan,
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
            key=ind_arr * YEAR_SPAN + year_arr,
            ind=ind_arr,
            year=year_arr,
            op=arr[:, 2].astype(np.int64),
            threshold=arr[:, 3],
            names=IndicatorNames.of(plan),
            share=np.array([i.share_of is not None for i in plan.indicators], dtype=bool),
        )


def compile_plan(plan: Plan | TargetTable) -> TargetTable:
    """The plan's table: built here unless the caller compiled it already (once per run)."""
    return plan if isinstance(plan, TargetTable) else TargetTable.of(plan)


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
    key = ind * YEAR_SPAN + year
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
    applies[std] = np.searchsorted(table.key, ind[std] * YEAR_SPAN)
    return Located(std, exact, between, after_last, nxt, prev, has_prev, applies)


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
    if not dense_enough(n_years * n_ind, len(ind)):  # years too scattered for a grid to pay
        return locate(table, ind, year)
    cells = locate(
        table,
        np.repeat(np.arange(n_ind, dtype=np.int64), n_years),
        np.tile(np.arange(y0, y0 + n_years, dtype=np.int64), n_ind),
    )
    at = ind * n_years + (year - y0)
    return Located(*(getattr(cells, f.name)[at] for f in fields(Located)))
