"""The status rules, one named step each, on whole columns of judged rows.

The order of the steps is the order of precedence: a target that applies
settles ``met``/``not_met``; before a target year the straight path decides
``on_track``/``off_track``; a relative target without its baseline value is
``no_baseline``; an impossible value is ``invalid`` whatever came before.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kpicheck.judge import operators as ops
from kpicheck.judge.series import Series
from kpicheck.judge.targets import Located, TargetTable, locate_rows
from kpicheck.statuses import RESULT_STATUSES

STATUSES = list(RESULT_STATUSES)
MET, NOT_MET, ON_TRACK, OFF_TRACK, NOT_DUE, NO_BASELINE, NO_DATA, INVALID, UNKNOWN = range(9)


@dataclass(frozen=True)
class Figures:
    """The rows being judged: one entry per figure from the plan's first year on."""

    unit: np.ndarray  # codes
    indicator: np.ndarray  # positions in the plan
    year: np.ndarray
    value: np.ndarray
    valid: np.ndarray  # a possible value for its unit


@dataclass
class Verdicts:
    """What the rules decide for each judged row."""

    status: np.ndarray
    op: np.ndarray  # operator code of the target that applies, -1 for none
    target: np.ndarray
    target_year: np.ndarray  # -1: a standing target, or none
    relative: np.ndarray
    baseline_year: np.ndarray
    baseline_value: np.ndarray
    change: np.ndarray
    path_value: np.ndarray
    gap: np.ndarray


def decide(table: TargetTable, series: Series, rows: Figures) -> Verdicts:
    """Every rule in order of precedence."""
    loc = locate_rows(table, rows.indicator, rows.year)
    sign = table.sign[rows.indicator]
    verdicts = _applicable_target(table, loc, len(rows.year))
    measure, no_base = _relative_change(table, series, rows, verdicts)
    _settle(table, loc, rows, measure, sign, verdicts)
    _path(table, series, loc, rows, measure, sign, verdicts)
    _no_baseline(no_base, verdicts)
    _invalid(~rows.valid, verdicts)
    verdicts.change = np.where(verdicts.relative & rows.valid, measure, np.nan)
    return verdicts


def _applicable_target(table: TargetTable, loc: Located, n: int) -> Verdicts:
    """The target that judges each year: its own, the one it is heading to, the last, or the standing one."""
    has_target = loc.applies >= 0
    at = loc.applies  # -1 picks the padding: a plan may have no target at all
    return Verdicts(
        status=np.full(n, NOT_DUE, dtype=np.int8),
        op=np.append(table.op, -1)[at],
        target=np.append(table.threshold, np.nan)[at],
        target_year=np.where(has_target & ~loc.standing, np.append(table.year, -1)[at], -1),
        relative=np.zeros(n, dtype=bool),
        baseline_year=np.full(n, -1, dtype=np.int64),
        baseline_value=np.full(n, np.nan),
        change=np.full(n, np.nan),
        path_value=np.full(n, np.nan),
        gap=np.full(n, np.nan),
    )


def _relative_change(
    table: TargetTable, series: Series, rows: Figures, verdicts: Verdicts
) -> tuple[np.ndarray, np.ndarray]:
    """What a target compares: the value, or for a relative target the change (%) against the
    unit's own baseline-year value. Also where that baseline value is missing (or zero)."""
    rel = table.relative[rows.indicator]
    base_year = table.base_year[rows.indicator]
    base_val = verdicts.baseline_value
    base_val[rel] = series.get(rows.unit[rel], rows.indicator[rel], base_year[rel])
    measure = rows.value.copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        measure[rel] = ops.clean((rows.value[rel] - base_val[rel]) / base_val[rel] * 100.0)
    verdicts.relative = rel
    verdicts.baseline_year = np.where(rel, base_year, -1)
    no_base = rel & ~(np.isfinite(base_val) & (base_val != 0))
    return measure, no_base


def _settle(
    table: TargetTable, loc: Located, rows: Figures, measure: np.ndarray, sign: np.ndarray, verdicts: Verdicts
) -> None:
    """``met``/``not_met`` where a target applies to the year itself; the gap to every applicable target."""
    plan = table.plan
    # A standing target holds in the plan's years; a baseline year before them is only an anchor.
    before_period = loc.standing & (rows.year < plan.period.start)
    settled = loc.exact | loc.after_last | (loc.standing & ~before_period)
    ok = ops.satisfied(measure, verdicts.op, verdicts.target)
    verdicts.status[settled] = np.where(ok[settled], MET, NOT_MET)
    has_target = loc.applies >= 0
    verdicts.gap[has_target] = ops.gap(
        measure[has_target], verdicts.op[has_target], verdicts.target[has_target], sign[has_target]
    )


def _path(
    table: TargetTable,
    series: Series,
    loc: Located,
    rows: Figures,
    measure: np.ndarray,
    sign: np.ndarray,
    verdicts: Verdicts,
) -> None:
    """Between target years: ``on_track``/``off_track`` against the straight path from the previous
    anchor (the unit's own baseline-year value, or the previous target) to the next target.

    The path never asks more than the next target itself: a unit that starts better than its
    target, and still satisfies it, is on track even while it slips towards it."""
    year = rows.year
    between = loc.between
    prev = np.where(loc.has_prev, loc.prev, -1)  # -1 picks the padding
    anchor_year = np.append(table.year, -1)[prev]
    anchor_val = np.append(table.threshold, np.nan)[prev]
    plan_base = table.plan.baseline_year
    if plan_base is not None:
        use_base = between & (plan_base < year) & (plan_base > anchor_year)
        rel = verdicts.relative
        if rel.any():
            # A change is measured from the baseline itself: 0% in the baseline year.
            rel_base = use_base & rel
            anchor_year[rel_base] = verdicts.baseline_year[rel_base]
            anchor_val[rel_base] = 0.0
            use_base &= ~rel
        own_base = np.full(len(year), np.nan)
        own_base[use_base] = series.get(
            rows.unit[use_base], rows.indicator[use_base], np.full(use_base.sum(), plan_base)
        )
        found = use_base & ~np.isnan(own_base)
        anchor_year[found] = plan_base
        anchor_val[found] = own_base[found]
    has_anchor = between & (anchor_year > 0) & ~np.isnan(anchor_val)
    if not has_anchor.any():
        return
    ay, av = anchor_year[has_anchor], anchor_val[has_anchor]
    nxt = loc.next[has_anchor]
    ty, tv = table.year[nxt], table.threshold[nxt]
    path = av + (tv - av) * (year[has_anchor] - ay) / (ty - ay)
    higher = sign[has_anchor] > 0
    path = ops.clean(np.where(higher, np.minimum(path, tv), np.maximum(path, tv)))
    verdicts.path_value[has_anchor] = path
    distance = ops.clean(sign[has_anchor] * (measure[has_anchor] - path))
    verdicts.gap[has_anchor] = distance
    verdicts.status[has_anchor] = np.where(distance >= 0, ON_TRACK, OFF_TRACK)


def _no_baseline(no_base: np.ndarray, verdicts: Verdicts) -> None:
    """A relative target without the unit's baseline value is never ``met``."""
    verdicts.status[no_base] = NO_BASELINE
    verdicts.gap[no_base] = np.nan
    verdicts.path_value[no_base] = np.nan


def _invalid(invalid: np.ndarray, verdicts: Verdicts) -> None:
    """A missing or impossible value is ``invalid``, whatever the target."""
    verdicts.status[invalid] = INVALID
    verdicts.gap[invalid] = np.nan
    verdicts.path_value[invalid] = np.nan
