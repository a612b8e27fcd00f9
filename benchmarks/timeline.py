"""When each phase of one real ``kpicheck evaluate`` run ends: wall and CPU seconds.

    .venv/bin/python benchmarks/timeline.py                      # national
    .venv/bin/python benchmarks/timeline.py benchmarks/data/large.csv
    .venv/bin/python benchmarks/timeline.py benchmarks/data/districts -- --format csv -o /tmp/out.csv

Unlike ``profile_phases.py``, nothing is imported before the command starts,
so the CSV read-ahead overlaps the imports of pandas and the engine as it does
for a user. Marks: the CLI module imported, the read-ahead started
(``ReadAhead.start``), ``kpicheck.pipeline`` imported (with pandas and the
engine), the table read and checked (``read_actuals``), the judging (and
writing) done (``pipeline.run``). Only public names are hooked
(``benchmarks/hooks.py``). CPU is the whole process's, all threads.
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import hooks  # noqa: E402  (benchmarks/hooks.py)

START_WALL, START_CPU = time.perf_counter(), time.process_time()


def mark(what: str) -> None:
    wall, cpu = time.perf_counter() - START_WALL, time.process_time() - START_CPU
    print(f"{what:22} wall {wall:6.3f} s   cpu {cpu:6.3f} s", file=sys.stderr)


def marking(after: str, before: str | None = None) -> Any:
    """A wrapper for ``hooks.wrap_everywhere`` that marks when the call starts and ends."""

    def make(original: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            if before:
                mark(before)
            result = original(*args, **kwargs)
            mark(after)
            return result

        return timed

    return make


def hook(module: str, attr: str, after: str, before: str | None = None) -> None:
    found = hooks.resolve(module, attr)
    if found is None:
        print(f"(not in this version, no mark: {module}.{attr})", file=sys.stderr)
        return
    owner, name, _ = found
    hooks.wrap_everywhere(owner, name, marking(after, before))


def on_pipeline(module: Any) -> None:
    mark("pipeline imported")  # with pandas, pydantic, PyYAML and the engine
    hook("kpicheck.read.actuals", "read_actuals", "table read, checked")
    hook(module.__name__, "run", "judged (and written)")


def main() -> None:
    args = sys.argv[1:]
    extra = args[args.index("--") + 1 :] if "--" in args else []
    data = args[0] if args and args[0] != "--" else str(ROOT / "benchmarks/data/national.csv")
    import kpicheck.cli as cli

    mark("cli imported")
    hooks.after_import(
        "kpicheck.read.readahead",
        lambda module: hook(module.__name__, "ReadAhead.start", "read-ahead started"),
    )
    hooks.after_import("kpicheck.pipeline", on_pipeline)
    plan = str(ROOT / "benchmarks/plan/bench-national.yaml")
    sys.argv = ["kpicheck", "evaluate", data, "--plan", plan, *(extra or ["--quiet"])]
    with contextlib.suppress(SystemExit):
        cli.main()
    mark("done")


if __name__ == "__main__":
    main()
