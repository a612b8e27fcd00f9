"""Where the time of ``kpicheck evaluate`` goes, by phase, on a benchmark data set.

    .venv/bin/python benchmarks/profile_phases.py                   # national, phase tree
    .venv/bin/python benchmarks/profile_phases.py --dataset large
    .venv/bin/python benchmarks/profile_phases.py --cprofile /tmp/prof.out   # + cProfile top list
    .venv/bin/python benchmarks/profile_phases.py -- --format csv -o /tmp/out.csv  # extra CLI args

Phase mode wraps kpicheck's public functions (plans, reading, checking the
table, judging, projection, output; the list is ``PHASES``) with wall-clock timers and then runs the real CLI
in this process, so the numbers are those of an ordinary run with a few
microseconds of overhead per call. It prints a tree: inclusive seconds, share
of the whole process, and self seconds (inclusive minus the wrapped calls
below it). "self" of a phase is its own code plus the pandas/pyarrow calls it
makes directly. Calls made on worker threads (the read-ahead, judging on two
threads) start their own branches, marked ``[thread]``; their time overlaps
the main thread's.

Because this script imports pandas and the engine before the command starts,
the CSV read-ahead (``ReadAhead.start``) cannot overlap those imports here
as it does in a real run: ``ReadAhead.take`` shows the whole parse as waiting. Use
``run.py`` for wall time; use this for where the work is.

``--cprofile FILE`` runs the same command under cProfile instead (slower; the
overhead falls on Python-level calls) and prints the functions with the most
own time and the callees of ``pipeline.run``, ``judge`` and ``read_actuals``.

Nothing here changes kpicheck; it only wraps module attributes at run time.
"""

from __future__ import annotations

import argparse
import functools
import os
import resource
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

T0 = time.perf_counter()

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PLAN = HERE / "plan" / "bench-national.yaml"
sys.path.insert(0, str(HERE))
import hooks  # noqa: E402  (benchmarks/hooks.py)

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
        self.local = threading.local()  # .stack: [path, start, child_seconds] per open call
        # path -> [inclusive s, self s, calls, RSS at the last exit, peak RSS at the last exit]
        self.stats: dict[tuple[str, ...], list[float]] = defaultdict(lambda: [0.0, 0.0, 0, 0.0, 0.0])
        self.order: list[tuple[str, ...]] = []
        self.missing: list[str] = []  # wrapped names this version of kpicheck does not have
        self.lock = threading.Lock()

    def wrap(self, label: str, fn):
        timer = self

        @functools.wraps(fn)
        def timed(*args, **kwargs):
            stack = timer.local.__dict__.setdefault("stack", [])
            if stack:
                path = (*stack[-1][0], label)
            elif threading.current_thread() is threading.main_thread():
                path = (label,)
            else:  # the root of a worker thread's calls: its time overlaps the main thread's
                path = (f"[thread] {label}",)
            with timer.lock:
                if path not in timer.stats:
                    timer.order.append(path)
            frame = [path, time.perf_counter(), 0.0]
            stack.append(frame)
            try:
                return fn(*args, **kwargs)
            finally:
                stack.pop()
                incl = time.perf_counter() - frame[1]
                with timer.lock:
                    s = timer.stats[path]
                    s[0] += incl
                    s[1] += incl - frame[2]
                    s[2] += 1
                    s[3] = rss_mib()
                    s[4] = peak_mib()
                if stack:
                    stack[-1][2] += incl

        return timed

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


# (module, public attribute, label). kpicheck's public names only (hooks.py):
# a name this version does not have is skipped and listed at the end, so the
# script works across rewrites and with --ref.
PHASES = [
    # The job.
    ("kpicheck.pipeline", "run", "pipeline: run"),
    # Plans.
    ("kpicheck.plan.catalog", "Catalog.discover", "plans: Catalog.discover"),
    ("kpicheck.plan.catalog", "read_plan_file", "plans: read_plan_file (YAML + pydantic)"),
    ("kpicheck.plan.assign", "assign_plans", "plans: assign_plans"),
    # Reading and checking the table.
    ("kpicheck.read.actuals", "read_actuals", "read: read_actuals"),
    ("kpicheck.read.actuals", "read_one", "read_one"),
    ("kpicheck.read.readahead", "ReadAhead.take", "ReadAhead.take (waits for the read-ahead thread)"),
    ("kpicheck.read.formats.csv_reader", "read_plain", "csv: read_plain (pyarrow.csv, read-ahead thread)"),
    ("kpicheck.read.formats.csv_reader", "read_table", "csv: read_table (pyarrow.csv)"),
    ("kpicheck.read.tidy", "tidy", "tidy (to pandas, names, years, numbers)"),
    ("kpicheck.read.tidy", "from_wide", "tidy: from_wide"),
    ("kpicheck.read.tidy", "without_repeats", "tidy: without_repeats (duplicates, conflicts)"),
    # Judging.
    ("kpicheck.judge.targets", "compile_plan", "judge: compile_plan"),
    ("kpicheck.judge.rows", "unit_chunks", "judge: unit_chunks"),
    ("kpicheck.judge.rows", "Rows.of", "Rows.of"),
    ("kpicheck.judge.engine", "judge", "judge: judge (one chunk)"),
    ("kpicheck.judge.engine", "evaluate", "judge: evaluate"),
    ("kpicheck.judge.targets", "locate", "locate"),
    ("kpicheck.judge.targets", "locate_rows", "locate_rows"),
    ("kpicheck.judge.series", "Series.of", "Series.of (sort)"),
    ("kpicheck.judge.series", "Series.get", "Series.get"),
    ("kpicheck.judge.rules", "decide", "rules: decide"),
    ("kpicheck.judge.missing", "missing_figures", "no_data: missing_figures"),
    ("kpicheck.judge.projection", "project", "projection: project"),
    ("kpicheck.judge.rollup", "roll_up", "roll_up"),
    ("kpicheck.judge.results", "Judged.frame", "Judged.frame (pandas results)"),
    ("kpicheck.judge.results", "Judged.arrow", "Judged.arrow (Arrow results)"),
    ("kpicheck.judge.results", "concat_results", "concat_results"),
    # Output.
    ("kpicheck.report.report", "Report.summary", "Report.summary"),
    ("kpicheck.report.report", "Report.records", "Report.records"),
    ("kpicheck.report.output", "write_atomically", "output: write_atomically"),
    ("kpicheck.report.formats.csv_format", "table_csv", "csv: Arrow write_csv"),
    ("kpicheck.report.formats.table_format", "render", "table render"),
    ("kpicheck.report.formats.json_format", "render", "json render"),
]


def instrument(timer: PhaseTimer) -> None:
    """Wrap kpicheck's phases. Imports pandas & co, which is timed as 'imports'."""
    for module, attr, label in PHASES:
        found = hooks.resolve(module, attr)
        if found is None:
            timer.missing.append(f"{module}.{attr}")
            continue
        owner, name, _ = found
        hooks.wrap_everywhere(owner, name, lambda fn, label=label: timer.wrap(label, fn))


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
    measured = sum(v[0] for p, v in timer.stats.items() if len(p) == 1 and not p[0].startswith("[thread]"))
    print(
        f"\n{'not in any wrapped phase (CLI code, typer, the summary)':<58} "
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
    stats.sort_stats("cumulative").print_callees(r"pipeline\.py:\d+\(run\)")
    stats.sort_stats("cumulative").print_callees(r"engine\.py:\d+\(judge\)")
    stats.sort_stats("cumulative").print_callees(r"actuals\.py:\d+\(read_actuals\)")
    print(f"cProfile stats saved to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
