"""Milestones: tasks with a deadline, judged against an as-of date.

A yearly milestone with no row for a past year counts as not done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kpicheck.errors import DataError, Problem
from kpicheck.judge import notes
from kpicheck.plan.model import Milestone, Plan


@dataclass(frozen=True)
class Done:
    unit: str
    milestone: str
    year: int | None
    done_on: dt.date | None
    file: str
    line: int


def judge(
    plan: Plan, done: list[Done], as_of: dt.date, levels: dict[str, str] | None = None
) -> list[dict[str, object]]:
    """One result per unit, milestone and deadline: done, done_late, overdue or pending.

    A milestone that binds some levels (``binds``) is owed only by units of those levels, as
    ``levels`` gives them (a district body's task is not overdue for each commune); a row a unit
    gives for it is judged all the same. A unit whose level is unknown owes every milestone."""
    levels = levels or {}
    known = {m.id: m for m in plan.milestones}
    units = sorted({d.unit for d in done})
    by_key = {(d.unit, d.milestone, d.year): d for d in done}
    results: list[dict[str, object]] = []
    for d in done:
        if d.milestone not in known:
            raise DataError(
                Problem.of(
                    "data.unknown-milestone",
                    d.file,
                    d.line,
                    "milestone",
                    milestone=d.milestone,
                    plan=plan.id,
                    known=", ".join(known) or "none",
                )
            )
    for unit in units:
        for ms in plan.milestones:
            for year, due in _deadlines(plan, ms, as_of):
                row = by_key.get((unit, ms.id, year)) or by_key.get((unit, ms.id, None))
                if ms.due_each_year is not None and row is not None and row.year is None:
                    row = None  # a yearly task needs the year it was done for
                bound = ms.bound_levels()
                if row is None and bound is not None and levels.get(unit, next(iter(bound))) not in bound:
                    continue  # not this unit's task
                done_on = row.done_on if row else None
                results.append(
                    {
                        "plan": plan.id,
                        "unit": unit,
                        "milestone": ms.id,
                        "year": year,
                        "due": due,
                        "done_on": done_on,
                        "status": status(due, done_on, as_of),
                        "owner": ms.owner,
                        "note": None if row else notes.text("no-milestone-row"),
                    }
                )
    return results


def status(due: dt.date, done_on: dt.date | None, as_of: dt.date) -> str:
    """The four milestone statuses; a task done after ``as_of`` is not yet done."""
    if done_on is not None and done_on <= as_of:
        return "done" if done_on <= due else "done_late"
    return "overdue" if as_of > due else "pending"


def _deadlines(plan: Plan, ms: Milestone, as_of: dt.date) -> list[tuple[int, dt.date]]:
    if ms.due is not None:
        return [(ms.due.year, ms.due)]
    first = ms.first_year or plan.period.start
    last = min(plan.period.end, max(as_of.year, first))
    out = []
    for year in range(first, last + 1):
        due = ms.due_in(year)
        if due is not None:
            out.append((year, due))
    return out
