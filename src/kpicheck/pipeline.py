"""The ``evaluate`` job from options to exit decision: read, match plans, judge, render, write."""

from __future__ import annotations

import datetime as dt
import sys
import unicodedata
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TextIO, TypeVar, cast

import pandas as pd
import pyarrow as pa

from kpicheck import statuses
from kpicheck.errors import DataError, Problem, UsageError
from kpicheck.judge import RESULT_COLUMNS, Rows, concat_results, count_statuses, evaluate, judge, unit_chunks
from kpicheck.judge import milestones as ms
from kpicheck.judge.rollup import roll_up
from kpicheck.plan.catalog import Catalog
from kpicheck.plan.model import Plan
from kpicheck.read.actuals import read_actuals
from kpicheck.read.files import data_files
from kpicheck.report import terminal
from kpicheck.report.formats import Format, renderer
from kpicheck.report.formats.csv_format import csv_bytes, table_csv
from kpicheck.report.labels import Lang
from kpicheck.report.output import write_atomically
from kpicheck.report.report import MILESTONE_COLUMNS, Report


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
    rollup: str | None = None
    sheet: str | None = None


def run(options: Options) -> bool:
    """Run the whole job; True when a result has a status in ``fail_on``."""
    catalog = Catalog.discover(options.targets)
    # A mistyped --plan is reported before a national file is read, not after.
    forced = catalog.load(options.plan) if options.plan is not None else None
    files, milestone_files = split_milestone_files(data_files(options.data))
    if options.milestones is not None:
        milestone_files.append(options.milestones)
    if not files and not milestone_files:
        raise UsageError("give at least one data file, or --milestones FILE")
    inputs = [*files, *milestone_files]  # every file read, found in folders and patterns too: never -o
    plans: dict[str, Plan] = {}
    chunks: Iterator[tuple[Plan, Rows]] = iter(())
    warnings: list[str] = []
    if files:
        actuals = read_actuals(_with_progress(files), options.decimal, options.sheet)
        warnings = actuals.warnings
        for warning in warnings:
            print(f"kpicheck: warning: {warning}", file=sys.stderr)
        frame = actuals.frame
        units = [str(u) for u in frame["unit"].cat.categories]
        assignments = assign_plans(catalog, units, forced)
        plans.update((plan.id, plan) for plan, _ in assignments)
        chunks = _data_chunks(frame, assignments, options)
    milestone_rows = pd.DataFrame(columns=MILESTONE_COLUMNS)
    if milestone_files:
        done = [row for path in milestone_files for row in ms.read_done(path)]
        judged = []
        for plan, plan_units in assign_plans(catalog, sorted({d.unit for d in done}), forced):
            wanted = set(plan_units)
            judged.extend(ms.judge(plan, [d for d in done if d.unit in wanted], options.as_of))
            plans[plan.id] = plan
        milestone_rows = pd.DataFrame(judged, columns=MILESTONE_COLUMNS)
    milestone_statuses = set(milestone_rows["status"])
    if (options.output is None and options.quiet) or (options.fmt == "csv" and options.output is not None):
        # Nothing needs every result at once: count (and write) chunk by chunk.
        counts = _stream(chunks, options, inputs)
        if options.quiet:
            milestone_counts = Counter(milestone_rows["status"]) if len(milestone_rows) else None
            _print_summary(statuses.summary(counts, milestone_counts), options.lang)
        return bool(({s for s, n in counts.items() if n} | milestone_statuses) & options.fail_on)
    parts = list(_in_parallel(lambda item: _evaluate(item[0], item[1], options), chunks))
    results = concat_results(parts) if parts else pd.DataFrame(columns=RESULT_COLUMNS)
    report = Report(
        results=results,
        plans=plans,
        milestones=milestone_rows,
        lang=options.lang,
        warnings=warnings,
        as_of=options.as_of.isoformat() if milestone_files else None,
        fail_on=options.fail_on,
    )
    write(report, options, inputs)
    seen = set(results["status"]) | milestone_statuses
    return bool(seen & options.fail_on)


def _data_chunks(
    frame: pd.DataFrame, assignments: list[tuple[Plan, list[str]]], options: Options
) -> Iterator[tuple[Plan, Rows]]:
    """Each plan's rows (rolled up if asked), a chunk of whole units at a time."""
    for plan, plan_units in assignments:
        rows = frame
        if len(assignments) > 1:
            rows = frame[frame["unit"].isin(plan_units).to_numpy()].reset_index(drop=True)
            rows["unit"] = rows["unit"].cat.remove_unused_categories()
        if options.rollup:
            rows = roll_up(plan, rows, options.rollup)
        for chunk in unit_chunks(rows):
            yield plan, chunk


def _evaluate(plan: Plan, rows: Rows, options: Options) -> pd.DataFrame:
    return _filter(evaluate(plan, rows, projection=options.projection), options)


def _stream(chunks: Iterator[tuple[Plan, Rows]], options: Options, inputs: list[Path]) -> Counter[str]:
    """Count statuses; with ``--format csv -o`` also write each chunk as it comes."""
    counts: Counter[str] = Counter()
    if options.output is None:

        def count(item: tuple[Plan, Rows]) -> dict[str, int]:
            plan, rows = item
            if options.years or options.units:
                return dict(_evaluate(plan, rows, options)["status"].value_counts().to_dict())
            return count_statuses(plan, rows, options.projection)  # no table needed

        for result in _in_parallel(count, chunks):
            counts.update(result)
        return counts

    def judge_and_format(item: tuple[int, tuple[Plan, Rows]]) -> tuple[dict[str, int], pa.Buffer]:
        number, (plan, rows) = item
        if options.years or options.units:  # filtered: through the results table
            chunk = _evaluate(plan, rows, options)
            return chunk["status"].value_counts().to_dict(), csv_bytes(chunk, header=number == 0)
        judged = judge(plan, rows, options.projection)
        return judged.counts(), table_csv(judged.arrow(), header=number == 0)

    def write_all(handle: IO[Any]) -> None:
        # Formatting CSV costs several times the judging; Arrow does it without the GIL,
        # so both cores judge and format a chunk each while finished chunks are written in order.
        wrote = False
        for chunk_counts, body in _in_parallel(judge_and_format, enumerate(chunks)):
            counts.update(chunk_counts)
            handle.write(body)
            wrote = True
        if not wrote:  # no results at all: still a well-formed CSV
            handle.write(csv_bytes(pd.DataFrame(columns=RESULT_COLUMNS), header=True))

    write_atomically(options.output, write_all, inputs, binary=True)
    return counts


def _in_parallel(work: Callable[[_T], _R], items: Iterator[_T], workers: int = 2) -> Iterator[_R]:
    """``map`` on a small thread pool, in order, with at most ``workers + 1`` items in flight.

    NumPy and Arrow release the GIL, so two chunks are judged at once on two
    cores; the bound keeps memory at a few chunks however large the file.
    """
    with ThreadPoolExecutor(max_workers=workers) as pool:
        in_flight: deque[Future[_R]] = deque()
        for item in items:
            in_flight.append(pool.submit(work, item))
            if len(in_flight) > workers:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()


def _print_summary(counts: dict[str, int], lang: Lang) -> None:
    if not terminal.wants_color(sys.stderr):  # plain text needs no Rich (0.03 s to import)
        print("".join(piece for piece, _ in statuses.summary_parts(counts, lang)), file=sys.stderr)
        return
    from kpicheck.report.formats.table_format import summary_line

    terminal.console(sys.stderr, True).print(summary_line(counts, lang))


_T = TypeVar("_T")
_R = TypeVar("_R")

PROGRESS_FROM = 20  # files; fewer read too fast for a bar to help


def _with_progress(files: list[Path]) -> Iterable[Path]:
    """The files, with a progress bar on stderr when it is a terminal and the run is long."""
    if len(files) < PROGRESS_FROM or not sys.stderr.isatty():
        return files
    from rich.progress import track

    return track(
        files, description="Đọc số liệu / reading", console=terminal.console(sys.stderr, True), transient=True
    )


def split_milestone_files(files: list[Path]) -> tuple[list[Path], list[Path]]:
    """Data files and milestone-status files (their header has a 'milestone' column)."""
    data: list[Path] = []
    milestones: list[Path] = []
    for path in files:
        (milestones if ms.is_milestone_file(path) else data).append(path)
    return data, milestones


def assign_plans(catalog: Catalog, units: list[str], forced: Plan | None) -> list[tuple[Plan, list[str]]]:
    """Which plan judges which units: ``forced`` (``--plan``) for all, else the most specific naming it."""
    if forced is not None:
        return [(forced, units)]
    owner: dict[str, str] = {}
    for plan in sorted((catalog.get(pid) for pid in catalog.ids()), key=_specificity):
        for name in plan.units:
            owner[_fold(name)] = plan.id  # more specific plans come later and win
    by_plan: dict[str, list[str]] = {}
    unmatched: list[str] = []
    for name in units:
        plan_id = owner.get(_fold(name))
        if plan_id is None:
            unmatched.append(name)
        else:
            by_plan.setdefault(plan_id, []).append(name)
    if unmatched:
        shown = ", ".join(unmatched[:5]) + (" …" if len(unmatched) > 5 else "")
        raise DataError(
            Problem(
                f"no plan names the unit(s) {shown}; pass --plan ID "
                f"(plans: {', '.join(catalog.ids())}) or add the units to a plan's 'units'"
            )
        )
    return [(catalog.get(plan_id), names) for plan_id, names in by_plan.items()]


def write(report: Report, options: Options, inputs: list[Path]) -> None:
    """Render to stdout, or atomically to ``-o`` (never over an input file)."""
    render = renderer(Format(options.fmt))
    if options.quiet:
        _print_summary(report.summary(), report.lang)
        if options.output is None:
            return
    if options.output is None:
        render(report, sys.stdout, terminal.wants_color(sys.stdout))
        return
    write_atomically(options.output, lambda handle: render(report, cast(TextIO, handle), False), inputs)


def _filter(results: pd.DataFrame, options: Options) -> pd.DataFrame:
    if options.years:
        results = results[results["year"].isin(options.years)]
    if options.units:
        wanted = {_fold(u) for u in options.units}
        units = results["unit"].astype("category")
        keep = [u for u in units.cat.categories if _fold(str(u)) in wanted]  # per unit, not per row
        results = results[units.isin(keep).to_numpy()]
    return results.reset_index(drop=True)


def _specificity(plan: Plan) -> int:
    return {"province": 0, "district": 1, "commune": 2}[plan.level.value]


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip().casefold()
