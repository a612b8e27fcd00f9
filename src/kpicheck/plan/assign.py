"""Which plan judges which units of the data.

Without ``--plan``, a unit is judged by the most specific plan that names it
(a commune plan before a district plan before a province plan). Two plans of
that same level naming one unit is a question only the user can answer, so it
is refused with both plans named, never settled by the order of file names.
"""

from __future__ import annotations

from collections.abc import Callable

from kpicheck.errors import DataError, Problem
from kpicheck.names import fold
from kpicheck.plan.catalog import Catalog
from kpicheck.plan.model import Plan

_SPECIFICITY = {"province": 0, "district": 1, "commune": 2}
# Units without a plan told one by one, then counted: a wrong folder of plans must not print 10,000 lines.
MAX_LISTED = 10

Assignments = list[tuple[Plan, list[str]]]
# Where a unit first appears in the data: (file, line), either unknown.
Locate = Callable[[str], tuple[str | None, int | None]]


def _nowhere(unit: str) -> tuple[str | None, int | None]:
    return None, None


def plan_units(
    catalog: Catalog, units: list[str], forced: Plan | None, locate: Locate = _nowhere
) -> tuple[Assignments, list[Problem]]:
    """The plan of each unit, and a problem for each unit that no plan names (to refuse or to set
    aside). Two plans of the same level that name a unit of the data are refused at once."""
    if forced is not None:
        return [(forced, units)], []
    owners: dict[str, list[Plan]] = {}  # folded name -> the most specific plans naming it
    for plan in (catalog.get(pid) for pid in catalog.ids()):
        for name in {fold(n) for n in plan.units}:
            known = owners.setdefault(name, [])
            level = _SPECIFICITY[plan.level.value]
            if known and _SPECIFICITY[known[0].level.value] > level:
                continue
            if known and _SPECIFICITY[known[0].level.value] < level:
                known.clear()
            known.append(plan)
    by_plan: dict[str, list[str]] = {}
    unmatched: list[str] = []
    for name in units:
        plans = owners.get(fold(name), [])
        if len(plans) > 1:
            file, line = locate(name)
            ids = ", ".join(p.id for p in plans)
            raise DataError(Problem.of("data.ambiguous-plan", file, line, "unit", plans=ids, unit=name))
        if plans:
            by_plan.setdefault(plans[0].id, []).append(name)
        else:
            unmatched.append(name)
    problems = [
        Problem.of("data.no-plan-for-unit", *locate(name), "unit", unit=name, plans=", ".join(catalog.ids()))
        for name in unmatched[:MAX_LISTED]
    ]
    if len(unmatched) > MAX_LISTED:
        problems.append(Problem.of("data.more-units-without-plan", count=len(unmatched) - MAX_LISTED))
    return [(catalog.get(plan_id), names) for plan_id, names in by_plan.items()], problems
