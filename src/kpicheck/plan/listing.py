"""The targets as the plans state them, as plain rows (``kpicheck targets --format json``)."""

from __future__ import annotations

from typing import Any

from kpicheck.plan.model import Plan


def target_rows(plans: list[Plan]) -> list[dict[str, Any]]:
    """One JSON-ready row per target, in plan order (the shape of `kpicheck targets --format json`)."""
    rows = []
    for plan in plans:
        for ind in plan.indicators:
            for t in ind.targets:
                rows.append(
                    {
                        "plan": plan.id,
                        "indicator": ind.id,
                        "code": ind.code,
                        "goal": ind.goal,
                        "name": ind.name,
                        "name_en": ind.name_en,
                        "aliases": list(ind.aliases),
                        "unit": ind.unit.value,
                        "direction": ind.direction.value,
                        "year": t.year,
                        "op": t.op.value,
                        "value": t.value,
                        "basis": t.basis.value,
                        "baseline_year": (t.baseline_year or plan.baseline_year)
                        if t.basis.value == "relative"
                        else None,
                        "section": t.section,
                        "quote": t.quote,
                    }
                )
    return rows
