"""Milestones: tasks with a deadline, judged against an as-of date.

A milestone file lists what each unit has done: ``unit,milestone,year,done``
(``year`` for yearly deadlines, ``done`` the date it was done, blank if not).
A yearly milestone with no row for a past year counts as not done.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from kpicheck.errors import DataError, Problem
from kpicheck.plan.model import Milestone, Plan

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True)
class Done:
    unit: str
    milestone: str
    year: int | None
    done_on: dt.date | None
    file: str
    line: int


def read_done(path: Path) -> list[Done]:
    """Rows of a milestone-status file; dates as YYYY-MM-DD or DD/MM/YYYY."""
    name = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise DataError(Problem(f"cannot read the file: {exc.strerror}", name)) from None
    except UnicodeDecodeError:
        raise DataError(Problem("not UTF-8; save the file as CSV UTF-8", name)) from None
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    missing = [c for c in ("unit", "milestone", "done") if c not in fields]
    if missing:
        raise DataError(
            Problem(
                f"missing column {', '.join(missing)}; the header must be unit,milestone,year,done",
                name,
                1,
            )
        )
    rows = []
    for line, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        year = row.get("year", "")
        if year and not year.isdigit():
            raise DataError(Problem(f"year {year!r} is not a year; write four digits", name, line, "year"))
        rows.append(
            Done(
                unit=unicodedata.normalize("NFC", row["unit"]),
                milestone=row["milestone"],
                year=int(year) if year else None,
                done_on=_date(row["done"], name, line),
                file=name,
                line=line,
            )
        )
    if not rows:
        raise DataError(Problem("the file has a header but no rows", name))
    return rows


def is_milestone_file(path: Path) -> bool:
    """A CSV whose header names a 'milestone' column; anything unreadable is left to the data reader."""
    if path.suffix.lower() not in (".csv", ".txt", ".tsv"):
        return False
    try:
        with path.open("rb") as handle:
            first = handle.readline(4096).decode("utf-8-sig").strip().lower()
    except (OSError, UnicodeDecodeError):
        return False
    return "milestone" in re.split(r"[,;\t]", first)


def judge(plan: Plan, done: list[Done], as_of: dt.date) -> list[dict[str, object]]:
    """One result per unit, milestone and deadline: done, done_late, overdue or pending."""
    known = {m.id: m for m in plan.milestones}
    units = sorted({d.unit for d in done})
    by_key = {(d.unit, d.milestone, d.year): d for d in done}
    results: list[dict[str, object]] = []
    for d in done:
        if d.milestone not in known:
            raise DataError(
                Problem(
                    f"milestone {d.milestone!r} is not in plan {plan.id} "
                    f"(known: {', '.join(known) or 'none'})",
                    d.file,
                    d.line,
                    "milestone",
                )
            )
    for unit in units:
        for ms in plan.milestones:
            for year, due in _deadlines(plan, ms, as_of):
                row = by_key.get((unit, ms.id, year)) or by_key.get((unit, ms.id, None))
                if ms.due_each_year is not None and row is not None and row.year is None:
                    row = None  # a yearly task needs the year it was done for
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
                        "note": None if row else "no row in the milestone file",
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


def _date(text: str, file: str, line: int) -> dt.date | None:
    if not text:
        return None
    try:
        match = _DMY.match(text)
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DataError(
            Problem(f"{text!r} is not a date; write YYYY-MM-DD or DD/MM/YYYY", file, line, "done")
        ) from None
