"""The ``evaluate`` job from options to outcome: read, match plans, judge, and write the report.

It prints nothing: what a person should see (warnings, progress, the report on
stdout, the summary) goes through the callbacks in ``Options`` or comes back in
the ``Outcome``, and ``cli`` prints it. A file named by ``-o`` is written here,
atomically, chunk by chunk when the format streams.

Strict (the Python API), any bad input raises. Not strict (the command line),
a file that cannot be read, or a unit that is no official unit, may be several
or that no plan names, is set aside as an error
of the ``Outcome`` and the report's ``errors`` section, and everything else is
still judged and written: one bad file among 700 must not cost the other 699
their report.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any, TypeVar, cast

import numpy as np
import pandas as pd
import pyarrow as pa

from kpicheck.errors import DataError, Problem, UsageError
from kpicheck.frames import concat, without_files
from kpicheck.judge import Rows, TargetTable, compile_plan, concat_results, judge, unit_chunks
from kpicheck.judge import milestones as ms
from kpicheck.judge import rows as judge_rows
from kpicheck.judge.indicators import indicator_problems
from kpicheck.judge.notes import translate
from kpicheck.judge.projection import Projection
from kpicheck.names import fold
from kpicheck.places import Placement, PlaceOptions, named, place, place_names
from kpicheck.plan.assign import Locate
from kpicheck.plan.catalog import Catalog
from kpicheck.plan.model import Plan
from kpicheck.read.actuals import ReadOptions, read_actuals
from kpicheck.read.files import data_files
from kpicheck.read.milestones import is_milestone_file, read_done
from kpicheck.read.readahead import ReadAhead
from kpicheck.read.tidy import without_repeats
from kpicheck.regroup import prepare
from kpicheck.report import formats, keep
from kpicheck.report.layout import RenderOptions
from kpicheck.report.output import write_atomically
from kpicheck.report.report import MILESTONE_COLUMNS, Report, Totals, status_counts, unit_table
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
    decimal: str | None = None  # declared by the user, or None (see kpicheck.read.tidy)
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
    # Told each warning, and each error set aside when not strict, as soon as it is known.
    warn: Callable[[Problem], None] = _ignore
    strict: bool = True  # raise on any bad input; else set bad files (and unplanned units) aside
    layout: RenderOptions = field(default_factory=RenderOptions)  # how the report is laid out
    # The report holds every result (the Python API returns them), not only what ``fmt`` lists.
    every_result: bool = False


@dataclass
class Outcome:
    """What a run found: the counts always; the report unless it was streamed or only counted."""

    counts: dict[str, int]
    failed: bool
    report: Report | None = None
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)  # what was set aside (never when strict)


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
        folders = [p for p in options.data if p.is_dir()]
        if folders:
            raise UsageError(Problem.of("usage.no-data-in-folder", str(folders[0])))
        raise UsageError(Problem.of("usage.no-input"))
    inputs = [*files, *milestone_files]  # every file read, found in folders and patterns too: never -o
    plans: dict[str, Plan] = {}
    rows_read = 0
    # The data a chunk at a time, as often as asked: a report that lists only some results judges twice.
    chunks: Callable[[], Iterator[tuple[TargetTable, Rows]]] = lambda: iter(())  # noqa: E731
    warnings: list[Problem] = []
    errors: list[Problem] = []

    def set_aside(problems: list[Problem]) -> None:
        for problem in problems:
            options.warn(problem)
        errors.extend(problems)

    if files:
        frame, warnings, bad = _read(files, options)
        for warning in warnings:
            options.warn(warning)
        set_aside(bad)
    done = _read_milestones(milestone_files, options, set_aside)
    stream = formats.stream(options.fmt, options.layout) if options.output is not None else None
    if frame is not None:
        placement = place(frame, catalog, forced, _place_options(options), _locator(frame))
        _check_filters(frame, placement, options)
        for warning in placement.warnings:
            options.warn(warning)
        warnings = [*warnings, *placement.warnings]
        _refuse_or_set_aside(placement.problems, options, set_aside)
        plans.update((plan.id, plan) for plan, _ in placement.assignments)
        prepared = _prepare(placement, options, warnings, set_aside)
        rows_read = sum(len(rows) for _, rows, _ in prepared)
        chunk_rows = stream.chunk_rows if stream is not None else None
        chunks = lambda: _data_chunks(prepared, placement, chunk_rows)  # noqa: E731
    milestone_rows = _milestones(catalog, done, forced, options, plans, set_aside)
    if len(milestone_rows):
        milestone_rows["note"] = [
            translate(n, options.lang) if isinstance(n, str) else n for n in milestone_rows["note"]
        ]
    milestone_counts = Counter(milestone_rows["status"]) if len(milestone_rows) else None
    if stream is not None or (options.output is None and options.quiet):
        # Nothing needs every result at once: count (and write) chunk by chunk.
        as_of = options.as_of.isoformat() if milestone_files else None

        def closing(counts: Counter[str], units: list[pd.DataFrame]) -> Totals:
            """What follows the streamed results, from the counts of every chunk and the milestones."""
            if len(milestone_rows):
                units.append(status_counts(milestone_rows))
            unit_rows = pd.concat(units, ignore_index=True) if units else pd.DataFrame()
            table = unit_table(unit_rows, options.fail_on)
            return Totals(summary(counts, milestone_counts), table, milestone_rows, as_of)

        counts = _stream(chunks(), options, inputs, stream, closing, errors)
        _say_if_nothing_matched(sum(counts.values()), options)
        totals = summary(counts, milestone_counts)
        return Outcome(totals, _failed(totals, options.fail_on), warnings=warnings, errors=errors)
    report = Report(
        results=concat_results([]),  # filled below
        plans=plans,
        milestones=milestone_rows,
        lang=options.lang,  # type: ignore[arg-type]
        warnings=warnings,
        as_of=options.as_of.isoformat() if milestone_files else None,
        fail_on=options.fail_on,
        errors=errors,
        inputs=[str(p) for p in inputs],
        options=options.layout,
    )
    keeps = None if options.every_result or rows_read < HOLD_ALL_UNDER else formats.keeps(options.fmt)
    if keeps is None:  # the Python API, a small file, and the formats that list every result
        report.results = concat_results(list(_in_parallel(lambda item: _evaluate(*item, options), chunks())))
    else:
        _hold_listed(report, chunks, keeps, options)
    _say_if_nothing_matched(report.result_count(), options)
    if options.output is not None:
        render = formats.renderer(options.fmt)
        binary = formats.FORMATS[options.fmt].binary
        write_atomically(options.output, lambda handle: render(report, handle, False), inputs, binary=binary)
    totals = report.summary()
    return Outcome(totals, _failed(totals, options.fail_on), report, warnings, errors)


def _read(files: list[Path], options: Options) -> tuple[pd.DataFrame | None, list[Problem], list[Problem]]:
    """The checked table of the files that read (None if none did), the warnings, and the errors
    of the files set aside (none when strict: any problem raises, with every problem found)."""
    read = ReadOptions(options.decimal, options.sheet, options.ahead)
    actuals = read_actuals(options.progress(files), read, strict=options.strict)
    frame = actuals.frame if len(actuals.frame) else None
    return frame, actuals.warnings, list(actuals.problems)


def _read_milestones(
    files: list[Path], options: Options, set_aside: Callable[[list[Problem]], None]
) -> list[ms.Done]:
    done: list[ms.Done] = []
    for path in files:
        try:
            done.extend(read_done(path))
        except DataError as exc:
            if options.strict:
                raise
            set_aside(exc.problems)
    return done


def _refuse_or_set_aside(
    problems: list[Problem], options: Options, set_aside: Callable[[list[Problem]], None]
) -> None:
    """Units that are no official unit, that may be several, or that no plan names: errors, which
    a run that is not strict sets aside (their rows are not judged, the others are)."""
    if problems:
        if options.strict:
            raise DataError(problems)
        set_aside(problems)


def _place_options(options: Options) -> PlaceOptions:
    unit_map = options.unit_map if options.unit_map in ("old", "new") else None
    chosen = PlaceOptions(unit_map, options.rollup, options.partial == "include", options.lang)  # type: ignore[arg-type]
    return chosen


def _locator(frame: pd.DataFrame) -> Locate:
    """Where a unit first appears in the data: its file and line."""

    def locate(unit: str) -> tuple[str | None, int | None]:
        rows = np.flatnonzero((frame["unit"] == unit).to_numpy())
        if not len(rows) or "file" not in frame.columns:
            return None, None
        row = frame.iloc[int(rows[0])]
        return str(row["file"]), int(row["line"])

    return locate


def _check_filters(frame: pd.DataFrame, placement: Placement, options: Options) -> None:
    """``--unit`` and ``--year`` name what the data holds, or the run says so (with the closest
    names) instead of reporting nothing. A unit may be named as the data or the results name it."""
    if options.units:
        names = {str(u) for u in frame["unit"].cat.categories}
        names |= {name for name, _ in (placement.labels or {}).values()}
        if options.rollup and options.rollup in frame.columns:  # the results are the higher units
            names |= {str(u) for u in frame[options.rollup].dropna().unique()}
        folded = {fold(n): n for n in names}
        for unit in options.units:
            if fold(unit) not in folded:
                close = difflib.get_close_matches(fold(unit), list(folded), n=3, cutoff=0)
                shown = ", ".join(repr(folded[c]) for c in close)
                raise UsageError(
                    Problem.of("usage.unit-not-in-data", column="--unit", unit=unit, close=shown)
                )
    if options.years:
        years = sorted(int(y) for y in frame["year"].unique())
        for year in options.years:
            if year not in years:
                shown = ", ".join(map(str, years)) if len(years) <= 10 else f"{years[0]}–{years[-1]}"
                raise UsageError(
                    Problem.of("usage.year-not-in-data", column="--year", year=year, years=shown)
                )


def _say_if_nothing_matched(results: int, options: Options) -> None:
    if results == 0 and (options.units or options.years):
        given = [f"--unit {u!r}" for u in options.units] + [f"--year {y}" for y in options.years]
        options.warn(Problem.of("warning.no-results", filters=" ".join(given)))


def _failed(counts: dict[str, int], fail_on: frozenset[str]) -> bool:
    return any(counts.get(status, 0) for status in fail_on)


def _milestones(
    catalog: Catalog,
    done: list[ms.Done],
    forced: Plan | None,
    options: Options,
    plans: dict[str, Plan],
    set_aside: Callable[[list[Problem]], None],
) -> pd.DataFrame:
    """Every milestone of every plan named in the milestone rows, judged as of ``options.as_of``."""
    if not done:
        return pd.DataFrame(columns=MILESTONE_COLUMNS)
    judged = []
    rows = [(d.unit, d.year, d.file, d.line) for d in done]
    assignments, levels, problems = place_names(catalog, forced, rows)
    _refuse_or_set_aside(problems, options, set_aside)
    for plan, planned in assignments:
        wanted = set(planned)
        judged.extend(ms.judge(plan, [d for d in done if d.unit in wanted], options.as_of, levels))
        plans[plan.id] = plan
    return pd.DataFrame(judged, columns=MILESTONE_COLUMNS)


def _prepare(
    placement: Placement,
    options: Options,
    warnings: list[Problem],
    set_aside: Callable[[list[Problem]], None],
) -> list[tuple[TargetTable, pd.DataFrame, set[str]]]:
    """Each plan's compiled targets and its rows, the indicators resolved to the plan's ids, shares
    of communes counted and the rows rolled up if asked (``regroup``); and the units whose shares
    their area counts.

    Done for every plan before any chunk is judged, so that an ambiguous
    indicator, a file for another plan or a figure given twice under two
    names is told, every one at once, before a report is begun: strict, the
    run stops; else the files holding them are set aside, as the read sets
    aside a file it cannot read, and the others are judged.
    """
    frame, assignments = placement.frame, placement.assignments
    prepared = []
    errors: list[Problem] = []
    planned = sum(len(names) for _, names in assignments)
    for plan, names in assignments:
        table = compile_plan(plan)  # once per plan, shared by its chunks
        rows = frame
        if len(assignments) > 1 or planned < len(frame["unit"].cat.categories):  # units set aside
            rows = frame[frame["unit"].isin(names).to_numpy()].reset_index(drop=True)
            rows["unit"] = rows["unit"].cat.remove_unused_categories()
        rows, found, told = _resolve_or_set_aside(table, rows, options, set_aside, placement)
        errors.extend(named(found, placement.labels))  # conflicts on unit keys, named
        for warning in told:
            options.warn(warning)
        warnings.extend(told)
        prepared.append((table, rows))
    if errors:
        raise DataError(errors)
    ready = []
    for table, rows in prepared:
        done = prepare(table.plan, rows, placement, _place_options(options))
        for warning in done.warnings:
            options.warn(warning)
        warnings.extend(done.warnings)
        if done.dissolved_year is not None:
            table = replace(table, dissolved_year=done.dissolved_year)
        ready.append((table, done.rows, done.exempt))
    return ready


def _resolve_or_set_aside(
    table: TargetTable,
    rows: pd.DataFrame,
    options: Options,
    set_aside: Callable[[list[Problem]], None],
    placement: Placement,
) -> tuple[pd.DataFrame, list[Problem], list[Problem]]:
    """``_resolve_indicators``; not strict, the files with problems are set aside and the rest
    resolved again (a conflict of two spellings shows only once the others resolve)."""
    while True:
        resolved, found, told, files = _resolve_indicators(table, rows)
        if not found or options.strict or not files:
            return resolved, found, told
        set_aside(named(found, placement.labels))
        rows = without_files(rows, files)


def _resolve_indicators(
    table: TargetTable, rows: pd.DataFrame
) -> tuple[pd.DataFrame, list[Problem], list[Problem], set[str]]:
    """The rows with each indicator written as the plan's id where it names one (a name, a code,
    an alias, another case), the problems of the rest, the warnings, and the files with problems.

    Two spellings of one indicator become one: the same unit, indicator and
    year given under both with different values is refused like any repeat.
    """
    texts = [str(t) for t in rows["indicator"].cat.categories]
    codes = rows["indicator"].cat.codes.to_numpy()
    file = rows["file"].cat.codes.to_numpy()
    files = [str(f) for f in rows["file"].cat.categories]
    found = indicator_problems(table.names, texts, codes, file, files, rows["line"].to_numpy())
    errors, warnings = found.ambiguous + found.foreign, found.unknown
    bad = {p.file for p in errors if p.file is not None}
    positions = table.names.positions(texts)[:-1]
    canon = [table.ids[p] if p >= 0 else t for t, p in zip(texts, positions, strict=True)]
    if errors or canon == texts:
        return rows, errors, warnings, bad
    categories = pd.Index(list(dict.fromkeys(canon)))
    remap = categories.get_indexer(canon)
    rows = rows.copy(deep=False)
    rows["indicator"] = pd.Categorical.from_codes(
        np.where(codes >= 0, remap[np.maximum(codes, 0)], -1), categories=categories
    )
    if len(categories) < len(canon):
        rows, conflicts, conflicted = without_repeats(rows)
        errors = errors + conflicts  # every conflict, each listing its rows
        bad |= conflicted
    return rows, errors, warnings, bad


def _data_chunks(
    prepared: list[tuple[TargetTable, pd.DataFrame, set[str]]],
    placement: Placement,
    chunk_rows: int | None = None,
) -> Iterator[tuple[TargetTable, Rows]]:
    """Each plan's prepared rows, a chunk of whole units at a time, named as the registry names them:
    ``CHUNK_ROWS``, or fewer when the format streaming them asks (``chunk_rows``)."""
    size = min(judge_rows.CHUNK_ROWS, chunk_rows) if chunk_rows else None  # read now: tests set it
    for table, rows, exempt in prepared:
        for chunk in unit_chunks(rows, size, labels=placement.labels, exempt=exempt):
            yield table, chunk


def _evaluate(table: TargetTable, rows: Rows, options: Options) -> pd.DataFrame:
    return _filter(judge(table, rows, options.projection).frame(options.lang), options)


def _hold_listed(
    report: Report,
    chunks: Callable[[], Iterator[tuple[TargetTable, Rows]]],
    keeps: keep.Keeps,
    options: Options,
) -> None:
    """Give ``report`` the outline and counts of every result, then the results it lists
    (``report.keep``): the chunks are judged once for the outline, and the chunks holding a listed
    result once more."""
    outlines: list[pd.DataFrame] = []
    counts: list[pd.DataFrame] = []
    for chunk_outline, chunk_counts in _in_parallel(lambda item: _outline(*item, options), chunks()):
        outlines.append(chunk_outline)
        counts.append(chunk_counts)
    report.outline = concat(outlines) if outlines else keep.outline(concat_results([]))
    report.counts = pd.concat(counts, ignore_index=True) if counts else None
    sizes = [len(o) for o in outlines]
    report.results = _kept(chunks(), sizes, keep.rows_to_keep(report, keeps), options)


def _outline(table: TargetTable, rows: Rows, options: Options) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A chunk's results in outline, and their counts per unit and status."""
    results = _evaluate(table, rows, options)
    return keep.outline(results), status_counts(results)


def _kept(
    chunks: Iterator[tuple[TargetTable, Rows]], sizes: list[int], wanted: np.ndarray, options: Options
) -> pd.DataFrame:
    """The results at the ``wanted`` positions of the outline, judging again only the chunks that
    hold one; ``sizes`` is how many results each chunk gave the first time (the same every time:
    judging is a function of the chunk)."""
    ends = np.cumsum(sizes, dtype=np.int64)
    starts = ends - np.asarray(sizes, dtype=np.int64)
    needed = (
        (number, table, rows)
        for number, (table, rows) in enumerate(chunks)
        if wanted[starts[number] : ends[number]].any()
    )

    def judge_again(item: tuple[int, TargetTable, Rows]) -> pd.DataFrame:
        number, table, rows = item
        results = _evaluate(table, rows, options)
        picked = wanted[starts[number] : ends[number]]
        if len(results) != len(picked):
            raise RuntimeError(f"chunk {number} gave {len(results)} results, then {len(picked)}")
        return results[picked].reset_index(drop=True)

    return concat_results(list(_in_parallel(judge_again, needed)))


def _stream(
    chunks: Iterator[tuple[TargetTable, Rows]],
    options: Options,
    inputs: list[Path],
    stream: formats.Stream | None,
    totals: Callable[[Counter[str], list[pd.DataFrame]], Totals],
    errors: list[Problem],
) -> Counter[str]:
    """Count statuses chunk by chunk; with a streaming format and ``-o``, also write each chunk,
    opened with the ``errors`` (files set aside) and closed with ``totals`` of the counts per
    status and per unit."""
    counts: Counter[str] = Counter()
    filtered = bool(options.years or options.units)

    def judge_chunk(table: TargetTable, rows: Rows) -> tuple[dict[str, int], pa.Table | None]:
        if filtered:  # through the results table, where the filters apply
            frame = _evaluate(table, rows, options)
            results = pa.Table.from_pandas(frame, preserve_index=False) if stream else None
            return frame["status"].value_counts().to_dict(), results
        judged = judge(table, rows, options.projection)
        return judged.counts(), judged.arrow(options.lang, stream.dictionaries) if stream else None

    if stream is None or options.output is None:
        for chunk_counts, _ in _in_parallel(lambda item: judge_chunk(*item), chunks):
            counts.update(chunk_counts)
        return counts
    writer = stream
    units: list[pd.DataFrame] = []

    def judge_and_format(item: tuple[int, tuple[TargetTable, Rows]]) -> tuple[dict[str, int], Any, Any]:
        number, (table, rows) = item
        chunk_counts, results = judge_chunk(table, rows)
        results = cast(pa.Table, results)
        pieces = writer.chunk(results, first=number == 0)
        return chunk_counts, pieces if any(len(p) for p in pieces) else None, _unit_counts(results)

    def write_all(handle: IO[Any]) -> None:
        # Formatting costs several times the judging; Arrow does it without the GIL, so both
        # cores judge and format a chunk each while finished chunks are written in order.
        handle.write(writer.start(errors, options.lang))  # type: ignore[arg-type]
        wrote = False
        for chunk_counts, pieces, chunk_units in _in_parallel(judge_and_format, enumerate(chunks)):
            counts.update(chunk_counts)
            units.append(chunk_units)
            if pieces is not None:
                if wrote:
                    handle.write(writer.separator)
                for piece in pieces:
                    handle.write(piece)
                wrote = True
        handle.write(writer.end(wrote, totals(counts, units)))

    write_atomically(options.output, write_all, inputs, binary=True)
    return counts


def _unit_counts(results: pa.Table) -> pd.DataFrame:
    """``status_counts`` of a chunk of results in Arrow: a few hundred rows for 65,536 results."""
    keys = ["plan", "unit", "status"]
    grouped = results.select(keys).group_by(keys, use_threads=False).aggregate([([], "count_all")])
    return grouped.rename_columns([*keys, "n"]).to_pandas()


_T = TypeVar("_T")
_R = TypeVar("_R")


# Rows of data under which a report holds every result (a few MB) rather than judge twice to hold
# only the rows it lists (``report.keep``): on the 30-row sample the second pass cost 27 ms.
HOLD_ALL_UNDER = 50_000

# Threads that judge and format chunks; KPICHECK_THREADS=1 measures what the second one brings.
THREADS_VAR = "KPICHECK_THREADS"


def _in_parallel(work: Callable[[_T], _R], items: Iterator[_T], workers: int | None = None) -> Iterator[_R]:
    """``map`` on a small thread pool, in order, with at most ``workers + 1`` items in flight.

    NumPy and Arrow release the GIL, so two chunks are judged at once on two
    cores; the bound keeps memory at a few chunks however large the file.
    """
    if workers is None:
        workers = max(1, int(os.environ.get(THREADS_VAR) or 2))
    if workers == 1:  # in this thread: nothing to overlap
        yield from map(work, items)
        return
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
        keep = [u for u in units.cat.categories.tolist() if fold(str(u)) in wanted]  # per unit, not per row
        results = results[units.isin(keep).to_numpy()]
    return results.reset_index(drop=True)
