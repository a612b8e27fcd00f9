"""When each phase of one real ``kpicheck evaluate`` run ends: wall and CPU seconds.

    .venv/bin/python benchmarks/timeline.py                      # national
    .venv/bin/python benchmarks/timeline.py benchmarks/data/large.csv
    .venv/bin/python benchmarks/timeline.py benchmarks/data/districts -- --format csv -o /tmp/out.csv

Unlike ``profile_phases.py``, nothing is imported before the command starts,
so the CSV read-ahead overlaps the imports of pandas and the engine as it does
for a user. Marks: the CLI module imported, the read-ahead started, the engine
imported, the table read and checked, the judging (and writing) done. CPU is
the whole process's, all threads.
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
START_WALL, START_CPU = time.perf_counter(), time.process_time()


def mark(what: str) -> None:
    wall, cpu = time.perf_counter() - START_WALL, time.process_time() - START_CPU
    print(f"{what:22} wall {wall:6.3f} s   cpu {cpu:6.3f} s", file=sys.stderr)


def wrap(owner: Any, name: str, before: str | None, after: str) -> None:
    original = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        if before:
            mark(before)
        result = original(*args, **kwargs)
        mark(after)
        return result

    setattr(owner, name, timed)


def main() -> None:
    args = sys.argv[1:]
    extra = args[args.index("--") + 1 :] if "--" in args else []
    data = args[0] if args and args[0] != "--" else str(ROOT / "benchmarks/data/national.csv")
    import kpicheck.cli as cli

    mark("cli imported")
    try:
        from kpicheck.read.formats import csv_reader as csvfiles

        wrap(csvfiles, "read_ahead", None, "read-ahead started")
    except ImportError:  # a version without the read-ahead
        pass
    choice = cli._choice

    def hooked(value: str, allowed: list[str], option: str) -> str:
        if option == "--projection":  # checked right after the engine is imported
            import kpicheck.pipeline as run

            mark("engine imported")
            wrap(run, "read_actuals", None, "table read, checked")
            wrap(run, "_stream", None, "judged (and written)")
        return choice(value, allowed, option)

    cli._choice = hooked  # type: ignore[assignment]
    plan = str(ROOT / "benchmarks/plan/bench-national.yaml")
    sys.argv = ["kpicheck", "evaluate", data, "--plan", plan, *(extra or ["--quiet"])]
    with contextlib.suppress(SystemExit):
        cli.main()
    mark("done")


if __name__ == "__main__":
    main()
