"""Milestone-status files: what each unit has done, ``unit,milestone,year,done``.

``year`` is for yearly deadlines, ``done`` the date the task was done (YYYY-MM-DD
or DD/MM/YYYY), blank if not done.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from kpicheck.errors import DataError, Problem
from kpicheck.judge.milestones import Done
from kpicheck.names import nfc
from kpicheck.read.files import check_regular, is_regular

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def read_done(path: Path) -> list[Done]:
    """Rows of a milestone-status file; dates as YYYY-MM-DD or DD/MM/YYYY."""
    name = str(path)
    check_regular(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise DataError(Problem.of("data.unreadable", name, reason=exc.strerror)) from None
    except UnicodeDecodeError:
        raise DataError(Problem.of("data.not-utf8", name)) from None
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    missing = [c for c in ("unit", "milestone", "done") if c not in fields]
    if missing:
        raise DataError(Problem.of("data.missing-milestone-column", name, 1, missing=", ".join(missing)))
    rows = []
    for line, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        year = row.get("year", "")
        if year and not year.isdigit():
            raise DataError(Problem.of("data.bad-milestone-year", name, line, "year", year=year))
        rows.append(
            Done(
                unit=nfc(row["unit"]),
                milestone=row["milestone"],
                year=int(year) if year else None,
                done_on=_date(row["done"], name, line),
                file=name,
                line=line,
            )
        )
    if not rows:
        raise DataError(Problem.of("data.no-milestone-rows", name))
    return rows


def is_milestone_file(path: Path) -> bool:
    """A CSV whose header names a 'milestone' column; anything unreadable is left to the data reader."""
    if path.suffix.lower() not in (".csv", ".txt", ".tsv") or not is_regular(path):
        return False
    try:
        with path.open("rb") as handle:
            first = handle.readline(4096).decode("utf-8-sig").strip().lower()
    except (OSError, UnicodeDecodeError):
        return False
    return "milestone" in re.split(r"[,;\t]", first)


def _date(text: str, file: str, line: int) -> dt.date | None:
    if not text:
        return None
    try:
        match = _DMY.match(text)
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DataError(Problem.of("data.bad-date", file, line, "done", text=text)) from None
