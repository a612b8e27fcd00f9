"""JSON as every parser reads it: no ``NaN``, ``Infinity`` or ``-Infinity`` tokens.

Python's ``json`` writes them by default, and ``jq``, browsers and most other
languages then refuse the whole document. A number that is not finite has no
JSON spelling, so it is written as ``null`` (the value is missing as far as a
target is concerned: its result says ``invalid``), and ``allow_nan=False``
makes any value missed here a loud bug rather than a silently broken file.
This module imports nothing heavy: ``kpicheck targets --format json`` uses it.
"""

from __future__ import annotations

import json
import math
from typing import Any


def finite(value: Any) -> Any:
    """``value`` with every non-finite float inside it (dicts, lists, tuples) replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def dumps(value: Any, indent: int | None = 2) -> str:
    """Strict JSON text of ``value``, non-ASCII kept as it is, ending in a newline."""
    return json.dumps(finite(value), ensure_ascii=False, indent=indent, allow_nan=False) + "\n"
