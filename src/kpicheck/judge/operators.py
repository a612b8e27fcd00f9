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


def satisfied(values: np.ndarray, op_codes: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Elementwise ``values <op> thresholds``; NaN never satisfies anything."""
    out = np.zeros(len(values), dtype=bool)
    for op, check in CHECKS.items():
        mask = op_codes == OP_CODES[op]
        if mask.any():
            out[mask] = check(values[mask], thresholds[mask])
    return out


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
