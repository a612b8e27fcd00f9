"""kpicheck: check child-protection statistics against the targets of Vietnamese plans.

The Python API (see ``kpicheck.api``): ``load_plan``, ``evaluate``, ``targets``;
bad input raises ``KpicheckError``. The heavy modules are imported on first
use, so ``import kpicheck`` (and the command line's ``--help``) stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kpicheck.errors import KpicheckError, Problem

if TYPE_CHECKING:
    from kpicheck.api import evaluate, load_plan, targets

__version__ = "0.1.0"
__all__ = ["KpicheckError", "Problem", "__version__", "evaluate", "load_plan", "targets"]


def __getattr__(name: str) -> Any:
    if name in ("evaluate", "load_plan", "targets"):
        from kpicheck import api

        return getattr(api, name)
    raise AttributeError(f"module 'kpicheck' has no attribute {name!r}")
