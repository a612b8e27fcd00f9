"""The ``evaluate`` job from options to outcome: read, match plans, judge, and write the report.

It prints nothing: what a person should see (warnings, progress, the report on
stdout, the summary) goes through the callbacks in ``Options`` or comes back in
the ``Outcome``, and ``cli`` prints it. A file named by ``-o`` is written here,
atomically, chunk by chunk when the format streams.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any, TextIO, TypeVar, cast

import pandas as pd
import pyarrow as pa

from kpicheck.errors import Problem, UsageError
from kpicheck.judge import Rows, TargetTable, compile_plan, concat_results, judge, unit_chunks
from kpicheck.judge import milestones as ms
from kpicheck.judge.projection import Projection
from kpicheck.names import fold
from kpicheck.places import Placement, PlaceOptions, place, place_names
from kpicheck.plan.catalog import Catalog
from kpicheck.plan.model import Plan
from kpicheck.read.actuals import ReadOptions, read_actuals
from kpicheck.read.files import data_files
from kpicheck.read.milestones import is_milestone_file, read_done
from kpicheck.read.readahead import ReadAhead
from kpicheck.regroup import prepare
from kpicheck.report import formats
from kpicheck.report.output import write_atomically
from kpicheck.report.report import MILESTONE_COLUMNS, Report
from kpicheck.statuses import DEFAULT_FAIL_ON, summary


def _no_progress(files: list[Path]) -> Iterable[Path]:
    return files


def _ignore(warning: Problem) -> None:
    pass


@dataclass(frozen=True)
class Options:
    data: list[Path]
    plan: str | None = None
    years: list[int] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    fmt: str = "table"
    output: Path | None = None
    fail_on: frozenset[str] = DEFAULT_FAIL_ON
    lang: str = "vi"
    decimal: str = "."
    milestones: Path | None = None
    as_of: dt.date = field(default_factory=dt.date.today)
    projection: Projection | str = "cagr"
    quiet: bool = False  # only the counts are wanted (no report unless written to ``output``)
    targets: Path | None = None
    rollup: str | None = None
    unit_map: str | None = None  # read unit codes on this map ("old", "new"), whatever the year
    partial: str = "exclude"  # a unit lying only partly in the higher unit: "include" or "exclude"
    sheet: str | None = None
    ahead: ReadAhead | None = None  # CSV files already being parsed
    progress: Callable[[list[Path]], Iterable[Path]] = _no_progress  # wraps the files as they are read
    warn: Callable[[Problem], None] = _ignore  # told each warning as soon as it is known


@dataclass
class Outcome:
    """What a run found: the counts always; the report unless it was streamed or only counted."""

    counts: dict[str, int]
    failed: bool
    report: Report | None = None
    warnings: list[Problem] = field(default_factory=list)


def run(options: Options, frame: pd.DataFrame | None = None, plan: Plan | None = None) -> Outcome:
    """Run the whole job; ``frame`` (a table already read and checked) takes the place of data files,
    ``plan`` (a plan already loaded) the place of ``options.plan``."""
    catalog = Catalog.discover(options.targets)
    # A mistyped --plan is reported before a national file is read, not after.
    forced = plan or (catalog.load(options.plan) if options.plan is not None else None)
    files, milestone_files = split_milestone_files(data_files(options.data))
    if options.milestones is not None:
        milestone_files.append(options.milestones)
    if not files and not milestone_files and frame is None:
        raise UsageError(Problem.of("usage.no-input"))
    inputs = [*files, *milestone_files]  # every file read, found in folders and patterns too: never -o
    plans: dict[str, Plan] = {}
    chunks: Iterator[tuple[TargetTable, Rows]] = iter(())
    warnings: list[Problem] = []
    if files:
        read = ReadOptions(options.decimal, options.sheet, options.ahead)
        actuals = read_actuals(options.progress(files), read)
        warnings = actuals.warnings
        for warning in warnings:
            options.warn(warning)
        frame = actuals.frame
    if frame is not None:
        placement = place(frame, catalog, forced, _place_options(options))
        for warning in placement.warnings:
            options.warn(warning)
        warnings = [*warnings, *placement.warnings]
        plans.update((plan.id, plan) for plan, _ in placement.assignments)
        chunks = _data_chunks(placement, options, warnings)
    milestone_rows = _milestones(catalog, milestone_files, forced, options.as_of, plans)
    milestone_counts = Counter(milestone_rows["status"]) if len(milestone_rows) else None
    stream = formats.stream(options.fmt) if options.output is not None else None
    if stream is not None or (options.output is None and options.quiet):
        # Nothing needs every result at once: count (and write) chunk by chunk.
        counts = _stream(chunks, options, inputs, stream)
        totals = summary(counts, milestone_counts)
        return Outcome(totals, _failed(totals, options.fail_on), warnings=warnings)
    parts = list(_in_parallel(lambda item: _evaluate(item[0], item[1], options), chunks))
    report = Report(
        results=concat_results(parts),
        plans=plans,
        milestones=milestone_rows,
        lang=options.lang,  # type: ignore[arg-type]
        warnings=warnings,
        as_of=options.as_of.isoformat() if milestone_files else None,
        fail_on=options.fail_on,
    )
    if options.output is not None:
        render = formats.renderer(options.fmt)
        write_atomically(options.output, lambda handle: render(report, cast(TextIO, handle), False), inputs)
    totals = report.summary()
    return Outcome(totals, _failed(totals, options.fail_on), report, warnings)


def _failed(counts: dict[str, int], fail_on: frozenset[str]) -> bool:
    return any(counts.get(status, 0) for status in fail_on)


def _milestones(
    catalog: Catalog, files: list[Path], forced: Plan | None, as_of: dt.date, plans: dict[str, Plan]
) -> pd.DataFrame:
    """Every milestone of every plan named in the milestone files, judged as of ``as_of``."""
    if not files:
        return pd.DataFrame(columns=MILESTONE_COLUMNS)
    done = [row for path in files for row in read_done(path)]
    judged = []
    assignments, levels = place_names(catalog, forced, [(d.unit, d.year, d.file, d.line) for d in done])
    for plan, plan_units in assignments:
        wanted = set(plan_units)
        judged.extend(ms.judge(plan, [d for d in done if d.unit in wanted], as_of, levels))
        plans[plan.id] = plan
    return pd.DataFrame(judged, columns=MILESTONE_COLUMNS)


def _place_options(options: Options) -> PlaceOptions:
    unit_map = options.unit_map if options.unit_map in ("old", "new") else None
    return PlaceOptions(unit_map, options.rollup, options.partial == "include")  # type: ignore[arg-type]


def _data_chunks(
    placement: Placement, options: Options, warnings: list[Problem]
) -> Iterator[tuple[TargetTable, Rows]]:
    """Each plan's rows (shares counted, rolled up if asked), a chunk of whole units at a time."""
    frame = placement.frame
    for plan, plan_units in placement.assignments:
        table = compile_plan(plan)  # once per plan, shared by its chunks
        rows = frame
        if len(placement.assignments) > 1:
            rows = frame[frame["unit"].isin(plan_units).to_numpy()].reset_index(drop=True)
            rows["unit"] = rows["unit"].cat.remove_unused_categories()
        ready = prepare(plan, rows, placement, _place_options(options))
        for warning in ready.warnings:
            options.warn(warning)
        warnings.extend(ready.warnings)
        if ready.dissolved_year is not None:
            table = replace(table, dissolved_year=ready.dissolved_year)
        for chunk in unit_chunks(ready.rows, labels=placement.labels, exempt=ready.exempt):
            yield table, chunk


def _evaluate(table: TargetTable, rows: Rows, options: Options) -> pd.DataFrame:
    return _filter(judge(table, rows, options.projection).frame(), options)


def _stream(
    chunks: Iterator[tuple[TargetTable, Rows]],
    options: Options,
    inputs: list[Path],
    stream: formats.Stream | None,
) -> Counter[str]:
    """Count statuses chunk by chunk; with a streaming format and ``-o``, also write each chunk."""
    counts: Counter[str] = Counter()
    filtered = bool(options.years or options.units)

    def judge_chunk(table: TargetTable, rows: Rows) -> tuple[dict[str, int], pa.Table | None]:
        if filtered:  # through the results table, where the filters apply
            frame = _evaluate(table, rows, options)
            results = pa.Table.from_pandas(frame, preserve_index=False) if stream else None
            return frame["status"].value_counts().to_dict(), results
        judged = judge(table, rows, options.projection)
        return judged.counts(), judged.arrow() if stream else None

    if stream is None or options.output is None:
        for chunk_counts, _ in _in_parallel(lambda item: judge_chunk(*item), chunks):
            counts.update(chunk_counts)
        return counts
    writer = stream

    def judge_and_format(item: tuple[int, tuple[TargetTable, Rows]]) -> tuple[dict[str, int], Any]:
        number, (table, rows) = item
        chunk_counts, results = judge_chunk(table, rows)
        return chunk_counts, writer.chunk(cast(pa.Table, results), first=number == 0)

    def write_all(handle: IO[Any]) -> None:
        # Formatting costs several times the judging; Arrow does it without the GIL, so both
        # cores judge and format a chunk each while finished chunks are written in order.
        wrote = False
        for chunk_counts, body in _in_parallel(judge_and_format, enumerate(chunks)):
            counts.update(chunk_counts)
            handle.write(body)
            wrote = True
        handle.write(writer.end(wrote))

    write_atomically(options.output, write_all, inputs, binary=True)
    return counts


_T = TypeVar("_T")
_R = TypeVar("_R")


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


def split_milestone_files(files: list[Path]) -> tuple[list[Path], list[Path]]:
    """Data files and milestone-status files (their header has a 'milestone' column)."""
    data: list[Path] = []
    milestones: list[Path] = []
    for path in files:
        (milestones if is_milestone_file(path) else data).append(path)
    return data, milestones


def _filter(results: pd.DataFrame, options: Options) -> pd.DataFrame:
    if options.years:
        results = results[results["year"].isin(options.years)]
    if options.units:
        wanted = {fold(u) for u in options.units}
        units = results["unit"].astype("category")
        keep = [u for u in units.cat.categories if fold(str(u)) in wanted]  # per unit, not per row
        results = results[units.isin(keep).to_numpy()]
    return results.reset_index(drop=True)
