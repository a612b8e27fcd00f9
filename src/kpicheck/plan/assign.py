"""Which plan judges which units of the data."""

from __future__ import annotations

from kpicheck.errors import DataError, Problem
from kpicheck.names import fold
from kpicheck.plan.catalog import Catalog
from kpicheck.plan.model import Plan

_SPECIFICITY = {"province": 0, "district": 1, "commune": 2}


def assign_plans(catalog: Catalog, units: list[str], forced: Plan | None) -> list[tuple[Plan, list[str]]]:
    """``forced`` (``--plan``) for all units, else for each unit the most specific plan naming it."""
    if forced is not None:
        return [(forced, units)]
    owner: dict[str, str] = {}
    plans = sorted((catalog.get(pid) for pid in catalog.ids()), key=lambda p: _SPECIFICITY[p.level.value])
    for plan in plans:
        for name in plan.units:
            owner[fold(name)] = plan.id  # more specific plans come later and win
    by_plan: dict[str, list[str]] = {}
    unmatched: list[str] = []
    for name in units:
        plan_id = owner.get(fold(name))
        if plan_id is None:
            unmatched.append(name)
        else:
            by_plan.setdefault(plan_id, []).append(name)
    if unmatched:
        shown = ", ".join(unmatched[:5]) + (" …" if len(unmatched) > 5 else "")
        raise DataError(Problem.of("data.no-plan-for-unit", units=shown, plans=", ".join(catalog.ids())))
    return [(catalog.get(plan_id), names) for plan_id, names in by_plan.items()]
