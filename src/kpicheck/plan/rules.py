"""Rules that need the whole plan, beyond what the models' types can say.

Each rule yields ``(path, message)`` so the loader can name the line and key.
"""

from __future__ import annotations

from collections.abc import Iterator

from kpicheck.plan.model import Basis, Direction, Op, Plan, Target

Finding = tuple[tuple[str | int, ...], str]

# Which operators each direction admits: a "lower is better" rate can only be
# held under a ceiling; ``==`` is "không để xảy ra" (none at all).
ALLOWED_OPS: dict[Direction, frozenset[Op]] = {
    Direction.LOWER: frozenset({Op.LT, Op.LE, Op.EQ}),
    Direction.HIGHER: frozenset({Op.GT, Op.GE, Op.EQ}),
}


def check_plan(plan: Plan) -> list[Finding]:
    """All rule violations of one plan, in file order."""
    return list(_findings(plan))


def _findings(plan: Plan) -> Iterator[Finding]:
    start, end = plan.period.start, plan.period.end
    if start > end:
        yield (("period",), f"the period starts in {start} but ends in {end}")
    if plan.baseline_year is not None and plan.baseline_year > end:
        yield (
            ("baseline_year",),
            f"baseline year {plan.baseline_year} is after the period {start}–{end}",
        )
    yield from _duplicates([g.id for g in plan.goals], "goals", "goal")
    yield from _duplicates([i.id for i in plan.indicators], "indicators", "indicator")
    yield from _duplicates([m.id for m in plan.milestones], "milestones", "milestone")
    goal_ids = {g.id for g in plan.goals}
    for i, ind in enumerate(plan.indicators):
        here: tuple[str | int, ...] = ("indicators", i)
        if ind.goal is not None and ind.goal not in goal_ids:
            yield (
                (*here, "goal"),
                f"goal {ind.goal!r} is not among the plan's goals ({', '.join(sorted(goal_ids))})",
            )
        years = [t.year for t in ind.targets]
        if None in years and len(years) > 1:
            yield (
                (*here, "targets"),
                "mixes a standing target (no year) with other targets; keep one kind",
            )
        seen_years: dict[int, int] = {}
        for j, year in enumerate(years):
            if year is not None and year in seen_years:
                yield (
                    (*here, "targets", j, "year"),
                    f"a second target for {year} (first is item {seen_years[year] + 1})",
                )
            elif year is not None:
                seen_years[year] = j
        for j, target in enumerate(ind.targets):
            at = (*here, "targets", j)
            yield from _target_findings(plan, ind.direction, ind.unit.maximum, target, at)
    for k, milestone in enumerate(plan.milestones):
        at = ("milestones", k)
        if (milestone.due is None) == (milestone.due_each_year is None):
            yield (at, "give exactly one of 'due' (a date) or 'due_each_year' (MM-DD)")
        elif milestone.due is not None and not start <= milestone.due.year <= end:
            yield ((*at, "due"), f"due {milestone.due} is outside the period {start}–{end}")


def _target_findings(
    plan: Plan,
    direction: Direction,
    maximum: float | None,
    target: Target,
    at: tuple[str | int, ...],
) -> Iterator[Finding]:
    start, end = plan.period.start, plan.period.end
    if target.year is not None and not start <= target.year <= end:
        yield ((*at, "year"), f"year {target.year} is outside the plan period {start}–{end}")
    if target.op not in ALLOWED_OPS[direction]:
        allowed = ", ".join(sorted(op.value for op in ALLOWED_OPS[direction]))
        yield (
            (*at, "op"),
            f"operator {target.op.value!r} contradicts direction {direction.value!r} (use one of {allowed})",
        )
    if target.basis is Basis.RELATIVE:
        if target.value < -100:
            yield ((*at, "value"), "a change cannot be below -100%")
        if (target.baseline_year or plan.baseline_year) is None:
            yield (at, "a relative target needs 'baseline_year' (here or on the plan)")
        if target.year is None:
            yield ((*at, "year"), "a relative target needs the year it is due")
    else:
        if target.value < 0:
            yield ((*at, "value"), f"{target.value:g} is negative")
        if maximum is not None and target.value > maximum:
            yield ((*at, "value"), f"{target.value:g} is above the unit's maximum {maximum:g}")
        if target.baseline_year is not None:
            yield ((*at, "baseline_year"), "only a relative target has a baseline year")


def _duplicates(ids: list[str], where: str, what: str) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for n, value in enumerate(ids):
        if value in first:
            yield ((where, n, "id"), f"duplicate {what} {value!r} (also item {first[value] + 1})")
        else:
            first[value] = n
