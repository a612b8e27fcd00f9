"""The ``evaluate`` job from options to exit decision: read, match plans, judge, render, write."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kpicheck import milestones as ms
from kpicheck.actuals import read_actuals
from kpicheck.engine import RESULT_COLUMNS, evaluate
from kpicheck.errors import DataError, OutputError, Problem
from kpicheck.formats import Format, renderer
from kpicheck.i18n import Lang
from kpicheck.model import Plan
from kpicheck.plans import Catalog
from kpicheck.report import MILESTONE_COLUMNS, Report


@dataclass(frozen=True)
class Options:
    data: list[Path]
    plan: str | None
    years: list[int]
    units: list[str]
    fmt: str
    output: Path | None
    fail_on: frozenset[str]
    lang: Lang
    decimal: str
    milestones: Path | None
    as_of: dt.date
    projection: str
    quiet: bool
    targets: Path | None


def run(options: Options) -> bool:
    """Run the whole job; True when a result has a status in ``fail_on``."""
    catalog = Catalog.discover(options.targets)
    actuals = read_actuals(options.data, options.decimal)
    for warning in actuals.warnings:
        print(f"kpicheck: warning: {warning}", file=sys.stderr)
    frame = actuals.frame
    assignments = assign_plans(catalog, frame, options.plan)
    parts = []
    for plan, rows in assignments:
        parts.append(evaluate(plan, rows, projection=options.projection))
    results = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=RESULT_COLUMNS)
    results = _filter(results, options)
    plans = {plan.id: plan for plan, _ in assignments}
    milestone_rows = pd.DataFrame(columns=MILESTONE_COLUMNS)
    if options.milestones is not None:
        done = ms.read_done(options.milestones)
        judged = [r for plan in plans.values() for r in ms.judge(plan, done, options.as_of)]
        milestone_rows = pd.DataFrame(judged, columns=MILESTONE_COLUMNS)
    report = Report(
        results=results,
        plans=plans,
        milestones=milestone_rows,
        lang=options.lang,
        warnings=actuals.warnings,
        as_of=options.as_of.isoformat() if options.milestones else None,
    )
    write(report, options)
    statuses = set(results["status"]) | set(milestone_rows["status"])
    return bool(statuses & options.fail_on)


def assign_plans(
    catalog: Catalog, frame: pd.DataFrame, plan_ref: str | None
) -> list[tuple[Plan, pd.DataFrame]]:
    """Which plan judges which rows: ``--plan`` for all, else the plan that names the unit."""
    if plan_ref is not None:
        return [(catalog.load(plan_ref), frame)]
    plans = [catalog.get(pid) for pid in catalog.ids()]
    owner: dict[str, Plan] = {}
    for plan in sorted(plans, key=_specificity):
        for name in plan.units:
            owner[_fold(name)] = plan  # more specific plans come later and win
    units = frame["unit"].cat.categories
    by_plan: dict[str, list[int]] = {}
    unmatched: list[str] = []
    for code, name in enumerate(units):
        match = owner.get(_fold(str(name)))
        if match is None:
            unmatched.append(str(name))
        else:
            by_plan.setdefault(match.id, []).append(code)
    if unmatched:
        shown = ", ".join(unmatched[:5]) + (" …" if len(unmatched) > 5 else "")
        raise DataError(
            Problem(
                f"no plan names the unit(s) {shown}; pass --plan ID "
                f"(plans: {', '.join(catalog.ids())}) or add the units to a plan's 'units'"
            )
        )
    codes = frame["unit"].cat.codes
    out = []
    for plan_id, unit_codes in by_plan.items():
        rows = frame[codes.isin(unit_codes).to_numpy()]
        out.append((catalog.get(plan_id), rows.reset_index(drop=True)))
    return out


def write(report: Report, options: Options) -> None:
    """Render to stdout, or atomically to ``-o`` (never over an input file)."""
    render = renderer(Format(options.fmt))
    if options.quiet:
        from rich.console import Console

        from kpicheck.formats.table_format import summary_line

        Console(file=sys.stderr, highlight=False).print(summary_line(report.summary(), report.lang))
        if options.output is None:
            return
    if options.output is None:
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        render(report, sys.stdout, color)
        return
    target = options.output
    inputs = [*options.data, *([options.milestones] if options.milestones else [])]
    if any(_same_file(target, p) for p in inputs):
        raise OutputError(
            Problem("refusing to overwrite an input file; choose another -o", str(target))
        )
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(Problem("the folder does not exist", str(target)))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            render(report, handle, False)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _filter(results: pd.DataFrame, options: Options) -> pd.DataFrame:
    if options.years:
        results = results[results["year"].isin(options.years)]
    if options.units:
        wanted = {_fold(u) for u in options.units}
        results = results[results["unit"].astype(str).map(_fold).isin(wanted)]
    return results.reset_index(drop=True)


def _specificity(plan: Plan) -> int:
    return {"province": 0, "district": 1, "commune": 2}[plan.level.value]


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip().casefold()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False
