"""Where each unit is heading: progress towards the next target, as open-sdg's sdg-build measures it.

The reference is sdg-build's ``sdg/ProgressMeasure.py`` (its class-based form,
``SeriesProgress``). On the latest row of each unit and indicator:

* the base year is the plan's baseline year when the unit has a value there,
  else its first later year with one; earlier years never enter the measure.
  A relative target's change is measured against its own baseline year, which
  the unit must have;
* heading for a dated target: progress value = direction · observed CAGR ÷
  |CAGR required to reach the target by its year|, both from the base year,
  against ``progress_thresholds`` (0.95 / 0.6 / 0); a latest value that already
  satisfies the target is ``target_achieved``;
* with no numeric target ahead (a standing target not met, or no target at
  all): the observed CAGR itself, signed by direction, against 0.015 / 0.005 / 0
  scaled down near the indicator's ``limit``;
* after the last target year the verdict is met/not_met and there is no outlook.

Zeros become 0.001 before dividing, as in sdg-build; where the growth is
undefined (one year, a sign change, 0/0) the outlook is ``not_available``.
``linear`` measures the least-squares slope over the same years instead of the
CAGR, with the same statuses and thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from kpicheck.judge import operators as ops
from kpicheck.judge.series import series_key
from kpicheck.judge.targets import locate_rows
from kpicheck.plan.model import ProgressThresholds

if TYPE_CHECKING:
    from kpicheck.judge.series import Series
    from kpicheck.judge.targets import TargetTable

METHODS = ("cagr", "linear")
OUTLOOKS = (
    "target_achieved",
    "substantial_progress",
    "moderate_progress",
    "limited_progress",
    "deterioration",
    "not_available",
)
ACHIEVED, SUBSTANTIAL, MODERATE, LIMITED, DETERIORATION, NOT_AVAILABLE = range(len(OUTLOOKS))
GROWTH_THRESHOLDS = (0.015, 0.005, 0.0)  # sdg-build's, for the growth rate itself
LIMIT_EXPONENT = 4.44  # sdg-build's curve of the threshold scaling near a limit
ZERO_STAND_IN = 0.001  # sdg-build's stand-in for a zero, which cannot grow geometrically


@dataclass(frozen=True)
class Projection:
    """How progress is measured: the method, and thresholds over the plan's (``--progress-thresholds``)."""

    method: str = "cagr"
    thresholds: ProgressThresholds | None = None


def project(
    table: TargetTable, series: Series, n: int, projection: Projection | str = "cagr"
) -> tuple[np.ndarray, np.ndarray]:
    """Projected value and outlook (codes into ``OUTLOOKS``) on the latest row of each unit and
    indicator; NaN and -1 elsewhere. ``series`` holds the valid rows of the ``n`` rows, sorted."""
    if isinstance(projection, str):
        projection = Projection(projection)
    projected = np.full(n, np.nan)
    outlook = np.full(n, -1, dtype=np.int8)
    if len(series.rows) == 0:
        return projected, outlook
    plan = table.plan
    t, x = series.year, series.values
    group = series.keys - t  # (unit, indicator) without the year
    start = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    end = np.r_[start[1:], len(t)] - 1
    gu, gk, t1, x1 = series.unit[start], series.ind[start], t[end], x[end]

    # What the outlook looks at: the first target after the latest year, a standing target, or
    # none at all. After the last target year there is no outlook.
    ahead = locate_rows(table, gk, t1 + 1)
    toward = ahead.exact | ahead.between
    untargeted = ahead.applies < 0
    looked_at = toward | ahead.standing | untargeted
    at = np.where(looked_at, ahead.applies, -1)  # -1 picks the padding below
    op = np.append(table.op, -1)[at]
    threshold = np.append(table.threshold, np.nan)[at]
    goal_year = np.where(toward, np.append(table.year, 0)[at], plan.period.end)

    # The base year: the configured one if the unit has it, else its first later year.
    rel = table.relative[gk]
    configured = np.where(rel, table.base_year[gk], plan.baseline_year or plan.period.start)
    first = np.minimum(np.searchsorted(series.keys, series_key(gu, gk, configured, series.n_ind)), end)
    t0, x0 = t[first], x[first]
    # A change needs the value of its own baseline year, and one it can be a share of (not 0).
    has_base = (t0 >= configured) & (~rel | ((t0 == configured) & (x0 != 0)))

    # A relative target becomes the unit's own value: -20% of a baseline of 50 is 40; the rules
    # compare the change itself.
    goal, measure = threshold.copy(), x1.copy()
    if rel.any():
        with np.errstate(divide="ignore", invalid="ignore"):
            goal[rel] = x0[rel] * (1.0 + threshold[rel] / 100.0)
            measure[rel] = np.where(has_base[rel], ops.clean((x1[rel] - x0[rel]) / x0[rel] * 100.0), np.nan)
    achieved = ops.satisfied(measure, op, threshold)
    before = np.where(ahead.has_prev, ahead.prev, -1)[achieved]
    achieved[achieved] = ~_fails_its_own_target(table, before, t1[achieved], measure[achieved])

    value, proj = _progress(projection.method, series, start, first, t0, x0, t1, x1, goal, goal_year, toward)
    direction = table.sign[gk]
    value *= direction
    usable = has_base & (t1 > t0) & ~_sign_change(x0, x1) & ~np.isnan(value)
    high, med, low = _thresholds(table, projection, gk, toward, x0)
    # high >= med >= low: each threshold passed is one step up from deterioration.
    label = DETERIORATION - (value >= low).astype(np.int8) - (value >= med) - (value >= high)
    label[~usable] = NOT_AVAILABLE
    label[achieved] = ACHIEVED
    # A projection from a zero stand-in (0.001 growing to 5) would be astronomically wrong.
    show = usable & (goal_year > t1) & np.isfinite(proj)
    if projection.method == "cagr":
        show &= x0 != 0
    proj = np.clip(proj, 0.0, table.maximum[gk])

    latest = series.rows[end]
    outlook[latest[looked_at]] = label[looked_at]
    shown = looked_at & show
    projected[latest[shown]] = ops.clean(proj[shown])
    return projected, outlook


def _progress(
    method: str,
    series: Series,
    start: np.ndarray,
    first: np.ndarray,
    t0: np.ndarray,
    x0: np.ndarray,
    t1: np.ndarray,
    x1: np.ndarray,
    goal: np.ndarray,
    goal_year: np.ndarray,
    toward: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The progress value before its direction (observed ÷ |required| toward a target, the
    observed growth alone without one) and the value the trend reaches in ``goal_year``."""
    sign = np.where(x0 < 0, -1.0, 1.0)  # sdg-build's, taken before the zero stand-in
    base = np.where(x0 == 0, ZERO_STAND_IN, x0)
    seen = (t1 - t0).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if method == "linear":
            slope, level = _least_squares(series, start, first, t0)
            observed = slope
            required = (goal - x0) / (goal_year - t0)
            growth = slope / base  # without a target: the yearly change as a share of the base
            proj = level + slope * (goal_year - t0)
        else:
            observed = (x1 / base) ** (1.0 / seen) - 1.0
            aim = np.where(goal == 0, ZERO_STAND_IN, goal)
            required = (aim / base) ** (1.0 / (goal_year - t0)) - 1.0
            growth = observed
            proj = x1 * (1.0 + observed) ** (goal_year - t1)
        value = np.where(toward, sign * observed / np.abs(required), sign * growth)
    return value, proj


def _least_squares(
    series: Series, start: np.ndarray, first: np.ndarray, t0: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Slope, and level at the base year, of the least-squares line through each unit's values
    from its base year on."""
    counts = np.diff(np.r_[start, len(series.year)])
    group = np.repeat(np.arange(len(start)), counts)
    since = (series.year - t0[group]).astype(np.float64)  # years after the base year
    w = (np.arange(len(series.year)) >= first[group]).astype(np.float64)
    x = np.where(w > 0, series.values, 0.0)
    c, st, sx, stt, stx = (np.add.reduceat(a, start) for a in (w, w * since, x, w * since**2, x * since))
    denom = c * stt - st * st
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(denom > 0, (c * stx - st * sx) / denom, np.nan)
        level = (sx - slope * st) / c
    return slope, level


def _fails_its_own_target(
    table: TargetTable, before: np.ndarray, year: np.ndarray, measure: np.ndarray
) -> np.ndarray:
    """Whether the latest year misses a target of its own year: then it is not ``target_achieved``,
    even if a looser target comes later. ``before`` is the position of the last target before the
    year after (-1 for none): the year's own target, if it has one."""
    fails = before >= 0
    fails[fails] = table.year[before[fails]] == year[fails]
    own = before[fails]
    fails[fails] = ~ops.satisfied(measure[fails], table.op[own], table.threshold[own])
    return fails


def _sign_change(x0: np.ndarray, x1: np.ndarray) -> np.ndarray:
    """sdg-build leaves growth undefined from one side of zero to the other (a latest 0 is fine)."""
    return ((x0 > 0) & (x1 < 0)) | ((x0 < 0) & (x1 > 0))


def _thresholds(
    table: TargetTable, projection: Projection, ind: np.ndarray, toward: np.ndarray, base: np.ndarray
) -> list[np.ndarray]:
    """High, med and low per unit: the target thresholds (command line, else the indicator's,
    else the plan's, else sdg-build's) toward a target; else the growth thresholds near ``limit``."""
    plan = table.plan
    default = plan.progress_thresholds or ProgressThresholds()
    chosen = [projection.thresholds or i.progress_thresholds or default for i in plan.indicators]
    limit = np.array([np.nan if i.limit is None else i.limit for i in plan.indicators])
    coefficient = _limit_coefficient(limit[ind], base) if not np.isnan(limit).all() else 1.0
    return [
        np.where(toward, np.array([getattr(th, key) for th in chosen])[ind], growth * coefficient)
        for key, growth in zip(("high", "med", "low"), GROWTH_THRESHOLDS, strict=True)
    ]


def _limit_coefficient(limit: np.ndarray, base: np.ndarray) -> np.ndarray:
    """sdg-build's scaling of the growth thresholds: 1 from twice the limit away (or without a
    limit), falling to 0 as the base value reaches the limit from either side."""
    b, lim = np.abs(base), np.abs(limit)
    with np.errstate(divide="ignore", invalid="ignore"):
        near = np.where(b <= lim, b / lim, (2 * lim - b) / lim) ** LIMIT_EXPONENT
    return np.where(np.isnan(lim) | (b >= 2 * lim), 1.0, 1.0 - near)
