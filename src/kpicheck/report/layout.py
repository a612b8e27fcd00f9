"""How a person asked for the report to be laid out: plain values, cheap to import for the CLI."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RenderOptions:
    """Layout choices; a format that has no use for one ignores it."""

    bom: bool = False  # csv: start with a byte-order mark, so Excel on Windows reads UTF-8
    summary_first: bool | None = None  # table: the per-unit summary before the detail (None: when long)
    only_failed: bool = False  # table: the detail shows only the failing results (the pre-commit hook)
