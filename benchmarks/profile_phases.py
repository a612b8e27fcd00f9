"""Where the time of ``kpicheck evaluate`` goes, by phase, on a benchmark data set.

    .venv/bin/python benchmarks/profile_phases.py                   # national, phase tree
    .venv/bin/python benchmarks/profile_phases.py --dataset large
    .venv/bin/python benchmarks/profile_phases.py --cprofile /tmp/prof.out   # + cProfile top list
    .venv/bin/python benchmarks/profile_phases.py -- --format csv -o /tmp/out.csv  # extra CLI args

Phase mode wraps kpicheck's own functions (read, normalise, plan assignment,
engine, projection, output) with wall-clock timers and then runs the real CLI
in this process, so the numbers are those of an ordinary run with a few
microseconds of overhead per call. It prints a tree: inclusive seconds, share
of the whole process, and self seconds (inclusive minus the wrapped calls
below it). "self" of a phase is its own code plus the pandas/pyarrow calls it
makes directly, e.g. ``read_one`` self is mostly ``pyarrow.Table.to_pandas``.

Because this script imports pandas and the engine before the command starts,
the CSV read-ahead (``csvfiles.read_ahead``) cannot overlap those imports here
as it does in a real run: ``read_table`` shows the whole parse as waiting. Use
``run.py`` for wall time; use this for where the work is.

``--cprofile FILE`` runs the same command under cProfile instead (slower; the
overhead falls on Python-level calls) and prints the functions with the most
own time and the callees of ``run`` and ``evaluate``.

Nothing here changes kpicheck; it only wraps module attributes at run time.
"""

from __future__ import annotations

import argparse
import functools
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

T0 = time.perf_counter()

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PLAN = HERE / "plan" / "bench-national.yaml"


_PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mib() -> float:
    """Resident set size now (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * _PAGE / 2**20
    except OSError:
        return 0.0


def peak_mib() -> float:
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


class PhaseTimer:
    def __init__(self) -> None:
        self.stack: list[list] = []  # [path, start, child_seconds]
        # path -> [inclusive s, self s, calls, RSS at the last exit, peak RSS at the last exit]
        self.stats: dict[tuple[str, ...], list[float]] = defaultdict(lambda: [0.0, 0.0, 0, 0.0, 0.0])
        self.order: list[tuple[str, ...]] = []
        self.missing: list[str] = []  # wrapped names this version of kpicheck does not have

    def wrap(self, label: str, fn):
        timer = self

        @functools.wraps(fn)
        def timed(*args, **kwargs):
            parent = timer.stack[-1][0] if timer.stack else ()
            path = (*parent, label)
            if path not in timer.stats:
                timer.order.append(path)
            frame = [path, time.perf_counter(), 0.0]
            timer.stack.append(frame)
            try:
                return fn(*args, **kwargs)
            finally:
                timer.stack.pop()
                incl = time.perf_counter() - frame[1]
                s = timer.stats[path]
                s[0] += incl
                s[1] += incl - frame[2]
                s[2] += 1
                s[3] = rss_mib()
                s[4] = peak_mib()
                if timer.stack:
                    timer.stack[-1][2] += incl

        return timed

    def patch(self, owner, name: str, label: str | None = None) -> None:
        original = getattr(owner, name, None)
        if original is None:
            self.missing.append(f"{getattr(owner, '__name__', owner)}.{name}")
            return
        if getattr(original, "__wrapped__", None) is not None and name != "__init__":
            return  # already wrapped under another owner (run.evaluate is engine.evaluate)
        if isinstance(owner, type) and isinstance(owner.__dict__.get(name), classmethod):
            func = owner.__dict__[name].__func__
            setattr(owner, name, classmethod(self.wrap(label or name, func)))
        else:
            setattr(owner, name, self.wrap(label or name, original))

    def report(self, total: float) -> str:
        lines = [
            f"{'phase':<58} {'incl s':>8} {'%':>6} {'self s':>8} {'calls':>6}"
            f" {'RSS after':>10} {'peak after':>10}"
        ]
        for path in self._tree_order():
            incl, own, calls, rss, peak = self.stats[path]
            name = "  " * (len(path) - 1) + path[-1]
            lines.append(
                f"{name:<58} {incl:8.3f} {100 * incl / total:5.1f}% {own:8.3f} {int(calls):6d}"
                f" {rss:7.0f} MiB {peak:6.0f} MiB"
            )
        return "\n".join(lines)

    def _tree_order(self) -> list[tuple[str, ...]]:
        children: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
        for path in self.order:
            children[path[:-1]].append(path)
        out: list[tuple[str, ...]] = []

        def walk(node: tuple[str, ...]) -> None:
            for child in children.get(node, []):
                out.append(child)
                walk(child)

        walk(())
        return out


# (module, attribute path, label). Names a version of kpicheck does not have are
# skipped and listed at the end, so the script works across the engine's rewrites.
PHASES = [
    # Orchestration (run.py looks these up as its own globals).
    ("run", "read_actuals", "read: read_actuals"),
    ("run", "assign_plans", "plans: assign_plans"),
    ("run", "evaluate", "engine: evaluate"),
    ("run", "evaluate_chunks", "engine: evaluate_chunks"),
    ("run", "_result_chunks", "run: _result_chunks"),
    ("run", "_stream", "output: _stream (summary / csv, streamed)"),
    ("run", "concat_results", "engine: concat_results"),
    ("run", "_filter", "run: _filter (--year/--unit)"),
    ("run", "write", "output: write (summary / render)"),
    ("run", "status_counts", "output: status_counts"),
    ("run", "_print_summary", "output: _print_summary"),
    ("plans", "Catalog.discover", "plans: Catalog.discover"),
    ("plans", "read_plan_file", "plans: read_plan_file (YAML + pydantic)"),
    # Reading and normalising.
    ("actuals", "read_one", "read_one (self: to_pandas, header sniff)"),
    ("actuals", "_read_csv", "_read_csv"),
    ("actuals", "_read_table", "pyarrow.csv.read_csv"),
    ("actuals", "read_table", "read_table (waits for the read-ahead thread)"),
    ("csvfiles", "_read_table", "pyarrow.csv.read_csv (read-ahead thread)"),
    ("actuals", "_tidy_pending", "_tidy_pending (to_pandas, checks)"),
    ("actuals", "_tidy", "normalise: _tidy"),
    ("actuals", "_names", "_names"),
    ("actuals", "_years", "_years"),
    ("actuals", "_numbers", "_numbers"),
    ("actuals", "_concat", "_concat (several files)"),
    ("actuals", "_refuse_conflicts", "normalise: _refuse_conflicts"),
    ("pandas", "DataFrame.drop_duplicates", "drop_duplicates"),
    # Engine.
    ("engine", "evaluate", "engine: evaluate"),
    ("engine", "TargetTable.of", "TargetTable.of"),
    ("engine", "indicator_index", "indicator_index"),
    ("engine", "locate", "locate"),
    ("engine", "locate_rows", "locate_rows"),
    ("engine", "Judged.frame", "Judged.frame (pandas results)"),
    ("engine", "Judged.arrow", "Judged.arrow (Arrow results)"),
    ("csv_format", "table_csv", "csv: Arrow write_csv"),
    ("engine", "_OwnValues.__init__", "_OwnValues.__init__ (argsort)"),
    ("engine", "_OwnValues.get", "_OwnValues.get"),
    ("engine", "Series.of", "Series.of (sort)"),
    ("engine", "Series.get", "Series.get"),
    ("engine", "project", "projection: project"),
    ("projection", "_least_squares", "_least_squares"),
    ("engine", "_notes", "_notes"),
    ("engine", "_unknown", "_unknown"),
    ("engine", "_unknown_codes", "_unknown_codes"),
    ("engine", "_no_data", "_no_data"),
    ("engine", "_assemble", "_assemble (result frame)"),
    ("engine", "_attach_meta", "_attach_meta"),
    ("engine", "concat_results", "engine: concat_results"),
    ("operators", "satisfied", "operators.satisfied"),
    ("operators", "gap", "operators.gap"),
    ("operators", "clean", "operators.clean"),
    # Output.
    ("report", "Report.summary", "Report.summary"),
    ("report", "Report.records", "Report.records"),
    ("table_format", "summary_line", "summary_line"),
    ("table_format", "render", "table render"),
    ("csv_format", "render", "csv render (DataFrame.to_csv)"),
    ("json_format", "render", "json render"),
    ("pandas", "concat", "pd.concat"),
]


def instrument(timer: PhaseTimer) -> None:
    """Wrap kpicheck's phases. Imports pandas & co, which is timed as 'imports'."""
    import importlib

    import pandas as pd

    modules = {"pandas": pd}
    for name in ("actuals", "csvfiles", "engine", "operators", "plans", "projection", "report", "run"):
        try:
            modules[name] = importlib.import_module(f"kpicheck.{name}")
        except ModuleNotFoundError:  # an older version (--ref) without this module
            continue
    for name in ("csv_format", "json_format", "table_format"):
        modules[name] = importlib.import_module(f"kpicheck.report.formats.{name}")
    for module, attr, label in PHASES:
        if module not in modules:
            timer.missing.append(f"{module}.{attr}")
            continue
        owner = modules[module]
        *outer, last = attr.split(".")
        for part in outer:
            owner = getattr(owner, part, None)
            if owner is None:
                break
        if owner is None:
            timer.missing.append(f"{module}.{attr}")
            continue
        timer.patch(owner, last, label)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--dataset", default="national", help="national, large, districts, districts-one or a path"
    )
    parser.add_argument("--cprofile", type=Path, help="Run under cProfile and save stats here.")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--ref", help="Profile kpicheck as of this git commit (see run.py --ref).")
    parser.add_argument("extra", nargs="*", help="Extra kpicheck evaluate arguments (after --).")
    args = parser.parse_args(argv)
    data = Path(args.dataset)
    if not data.exists():
        data = DATA / args.dataset if (DATA / args.dataset).is_dir() else DATA / f"{args.dataset}.csv"
    if not data.exists():
        raise SystemExit(f"{data} is missing; run `.venv/bin/python benchmarks/generate.py` first")
    cli_args = ["evaluate", str(data), "--plan", str(PLAN), "--quiet", *args.extra]

    if args.cprofile:
        _use_ref(args.ref)
        return _cprofile(cli_args, args.cprofile, args.top)

    timer = PhaseTimer()
    _use_ref(args.ref)
    t_imp = time.perf_counter()
    import kpicheck.cli  # noqa: F401  (typer, rich; what `kpicheck` imports at start)

    t_cli = time.perf_counter()
    instrument(timer)  # imports pandas, numpy, pyarrow, kpicheck.pipeline, the engine
    t_heavy = time.perf_counter()
    from kpicheck.cli import main as cli_main

    sys.argv = ["kpicheck", *cli_args]
    t_run = time.perf_counter()
    code = 0
    try:
        cli_main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    t_end = time.perf_counter()
    total = t_end - T0
    print(f"\nkpicheck {' '.join(cli_args)}  (exit {code})")
    print(f"whole process (from this script's start, interpreter start-up excluded): {total:.2f} s\n")
    print(
        f"{'imports: kpicheck.cli (typer, rich)':<58} {t_cli - t_imp:8.3f} "
        f"{100 * (t_cli - t_imp) / total:5.1f}%"
    )
    print(
        f"{'imports: pandas, numpy, pyarrow, kpicheck.pipeline/engine':<58} {t_heavy - t_cli:8.3f} "
        f"{100 * (t_heavy - t_cli) / total:5.1f}%"
    )
    print(f"{'cli: evaluate command':<58} {t_end - t_run:8.3f} {100 * (t_end - t_run) / total:5.1f}%")
    print()
    print(timer.report(total))
    measured = sum(v[0] for p, v in timer.stats.items() if len(p) == 1)
    print(
        f"\n{'not in any wrapped phase (run() own code, typer, Report, set(status))':<58} "
        f"{t_end - t_run - measured:8.3f} {100 * (t_end - t_run - measured) / total:5.1f}%"
    )
    print(f"peak RSS of the process: {peak_mib():.0f} MiB")
    if timer.missing:
        print(f"(not in this version, not timed: {', '.join(timer.missing)})")
    return 0


def _use_ref(ref: str | None) -> None:
    """Import kpicheck from a commit exported by run.py instead of the working tree."""
    if not ref:
        return
    sys.path.insert(0, str(HERE))
    from run import export_ref  # benchmarks/run.py

    sha, src = export_ref(ref)
    sys.path.insert(0, str(src))
    print(f"(kpicheck as of {sha}, from {src})", file=sys.stderr)


def _cprofile(cli_args: list[str], out: Path, top: int) -> int:
    import cProfile
    import pstats

    from kpicheck.cli import main as cli_main

    sys.argv = ["kpicheck", *cli_args]
    prof = cProfile.Profile()
    prof.enable()
    try:
        cli_main()
    except SystemExit:
        pass
    finally:
        prof.disable()
    prof.dump_stats(str(out))
    stats = pstats.Stats(str(out))
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_callees(r"run\.py:\d+\(run\)")
    stats.sort_stats("cumulative").print_callees(r"engine\.py:\d+\(evaluate\)")
    stats.sort_stats("cumulative").print_callees(r"actuals\.py:\d+\(read_actuals\)")
    print(f"cProfile stats saved to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
