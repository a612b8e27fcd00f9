"""The targets as the plans state them, as plain data: what ``kpicheck targets`` prints.

A plan's *listing* is the part of a plan file that ``targets`` shows (titles,
indicators with their targets, milestones), in plain dicts, lists, strings and
numbers. The plan cache keeps it beside each plan it keeps (``cache``), so that
``targets`` on plans that are all kept answers without pydantic and without
unpickling models (:func:`from_cache`, the one fast path of this module); a plan
read from its file is turned into the same listing by :func:`listing`, and both
are printed by the same code, so the two paths cannot say different things.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kpicheck.plan.catalog import Catalog
    from kpicheck.plan.model import Plan

Listing = dict[str, Any]


def listing(plan: Plan) -> Listing:
    """What ``targets`` shows of ``plan``, as plain data (JSON-ready; dates already written as
    ``targets`` writes them)."""
    return {
        "id": plan.id,
        "extends": plan.extends,
        "title": plan.title,
        "title_en": plan.title_en,
        "baseline_year": plan.baseline_year,
        "indicators": [
            {
                "id": ind.id,
                "code": ind.code,
                "goal": ind.goal,
                "name": ind.name,
                "name_en": ind.name_en,
                "aliases": list(ind.aliases),
                "unit": ind.unit.value,
                "direction": ind.direction.value,
                "targets": [
                    {
                        "year": t.year,
                        "op": t.op.value,
                        "value": t.value,
                        "basis": t.basis.value,
                        "baseline_year": t.baseline_year,
                        "section": t.section,
                        "quote": t.quote,
                    }
                    for t in ind.targets
                ],
            }
            for ind in plan.indicators
        ],
        "milestones": [
            {
                "id": m.id,
                "name": m.name,
                "name_en": m.name_en,
                "owner": m.owner,
                "due": m.due.strftime("%d/%m/%Y") if m.due else None,
                "due_each_year": m.due_each_year,
            }
            for m in plan.milestones
        ],
    }


def extend(parent: Listing, child: Listing) -> Listing:
    """The child's listing with what it inherits from its parent's: ``catalog.extend`` on plain
    data (the parent's indicators and milestones the child does not redefine come first)."""

    def merged(key: str) -> list[Any]:
        own = {item["id"] for item in child[key]}
        return [p for p in parent[key] if p["id"] not in own] + list(child[key])

    return {
        **child,
        "indicators": merged("indicators"),
        "milestones": merged("milestones"),
        "baseline_year": child["baseline_year"] or parent["baseline_year"],
    }


def from_cache(catalog: Catalog, refs: list[str]) -> list[Listing] | None:
    """The listings of the plans ``refs`` names (ids), each with what it extends merged in, when
    every plan file involved is kept in the cache (by any command that read it) under the id its
    file name gives. None otherwise (a plan named by its
    path, a file not kept or changed, a missing parent, a cycle): then the plans are read from
    their files, which reports every problem as it always does."""
    from kpicheck.plan import cache
    from kpicheck.plan.catalog import PLAN_SUFFIXES

    kept: dict[str, Listing | None] = {}

    def own(plan_id: str) -> Listing | None:
        if plan_id not in kept:
            try:
                found = cache.listing(catalog.files[plan_id].read_bytes())
            except OSError:
                found = None
            kept[plan_id] = found if found is not None and found["id"] == plan_id else None
        return kept[plan_id]

    def resolved(plan_id: str, chain: tuple[str, ...]) -> Listing | None:
        if plan_id in chain or plan_id not in catalog.files:
            return None
        plan = own(plan_id)
        if plan is None or plan["extends"] is None:
            return plan
        parent = resolved(plan["extends"], (*chain, plan_id))
        return None if parent is None else extend(parent, plan)

    found = []
    for ref in refs:
        if Path(ref).suffix in PLAN_SUFFIXES or os.sep in ref:
            return None  # a file named by its path: catalog.load's own rules
        plan = resolved(ref, ())
        if plan is None:
            return None
        found.append(plan)
    return found


def target_rows(plans: list[Listing]) -> list[dict[str, Any]]:
    """One JSON-ready row per target, in plan order (the shape of `kpicheck targets --format json`)."""
    rows = []
    for plan in plans:
        for ind in plan["indicators"]:
            for t in ind["targets"]:
                rows.append(
                    {
                        "plan": plan["id"],
                        "indicator": ind["id"],
                        "code": ind["code"],
                        "goal": ind["goal"],
                        "name": ind["name"],
                        "name_en": ind["name_en"],
                        "aliases": list(ind["aliases"]),
                        "unit": ind["unit"],
                        "direction": ind["direction"],
                        "year": t["year"],
                        "op": t["op"],
                        "value": t["value"],
                        "basis": t["basis"],
                        "baseline_year": (t["baseline_year"] or plan["baseline_year"])
                        if t["basis"] == "relative"
                        else None,
                        "section": t["section"],
                        "quote": t["quote"],
                    }
                )
    return rows
