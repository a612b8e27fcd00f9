"""Where each unit is heading: projection to the next target year and an outlook.

The default follows the UN Statistics Division's SDG Progress Chart, as
open-sdg's sdg-build implements it: the compound annual growth rate from the
earliest to the latest value, compared with the rate needed to go from the
earliest value to the target. A ratio of at least 0.95 is on course, 0.10 to
0.95 needs acceleration, below 0.10 is stagnation or regression; a latest value
that already meets the target is achieved. Zeros, which cannot grow
geometrically, are replaced by 0.001 as sdg-build does. ``linear`` uses a
least-squares trend over all years instead, with the same thresholds applied
to the ratio of the fitted slope to the slope needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from kpicheck.judge import operators as ops
from kpicheck.judge.targets import locate_rows

if TYPE_CHECKING:
    from kpicheck.judge.series import Series
    from kpicheck.judge.targets import TargetTable
    from kpicheck.plan.model import Plan

ON_COURSE = 0.95
SOME_PROGRESS = 0.10
ZERO_STAND_IN = 0.001
METHODS = ("cagr", "linear")
OUTLOOKS = (
    "achieved",
    "on_course",
    "acceleration_needed",
    "stagnation_or_regression",
    "insufficient_history",
)
ACHIEVED, ON_COURSE_CODE, ACCELERATE, STAGNATION, INSUFFICIENT = range(5)


def project(
    plan: Plan, table: TargetTable, series: Series, n: int, method: str = "cagr"
) -> tuple[np.ndarray, np.ndarray]:
    """Projected value and outlook on the latest row of each unit and indicator; NaN elsewhere.

    ``series`` holds the valid rows of the ``n`` rows, sorted by unit, indicator and year.
    """
    projected = np.full(n, np.nan)
    outlook = np.full(n, -1, dtype=np.int8)  # codes into OUTLOOKS
    rows = series.rows
    if len(rows) == 0:
        return projected, outlook
    u, k, t, x = series.unit, series.ind, series.year, series.values
    group_start = np.flatnonzero(np.r_[True, (u[1:] != u[:-1]) | (k[1:] != k[:-1])])
    group_end = np.r_[group_start[1:], len(rows)] - 1
    t0, x0 = t[group_start], x[group_start]
    t1, x1 = t[group_end], x[group_end]
    latest_row = rows[group_end]
    gk = k[group_start]
    enough = t1 > t0
    outlook[latest_row[~enough]] = INSUFFICIENT

    # The target ahead of the latest year (a standing target: the end of the plan period).
    loc = locate_rows(table, gk, t1 + 1)
    ahead = loc.exact | loc.between
    target_pos = np.where(ahead, loc.next, np.where(loc.standing, loc.applies, -1))
    target_year = np.where(ahead, table.year[np.maximum(target_pos, 0)], plan.period.end)
    has_target = (target_pos >= 0) & (target_year > t1) & ~table.relative[gk]
    go = enough & has_target
    if not go.any():
        return projected, outlook
    g = np.flatnonzero(go)
    sign = table.sign[gk[g]]
    goal = table.threshold[target_pos[g]]
    op = table.op[target_pos[g]]
    span_seen = (t1[g] - t0[g]).astype(np.float64)
    span_ahead = (target_year[g] - t1[g]).astype(np.float64)
    start = np.where(x0[g] == 0, ZERO_STAND_IN, x0[g])
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "linear":
            slope, intercept = _least_squares(t, x, group_start)
            slope, intercept = slope[g], intercept[g]
            proj = intercept + slope * target_year[g]
            needed = (goal - x0[g]) / (target_year[g] - t0[g])
            ratio = _ratio(sign * slope, needed)
        else:
            rate = (x1[g] / start) ** (1.0 / span_seen) - 1.0
            proj = x1[g] * (1.0 + rate) ** span_ahead
            stand_goal = np.where(goal == 0, ZERO_STAND_IN, goal)
            needed = (stand_goal / start) ** (1.0 / (target_year[g] - t0[g]).astype(np.float64)) - 1.0
            ratio = _ratio(sign * rate, needed)
    proj = np.clip(proj, 0, table.maximum[gk[g]])
    achieved = ops.satisfied(x1[g], op, goal)
    label = np.select(
        [achieved, ratio >= ON_COURSE, ratio >= SOME_PROGRESS],
        [ACHIEVED, ON_COURSE_CODE, ACCELERATE],
        default=STAGNATION,
    )
    projected[latest_row[g]] = ops.clean(proj)
    outlook[latest_row[g]] = label
    return projected, outlook


def _ratio(progress: np.ndarray, needed: np.ndarray) -> np.ndarray:
    """Progress made per year over progress needed per year; no progress needed is infinite."""
    needed_abs = np.abs(needed)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(needed_abs > 0, progress / needed_abs, np.sign(progress) * np.inf)
    return np.nan_to_num(out, nan=0.0)


def _least_squares(t: np.ndarray, x: np.ndarray, group_start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Slope and intercept of ``x ~ t`` for each group of the sorted arrays."""
    tf = t.astype(np.float64)
    count = np.diff(np.r_[group_start, len(t)]).astype(np.float64)
    st, sx, stt, stx = (np.add.reduceat(a, group_start) for a in (tf, x, tf * tf, tf * x))
    denom = count * stt - st * st
    safe = np.where(denom == 0, 1.0, denom)
    slope = np.where(denom != 0, (count * stx - st * sx) / safe, 0.0)
    intercept = (sx - slope * st) / count
    return slope, intercept
