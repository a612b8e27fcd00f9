"""Rules that need the whole plan, beyond what the models' types can say.

Each rule yields a ``Finding``: the path of the key at fault, so the loader can
name its line, and a code of the catalogue (``kpicheck.messages``) with the
arguments of its message.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from kpicheck.names import indicator_key
from kpicheck.plan.model import Basis, Direction, MeasureUnit, Op, Plan, Target


class Finding(NamedTuple):
    path: tuple[str | int, ...]
    code: str
    args: dict[str, Any]


def _finding(path: tuple[str | int, ...], code: str, **args: Any) -> Finding:
    return Finding(path, code, args)


# Which operators each direction admits: a "lower is better" rate can only be
# held under a ceiling; ``==`` is "không để xảy ra" (none at all).
ALLOWED_OPS: dict[Direction, frozenset[Op]] = {
    Direction.LOWER: frozenset({Op.LT, Op.LE, Op.EQ}),
    Direction.HIGHER: frozenset({Op.GT, Op.GE, Op.EQ}),
}


LEVELS = ("province", "district", "commune")  # from the top


def check_plan(plan: Plan) -> list[Finding]:
    """All rule violations of one plan, in file order."""
    return list(_findings(plan))


def _findings(plan: Plan) -> Iterator[Finding]:
    start, end = plan.period.start, plan.period.end
    if start > end:
        yield _finding(("period",), "plan.period-reversed", start=start, end=end)
    if plan.baseline_year is not None and plan.baseline_year > end:
        yield _finding(
            ("baseline_year",), "plan.baseline-after-period", year=plan.baseline_year, start=start, end=end
        )
    yield from _duplicates([g.id for g in plan.goals], "goals", "goal")
    yield from _duplicates([i.id for i in plan.indicators], "indicators", "indicator")
    yield from _duplicates([m.id for m in plan.milestones], "milestones", "milestone")
    goal_ids = {g.id for g in plan.goals}
    for i, ind in enumerate(plan.indicators):
        here: tuple[str | int, ...] = ("indicators", i)
        if ind.goal is not None and ind.goal not in goal_ids:
            yield _finding(
                (*here, "goal"), "plan.unknown-goal", goal=ind.goal, goals=", ".join(sorted(goal_ids))
            )
        years = [t.year for t in ind.targets]
        if None in years and len(years) > 1:
            yield _finding((*here, "targets"), "plan.mixed-standing-target")
        seen_years: dict[int, int] = {}
        for j, year in enumerate(years):
            if year is not None and year in seen_years:
                yield _finding(
                    (*here, "targets", j, "year"),
                    "plan.duplicate-target-year",
                    year=year,
                    first=seen_years[year] + 1,
                )
            elif year is not None:
                seen_years[year] = j
        for j, target in enumerate(ind.targets):
            at = (*here, "targets", j)
            yield from _target_findings(plan, ind.direction, ind.unit.maximum, target, at)
        if ind.share_of is not None:
            if ind.unit is not MeasureUnit.PERCENT:
                yield _finding((*here, "unit"), "plan.share-not-percent", unit=ind.unit.value)
            if LEVELS.index(ind.share_of.value) <= LEVELS.index(plan.level.value):
                yield _finding(
                    (*here, "share_of"), "plan.share-level", share=ind.share_of.value, level=plan.level.value
                )
    yield from _alias_clashes(plan)
    for k, milestone in enumerate(plan.milestones):
        at = ("milestones", k)
        above = sorted(
            (
                lv
                for lv in milestone.bound_levels() or ()
                if LEVELS.index(lv) < LEVELS.index(plan.level.value)
            ),
            key=LEVELS.index,
        )
        if above:
            yield _finding((*at, "binds"), "plan.binds-above-plan", binds=above[0], level=plan.level.value)
        if (milestone.due is None) == (milestone.due_each_year is None):
            yield _finding(at, "plan.milestone-due-ambiguous")
        elif milestone.due is not None and not start <= milestone.due.year <= end:
            yield _finding(
                (*at, "due"), "plan.milestone-due-outside-period", due=milestone.due, start=start, end=end
            )


def _target_findings(
    plan: Plan,
    direction: Direction,
    maximum: float | None,
    target: Target,
    at: tuple[str | int, ...],
) -> Iterator[Finding]:
    start, end = plan.period.start, plan.period.end
    if target.year is not None and not start <= target.year <= end:
        yield _finding(
            (*at, "year"), "plan.target-year-outside-period", year=target.year, start=start, end=end
        )
    if target.op not in ALLOWED_OPS[direction]:
        allowed = ", ".join(sorted(op.value for op in ALLOWED_OPS[direction]))
        yield _finding(
            (*at, "op"),
            "plan.op-contradicts-direction",
            op=target.op.value,
            direction=direction.value,
            allowed=allowed,
        )
    if target.basis is Basis.RELATIVE:
        if target.value < -100:
            yield _finding((*at, "value"), "plan.change-below-minus-100")
        if (target.baseline_year or plan.baseline_year) is None:
            yield _finding(at, "plan.relative-without-baseline")
        if target.year is None:
            yield _finding((*at, "year"), "plan.relative-without-year")
    else:
        if target.value < 0:
            yield _finding((*at, "value"), "plan.negative-target", value=target.value)
        if maximum is not None and target.value > maximum:
            yield _finding((*at, "value"), "plan.target-above-maximum", value=target.value, maximum=maximum)
        if target.baseline_year is not None:
            yield _finding((*at, "baseline_year"), "plan.baseline-on-absolute")


def _duplicates(ids: list[str], where: str, kind: str) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for n, value in enumerate(ids):
        if value in first:
            yield _finding((where, n, "id"), "plan.duplicate-id", kind=kind, id=value, first=first[value] + 1)
        else:
            first[value] = n


def _alias_clashes(plan: Plan) -> Iterator[Finding]:
    """An alias that another indicator's id, code, name or alias already says: rows naming it would be
    ambiguous, so the plan is refused rather than the data."""
    said = [
        {indicator_key(t) for t in (ind.id, ind.code, ind.name, ind.name_en, *ind.aliases) if t}
        for ind in plan.indicators
    ]
    for i, ind in enumerate(plan.indicators):
        for j, alias in enumerate(ind.aliases):
            others = [
                o.id for k, o in enumerate(plan.indicators) if k != i and indicator_key(alias) in said[k]
            ]
            if others:
                yield _finding(
                    ("indicators", i, "aliases", j), "plan.alias-taken", alias=alias, other=others[0]
                )
