"""The comparison operators of plan targets, as a small table of vectorised checks."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from kpicheck.plan.model import Op

Check = Callable[[np.ndarray, np.ndarray], np.ndarray]

# Operator -> (integer code used in arrays, vectorised check).
CHECKS: dict[Op, Check] = {
    Op.LT: np.less,
    Op.LE: np.less_equal,
    Op.GT: np.greater,
    Op.GE: np.greater_equal,
    Op.EQ: np.equal,
}
OP_CODES: dict[Op, int] = {op: code for code, op in enumerate(CHECKS)}
OPS_BY_CODE: list[Op] = list(CHECKS)


# Whether each operator (by code; the last row: no target) holds when the value is below, equal
# to or above its threshold.
_HOLDS = np.array(
    [list(check(np.array([-1.0, 0.0, 1.0]), np.zeros(3))) for check in CHECKS.values()]
    + [[False, False, False]]
).ravel()


def satisfied(values: np.ndarray, op_codes: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Elementwise ``values <op> thresholds``; NaN never satisfies anything; code -1 (no target) neither.

    One pass per comparison for every operator at once: the side of the threshold a value lies
    on (0 below, 1 equal, 2 above) picks the answer from a small table."""
    side = (values > thresholds).view(np.int8) + (values >= thresholds).view(np.int8)
    row = np.where(op_codes < 0, len(CHECKS), op_codes)
    return _HOLDS[row * 3 + side] & ~np.isnan(values) & ~np.isnan(thresholds)


def gap(values: np.ndarray, op_codes: np.ndarray, thresholds: np.ndarray, sign: np.ndarray) -> np.ndarray:
    """Signed distance to the threshold, positive when better than required.

    ``sign`` is +1 where higher is better, -1 where lower is better. For ``==``
    every departure is worse, so the gap is minus the distance.
    """
    diff = values - thresholds
    out = sign * diff
    eq = op_codes == OP_CODES[Op.EQ]
    out[eq] = -np.abs(diff[eq])
    return clean(out)


def clean(values: np.ndarray) -> np.ndarray:
    """Round away binary float artefacts (60 - 58.56 is 1.4399999999999977)."""
    return np.round(values, 9) + 0.0  # + 0.0 turns -0.0 into 0.0
