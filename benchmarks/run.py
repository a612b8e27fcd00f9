"""The kpicheck performance benchmark: kpicheck against pandas.read_csv on the same file.

    .venv/bin/python benchmarks/generate.py              # once: writes benchmarks/data/
    .venv/bin/python benchmarks/run.py                   # national + startup, 3 repeats
    .venv/bin/python benchmarks/run.py --dataset all --repeat 5

Every measurement is a fresh process, run alone (never two at a time), and is
timed from the parent around the whole process: interpreter start-up, imports,
work and exit. Peak memory is that process's own maximum resident set size,
read with ``os.wait4`` (the rusage of exactly that child, not the running
maximum over all children that ``RUSAGE_CHILDREN`` gives). Repeats are
interleaved (a, b, c, a, b, c, ...) so that drift in the machine hits every
measurement alike; the table shows medians. Before each run the script waits
(up to ``--settle`` seconds) until other processes leave the CPUs idle;
``others%`` is the largest share of the CPUs that other processes kept busy
just before a run: above ~10 % the timings are disturbed, rerun on a quiet
machine. ``cpu s`` (user + system time of the child, all threads) moves less
with such noise than wall time does.

Measurements per single-file data set (national, large):

* ``read_csv``: ``python -c "import pandas as pd; pd.read_csv(path)"`` with the
  C engine and default options. The whole process is what the ratios use;
  the child also reports the time of ``import pandas`` and of the read alone,
  shown for information.
* ``evaluate``: ``kpicheck evaluate DATA --plan benchmarks/plan/bench-national.yaml --quiet``
  (the whole job: --quiet still builds every status, gap, path and projection).
* ``evaluate_csv``: the same with ``--format csv -o FILE`` (the full results written).
* ``pyarrow`` (information only): ``pyarrow.csv.read_csv(path).to_pandas()``,
  the reader kpicheck uses, without kpicheck's tidying.

districts: ``evaluate`` on the folder of 700 files against ``evaluate`` on
``districts-one.csv`` (the same rows in one file).

startup: ``kpicheck --help``, ``--version``, ``validate PLAN``, ``targets``,
``targets --format json``, ``units`` (median of 5 by default), and whether each
imported pandas; with ``--compare REF`` also ``validate``, ``targets`` and
``targets --format json`` as of REF in the same rounds. The plan cache is warm
(each command run once, and ``kpicheck validate`` of the plans in use).

Goals (from the performance issue): evaluate <= 1.3x read_csv's time and
<= 1.0x its peak memory; writing the CSV adds no more than the evaluation's
own time; the 700-file folder <= 2x the one file; start-up commands < 0.2 s
and without pandas.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
PLAN = HERE / "plan" / "bench-national.yaml"
BIN = Path(sys.executable).parent
PYTHON = sys.executable
# How kpicheck is started: the console script of the venv (the working tree, as
# installed in editable mode), or with --ref, the package of a commit exported to
# benchmarks/data/src/<sha>/ and put first on PYTHONPATH.
KPICHECK = [str(BIN / "kpicheck")]
CHILD_ENV: dict[str, str] | None = None
SRC_DIR = ROOT / "src" / "kpicheck"

GOAL_TIME = 1.3
GOAL_MEMORY = 1.0
GOAL_CSV_EXTRA = 1.0  # extra time of writing the CSV, as a multiple of the evaluation's time
GOAL_DISTRICTS = 1.5  # the throughput issue (was 2.0 in the performance issue)
GOAL_STARTUP_S = 0.2
# The start-up commands also measured as of --compare's commit, in the same rounds.
STARTUP_COMPARED = ("validate", "targets", "targets_json")
GOAL_SAMPLE_S = 0.7  # evaluate on the bundled 30-row sample

READ_CSV_CHILD = """
import json, sys, time
t0 = time.perf_counter()
import pandas as pd
t1 = time.perf_counter()
df = pd.read_csv(sys.argv[1])
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "read_s": t2 - t1, "rows": len(df)}))
"""

PYARROW_CHILD = """
import json, sys, time
t0 = time.perf_counter()
import pyarrow.csv as pacsv
import pandas as pd
t1 = time.perf_counter()
df = pacsv.read_csv(sys.argv[1]).to_pandas()
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "read_s": t2 - t1, "rows": len(df)}))
"""

# Runs the kpicheck CLI in-process and reports which heavy modules it imported.
IMPORTS_CHILD = """
import json, sys
sys.argv = ["kpicheck", *sys.argv[1:]]
from kpicheck.cli import main
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else 0
heavy = [m for m in ("pandas", "numpy", "pyarrow", "pydantic", "yaml") if m in sys.modules]
print(json.dumps({"heavy": heavy, "code": code}), file=sys.__stderr__)
"""


@dataclass
class Run:
    wall_s: float
    peak_mib: float
    rc: int
    child: dict = field(default_factory=dict)
    cpu_s: float = 0.0  # user + system time of the child (all its threads)
    background: float = 0.0  # share of the CPUs busy with other processes just before the run
    source: str = ""  # fingerprint of the kpicheck sources the run used
    output_bytes: int = 0  # size of the file the command wrote (Measurement.output)


def src_fingerprint() -> str:
    """Names, sizes and mtimes of the package's sources: changes when someone edits them."""
    if CHILD_ENV is not None:
        return CHILD_ENV.get("PYTHONPATH", "")
    parts = sorted(
        f"{p.relative_to(SRC_DIR)}:{st.st_size}:{st.st_mtime_ns}"
        for p in SRC_DIR.rglob("*.py")
        for st in [p.stat()]
    )
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:12]


def export_ref(ref: str) -> tuple[str, Path]:
    """The package as of ``ref``, exported once into benchmarks/data/src/<sha>/."""
    sha = subprocess.run(
        ["git", "rev-parse", "--short", f"{ref}^{{commit}}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    dest = DATA / "src" / sha
    if not (dest / "kpicheck" / "cli.py").exists():
        dest.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", "--format=tar", f"{sha}:src"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return sha, dest


def _cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs from /proc/stat; (0, 0) where there is none."""
    try:
        with open("/proc/stat") as handle:
            fields = [int(v) for v in handle.readline().split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    total = sum(fields[:8])
    return total - idle, total


def background_busy(seconds: float = 0.5) -> float:
    """Share of all CPUs busy over ``seconds`` while this benchmark runs nothing."""
    b0, t0 = _cpu_ticks()
    time.sleep(seconds)
    b1, t1 = _cpu_ticks()
    return (b1 - b0) / (t1 - t0) if t1 > t0 else 0.0


SETTLE = {"max_wait": 20.0, "threshold": 0.10}


def settle() -> float:
    """Wait (up to SETTLE['max_wait'] s) until other processes leave the CPUs idle; the share busy."""
    deadline = time.monotonic() + SETTLE["max_wait"]
    busy = background_busy()
    while busy > SETTLE["threshold"] and time.monotonic() < deadline:
        busy = background_busy(1.0)
    return busy


@dataclass
class Measurement:
    name: str
    label: str
    cmd: list[str]
    ok_codes: tuple[int, ...] = (0,)
    runs: list[Run] = field(default_factory=list)
    env: dict[str, str] | None = None  # None: CHILD_ENV (the version measured)
    timeout: float | None = None  # seconds; a run still going then is killed and counted as such
    output: Path | None = None  # a file the command writes: its size is recorded, then it is removed

    @property
    def wall(self) -> float:
        return statistics.median(r.wall_s for r in self.runs)

    @property
    def peak(self) -> float:
        return statistics.median(r.peak_mib for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu_s for r in self.runs)

    @property
    def background(self) -> float:
        return max(r.background for r in self.runs)

    def child_median(self, key: str) -> float | None:
        values = [r.child[key] for r in self.runs if key in r.child]
        return statistics.median(values) if values else None


def run_once(
    cmd: list[str],
    ok_codes: tuple[int, ...],
    wait_quiet: bool = True,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> Run:
    """One fresh process, alone: wall time around the whole process and its own peak RSS.

    With ``timeout``, a process still running then is killed: the run is kept, with
    ``rc`` -9 and the time it had taken, so a table can say "over N s"."""
    background = settle() if wait_quiet else 0.0
    source = src_fingerprint() if env is None else env.get("PYTHONPATH", "")
    env = env if env is not None else CHILD_ENV
    timed_out = False
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        killer = threading.Timer(timeout, proc.kill) if timeout is not None else None
        if killer is not None:
            killer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        if killer is not None:
            killer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        timed_out = proc.returncode == -9 and timeout is not None
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode not in ok_codes and not timed_out:
        raise SystemExit(f"benchmark: {' '.join(cmd)} exited {proc.returncode}\n{stderr[-3000:]}")
    child: dict = {}
    for text in (stdout, stderr):
        lines = text.strip().splitlines()
        if lines and lines[-1].startswith("{"):
            with contextlib.suppress(json.JSONDecodeError):
                child = json.loads(lines[-1])
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    scale = 1 if sys.platform == "darwin" else 1024
    return Run(
        wall,
        usage.ru_maxrss * scale / 2**20,
        proc.returncode,
        child,
        usage.ru_utime + usage.ru_stime,
        background,
        source,
    )


def run_all(measurements: list[Measurement], repeat: int, quiet: bool = False) -> None:
    """Interleaved repeats: round 1 of every measurement, then round 2, ..."""
    for round_no in range(1, repeat + 1):
        for m in measurements:
            r = run_once(m.cmd, m.ok_codes, env=m.env, timeout=m.timeout)
            if m.output is not None:
                r.output_bytes = m.output.stat().st_size if m.output.exists() else 0
                m.output.unlink(missing_ok=True)
            m.runs.append(r)
            if not quiet:
                print(
                    f"  [{round_no}/{repeat}] {m.label:<52} {r.wall_s:8.2f} s {r.peak_mib:9.0f} MiB"
                    f"  (cpu {r.cpu_s:.2f} s, others busy {100 * r.background:.0f}%)",
                    file=sys.stderr,
                    flush=True,
                )


def warm(paths: list[Path]) -> None:
    """Page-cache the data and the modules once, untimed, so run 1 is not a cold-disk run.

    The files are read by a child process: this process must stay small, because
    on Linux a child's ru_maxrss starts from the high-water mark of the process
    that forked it (the old memory map is accounted at exec).
    """
    files: list[str] = []
    for path in paths:
        files += [str(f) for f in sorted(path.glob("*.csv"))] if path.is_dir() else [str(path)]
    subprocess.run(["cat", *files], stdout=subprocess.DEVNULL, check=True)
    subprocess.run(
        [PYTHON, "-c", "import pandas, pyarrow.csv, kpicheck.pipeline, kpicheck.cli"],
        cwd=ROOT,
        check=True,
        env=CHILD_ENV,
    )


def dataset_rows(name: str) -> int:
    meta_path = DATA / "meta.json"
    if meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if name in meta.get("datasets", {}):
            return int(meta["datasets"][name]["rows"])
    path = DATA / f"{name}.csv"
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    total = 0
    for f in files:
        with f.open("rb") as handle:
            total += sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1
    return total


def need(path: Path) -> None:
    if not path.exists():
        raise SystemExit(f"benchmark: {path} is missing; run `.venv/bin/python benchmarks/generate.py` first")


def changed_source(ms: list[Measurement]) -> str:
    sources = {r.source for m in ms if m.env is None for r in m.runs}
    if len(sources) > 1:
        return (
            "  WARNING: the kpicheck sources changed during this benchmark; the runs mix "
            "versions. Rerun, or pin a commit with --ref."
        )
    return ""


def evaluate_cmd(data: Path, *extra: str, kpicheck: list[str] | None = None) -> list[str]:
    return [*(kpicheck or KPICHECK), "evaluate", str(data), "--plan", str(PLAN), "--quiet", *extra]


# With --compare REF: the command and environment that run kpicheck as of REF, measured
# in the same interleaved rounds as the version under test.
COMPARE: dict[str, object] = {}


def compare_measurements(data: Path, out_csv: Path) -> list[Measurement]:
    """``evaluate`` and ``evaluate_csv`` as of the --compare commit, if one was given."""
    if not COMPARE:
        return []
    cmd, env, sha = COMPARE["cmd"], COMPARE["env"], COMPARE["sha"]
    assert isinstance(cmd, list) and isinstance(env, dict)
    return [
        Measurement(
            "evaluate_ref",
            f"kpicheck evaluate --quiet @ {sha}",
            evaluate_cmd(data, kpicheck=cmd),
            (0, 1),
            env=env,
        ),
        Measurement(
            "evaluate_csv_ref",
            f"kpicheck evaluate --quiet --format csv -o @ {sha}",
            evaluate_cmd(data, "--format", "csv", "-o", str(out_csv), kpicheck=cmd),
            (0, 1),
            env=env,
        ),
    ]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def single_file(name: str, repeat: int, out_csv: Path, pyarrow: bool) -> dict:
    data = DATA / f"{name}.csv"
    need(data)
    rows = dataset_rows(name)
    size = data.stat().st_size / 2**20
    print(f"\n== {name}: {rows:,} rows, {size:.1f} MiB, {repeat} repeat(s)", file=sys.stderr)
    warm([data])
    ms = [
        Measurement(
            "read_csv", "pandas.read_csv (C engine), whole process", [PYTHON, "-c", READ_CSV_CHILD, str(data)]
        ),
        Measurement("evaluate", "kpicheck evaluate --quiet", evaluate_cmd(data), (0, 1)),
        Measurement(
            "evaluate_csv",
            "kpicheck evaluate --quiet --format csv -o",
            evaluate_cmd(data, "--format", "csv", "-o", str(out_csv)),
            (0, 1),
        ),
    ]
    ms.extend(compare_measurements(data, out_csv))
    if pyarrow:
        ms.append(
            Measurement(
                "pyarrow",
                "pyarrow.csv.read_csv().to_pandas() (info)",
                [PYTHON, "-c", PYARROW_CHILD, str(data)],
            )
        )
    try:
        run_all(ms, repeat)
    finally:
        out_csv.unlink(missing_ok=True)
    by = {m.name: m for m in ms}
    read, ev, ev_csv = by["read_csv"], by["evaluate"], by["evaluate_csv"]
    time_ratio = ev.wall / read.wall
    mem_ratio = ev.peak / read.peak
    csv_extra = ev_csv.wall - ev.wall
    csv_ratio = csv_extra / ev.wall
    lines = [
        f"{name}: {rows:,} rows, {size:.1f} MiB, 1 file; median of {repeat} run(s); "
        "wall = whole process (interpreter start-up + imports + work)",
        _table(ms, rows),
        f"  read_csv child, inside the process: import pandas {read.child_median('import_s'):.2f} s,"
        f" pd.read_csv alone {read.child_median('read_s'):.2f} s"
        f" ({rows / read.child_median('read_s'):,.0f} rows/s)",
        "",
        f"  time    evaluate / read_csv       {time_ratio:6.2f}x   goal <= {GOAL_TIME:.2f}x"
        f"   {verdict(time_ratio <= GOAL_TIME)}",
        f"  memory  evaluate / read_csv       {mem_ratio:6.2f}x   goal <= {GOAL_MEMORY:.2f}x"
        f"   {verdict(mem_ratio <= GOAL_MEMORY)}",
        f"  csv     writing adds {csv_extra:6.2f} s = {csv_ratio:5.2f}x the evaluation"
        f"   goal <= {GOAL_CSV_EXTRA:.2f}x   {verdict(csv_ratio <= GOAL_CSV_EXTRA)}",
    ]
    if "evaluate_ref" in by:
        for mine, ref in (("evaluate", "evaluate_ref"), ("evaluate_csv", "evaluate_csv_ref")):
            lines.append(
                f"  compare {mine:<13} this tree / {COMPARE['sha']}"
                f"   time {by[mine].wall / by[ref].wall:5.2f}x   memory {by[mine].peak / by[ref].peak:5.2f}x"
            )
    lines.append(changed_source(ms))
    print("\n".join(lines))
    return {
        "dataset": name,
        "rows": rows,
        "mib": size,
        "measurements": [_dump(m, rows) for m in ms],
        "ratios": {
            "time_evaluate_over_read_csv": time_ratio,
            "memory_evaluate_over_read_csv": mem_ratio,
            "csv_extra_over_evaluate": csv_ratio,
        },
        "pass": {
            "time": time_ratio <= GOAL_TIME,
            "memory": mem_ratio <= GOAL_MEMORY,
            "csv": csv_ratio <= GOAL_CSV_EXTRA,
        },
    }


def districts(repeat: int) -> dict:
    folder, one = DATA / "districts", DATA / "districts-one.csv"
    need(folder)
    need(one)
    rows = dataset_rows("districts")
    n_files = len(list(folder.glob("*.csv")))
    print(f"\n== districts: {n_files} files, {rows:,} rows, {repeat} repeat(s)", file=sys.stderr)
    warm([folder, one])
    ms = [
        Measurement("one_file", "kpicheck evaluate --quiet, one file", evaluate_cmd(one), (0, 1)),
        Measurement("folder", f"kpicheck evaluate --quiet, {n_files} files", evaluate_cmd(folder), (0, 1)),
    ]
    run_all(ms, repeat)
    ratio = ms[1].wall / ms[0].wall
    print(
        "\n".join(
            [
                f"districts: {rows:,} rows; median of {repeat} run(s); wall = whole process",
                _table(ms, rows),
                "",
                f"  time    {n_files} files / one file   {ratio:6.2f}x   goal <= {GOAL_DISTRICTS:.2f}x"
                f"   {verdict(ratio <= GOAL_DISTRICTS)}",
                f"  cpu     {n_files} files / one file   {ms[1].cpu / ms[0].cpu:6.2f}x   (information)",
                f"  memory  {n_files} files / one file   {ms[1].peak / ms[0].peak:6.2f}x   (information)",
                changed_source(ms),
            ]
        )
    )
    return {
        "dataset": "districts",
        "rows": rows,
        "files": n_files,
        "measurements": [_dump(m, rows) for m in ms],
        "ratios": {"time_folder_over_one_file": ratio},
        "pass": {"time": ratio <= GOAL_DISTRICTS},
    }


FORMAT_TIMEOUT = 600.0  # seconds: a format slower than this on the national file is reported as such
GOAL_JSON = 2.0  # --format json -o, as a multiple of --format csv -o
GOAL_REPORTS = 3.0  # markdown, junit, html, xlsx, as a multiple of --format csv -o


def formats(repeat: int) -> dict:
    """Every output format written with -o on the national file: time, memory and size."""
    data = DATA / "national.csv"
    need(data)
    rows = dataset_rows("national")
    print(f"\n== formats on national: {rows:,} rows, {repeat} repeat(s)", file=sys.stderr)
    warm([data])
    out_dir = Path(tempfile.mkdtemp(prefix="kpicheck-bench-"))
    ms = [
        Measurement(
            "read_csv", "pandas.read_csv (C engine), whole process", [PYTHON, "-c", READ_CSV_CHILD, str(data)]
        ),
        Measurement("evaluate", "kpicheck evaluate --quiet", evaluate_cmd(data), (0, 1)),
    ]
    for fmt in ("csv", "json", "markdown", "junit", "html", "xlsx", "table"):
        target = out_dir / f"out.{fmt}"
        ms.append(
            Measurement(
                fmt,
                f"--format {fmt} -o",
                evaluate_cmd(data, "--format", fmt, "-o", str(target)),
                (0, 1),
                timeout=FORMAT_TIMEOUT,
                output=target,
            )
        )
    if COMPARE:
        cmd, env, sha = COMPARE["cmd"], COMPARE["env"], COMPARE["sha"]
        assert isinstance(cmd, list) and isinstance(env, dict)
        target = out_dir / "ref.json"
        ms.append(
            Measurement(
                "json_ref",
                f"--format json -o @ {sha}",
                evaluate_cmd(data, "--format", "json", "-o", str(target), kpicheck=cmd),
                (0, 1),
                env=env,
                timeout=FORMAT_TIMEOUT,
                output=target,
            )
        )
    run_all(ms, repeat)
    shutil.rmtree(out_dir, ignore_errors=True)  # a run killed at its timeout leaves its temporary file
    by = {m.name: m for m in ms}
    csv, read = by["csv"], by["read_csv"]
    lines = [
        f"formats on national: {rows:,} rows; median of {repeat} run(s); wall = whole process",
        _table(ms, rows),
    ]
    lines.append("")
    lines.append(
        f"  {'format':<10} {'wall s':>8} {'cpu s':>7} {'peak MiB':>9} {'output MB':>10} {'x csv':>7}"
        f" {'cpu x csv':>9} {'mem x read':>11}"
    )
    verdicts: dict[str, bool] = {}
    for m in ms[2:]:
        timed_out = any(r.rc == -9 for r in m.runs)
        ratio = m.wall / csv.wall
        mem = m.peak / read.peak
        goal = GOAL_JSON if m.name.startswith("json") else GOAL_REPORTS
        ok = not timed_out and (m.name == "csv" or ratio <= goal) and mem <= 1.0
        verdicts[m.name] = ok
        wall = f">{FORMAT_TIMEOUT:.0f}" if timed_out else f"{m.wall:.2f}"
        lines.append(
            f"  {m.name:<10} {wall:>8} {m.cpu:7.2f} {m.peak:9.0f} {m.runs[-1].output_bytes / 1e6:10.1f}"
            f" {ratio:6.2f}x {m.cpu / csv.cpu:8.2f}x {mem:10.2f}x   {'' if m.name == 'csv' else verdict(ok)}"
        )
    lines.append(changed_source(ms))
    print("\n".join(lines))
    return {
        "dataset": "formats",
        "rows": rows,
        "measurements": [_dump(m, rows) for m in ms],
        "pass": verdicts,
    }


GOAL_PER_ROW = 2.0  # kpicheck's time per row as a multiple of pandas.read_csv's


def scaling(repeat: int) -> dict:
    """``evaluate --quiet`` against ``pandas.read_csv`` as the file grows: national, large, huge;
    on the huge file also with one thread, for what the second core brings."""
    sizes = [name for name in ("national", "large", "huge") if (DATA / f"{name}.csv").exists()]
    need(DATA / "national.csv")
    print(f"\n== scaling: {', '.join(sizes)}, {repeat} repeat(s)", file=sys.stderr)
    ms = []
    for name in sizes:
        data = DATA / f"{name}.csv"
        ms.append(
            Measurement(
                f"read_csv:{name}", f"pandas.read_csv {name}", [PYTHON, "-c", READ_CSV_CHILD, str(data)]
            )
        )
        ms.append(
            Measurement(f"evaluate:{name}", f"kpicheck evaluate --quiet {name}", evaluate_cmd(data), (0, 1))
        )
    last = sizes[-1]
    one_thread = {**(CHILD_ENV or os.environ), "KPICHECK_THREADS": "1"}
    ms.append(
        Measurement(
            f"evaluate1:{last}",
            f"kpicheck evaluate --quiet {last}, 1 thread",
            evaluate_cmd(DATA / f"{last}.csv"),
            (0, 1),
            env=one_thread,
        )
    )
    warm([DATA / f"{name}.csv" for name in sizes])
    run_all(ms, repeat)
    by = {m.name: m for m in ms}
    lines = [f"scaling: median of {repeat} run(s); wall = whole process", ""]
    lines.append(
        f"  {'file':<9} {'rows':>11} {'read s':>7} {'eval s':>7} {'eval cpu':>8} {'read us/row':>11}"
        f" {'eval us/row':>11} {'x read':>7} {'cpu x read':>10} {'read MiB':>8} {'eval MiB':>8}"
    )
    series = []
    for name in sizes:
        rows = dataset_rows(name)
        read, ev = by[f"read_csv:{name}"], by[f"evaluate:{name}"]
        series.append(
            {
                "file": name,
                "rows": rows,
                "read_s": read.wall,
                "evaluate_s": ev.wall,
                "evaluate_cpu_s": ev.cpu,
                "read_us_per_row": read.wall / rows * 1e6,
                "evaluate_us_per_row": ev.wall / rows * 1e6,
                "read_mib": read.peak,
                "evaluate_mib": ev.peak,
            }
        )
        lines.append(
            f"  {name:<9} {rows:11,} {read.wall:7.2f} {ev.wall:7.2f} {ev.cpu:8.2f}"
            f" {read.wall / rows * 1e6:11.3f}"
            f" {ev.wall / rows * 1e6:11.3f} {ev.wall / read.wall:6.2f}x {ev.cpu / read.cpu:9.2f}x"
            f" {read.peak:8.0f} {ev.peak:8.0f}"
        )
    two, one = by[f"evaluate:{last}"], by[f"evaluate1:{last}"]
    lines.append(
        f"  {last}: two threads {two.wall:.2f} s ({two.cpu:.2f} s cpu), one thread {one.wall:.2f} s"
        f" ({one.cpu:.2f} s cpu): {one.wall / two.wall:.2f}x from the second thread"
    )
    top = series[-1]
    ratio = top["evaluate_s"] / top["read_s"]
    lines.append(
        f"  time per row on {last}: evaluate / read_csv {ratio:.2f}x   goal <= {GOAL_PER_ROW:.1f}x   "
        f"{verdict(ratio <= GOAL_PER_ROW)}"
    )
    lines.append(changed_source(ms))
    print("\n".join(lines))
    return {
        "dataset": "scaling",
        "series": series,
        "threads": {"two_s": two.wall, "one_s": one.wall, "two_cpu_s": two.cpu, "one_cpu_s": one.cpu},
        "measurements": [_dump(m, None) for m in ms],
        "pass": {"per_row": ratio <= GOAL_PER_ROW},
    }


def startup(repeat: int) -> dict:
    print(f"\n== startup: {repeat} repeat(s)", file=sys.stderr)
    SETTLE["max_wait"] = min(SETTLE["max_wait"], 3.0)  # short runs: do not wait long
    plan = str(PLAN.relative_to(ROOT))
    commands = {
        "--help": ["--help"],
        "--version": ["--version"],
        "validate": ["validate", plan],
        "targets": ["targets"],
        "targets_json": ["targets", "--format", "json"],
        "units": ["units", "Mường Tè", "--format", "json"],
        "evaluate": ["evaluate", "samples/muong-te-ct28.csv"],
    }
    goals = {"evaluate": (GOAL_SAMPLE_S, True)}  # command: (seconds, pandas allowed)
    ms = [Measurement("python", "python -c pass (interpreter alone, info)", [PYTHON, "-c", "pass"])]
    ms += [Measurement(k, f"kpicheck {' '.join(v)}", [*KPICHECK, *v], (0, 1)) for k, v in commands.items()]
    sides: list[tuple[list[str], dict[str, str] | None]] = [(KPICHECK, CHILD_ENV)]
    if COMPARE:  # the same commands as of the --compare commit, in the same rounds
        cmd, env, sha = COMPARE["cmd"], COMPARE["env"], COMPARE["sha"]
        assert isinstance(cmd, list) and isinstance(env, dict)
        sides.append((cmd, env))
        ms += [
            Measurement(f"{k}@ref", f"kpicheck {' '.join(v)} @ {sha}", [*cmd, *v], (0, 1), env=env)
            for k, v in commands.items()
            if k in STARTUP_COMPARED
        ]
    # Warm: the modules in the page cache, and the plan cache as a user's is after a first run and a
    # `kpicheck validate` of the plans in use (the entries that `targets` takes without reading files).
    for cmd, env in sides:
        for args in (["validate"], *commands.values()):
            subprocess.run([*cmd, *args], cwd=ROOT, capture_output=True, env=env)
    run_all(ms, repeat)
    heavy = {}
    for key, args in commands.items():
        r = run_once([PYTHON, "-c", IMPORTS_CHILD, *args], (0,), wait_quiet=False)
        heavy[key] = r.child.get("heavy", ["?"])
    lines = [f"startup: median of {repeat} run(s); wall = whole process", ""]
    lines.append(
        f"  {'command':<52} {'wall s':>8} {'peak MiB':>9}  {'imports':<22}"
        f" goal < {GOAL_STARTUP_S} s, no pandas"
    )
    results = {}
    for m in ms:
        if m.name == "python" or m.name.endswith("@ref"):
            lines.append(f"  {m.label:<52} {m.wall:8.3f} {m.peak:9.0f}")
            continue
        imported = heavy[m.name]
        limit, pandas_allowed = goals.get(m.name, (GOAL_STARTUP_S, False))
        ok = m.wall < limit and (pandas_allowed or "pandas" not in imported)
        results[m.name] = ok
        lines.append(
            f"  {m.label:<52} {m.wall:8.3f} {m.peak:9.0f}  {', '.join(imported) or '-':<22} {verdict(ok)}"
        )
    by = {m.name: m for m in ms}
    for name in STARTUP_COMPARED:
        if f"{name}@ref" in by:
            mine, ref = by[name], by[f"{name}@ref"]
            lines.append(
                f"  compare {name:<13} this tree {mine.wall:.3f} s / {COMPARE['sha']} {ref.wall:.3f} s"
                f" = {mine.wall / ref.wall:5.2f}x"
            )
    print("\n".join(lines))
    return {
        "dataset": "startup",
        "measurements": [_dump(m, None) for m in ms],
        "heavy_imports": heavy,
        "pass": results,
    }


def _table(ms: list[Measurement], rows: int) -> str:
    head = (
        f"  {'measurement':<52} {'wall s':>8} {'min-max s':>13} {'rows/s':>12} {'peak MiB':>9}"
        f" {'cpu s':>7} {'others%':>7}"
    )
    out = [head, "  " + "-" * (len(head) - 2)]
    for m in ms:
        lo, hi = min(r.wall_s for r in m.runs), max(r.wall_s for r in m.runs)
        out.append(
            f"  {m.label:<52} {m.wall:8.2f} {lo:6.2f}-{hi:<6.2f} {rows / m.wall:12,.0f} {m.peak:9.0f}"
            f" {m.cpu:7.2f} {100 * m.background:6.0f}%"
        )
    return "\n".join(out)


def _dump(m: Measurement, rows: int | None) -> dict:
    return {
        "name": m.name,
        "label": m.label,
        "cmd": m.cmd,
        "median_wall_s": m.wall,
        "median_peak_mib": m.peak,
        "median_cpu_s": m.cpu,
        "rows_per_s": rows / m.wall if rows else None,
        "runs": [asdict(r) for r in m.runs],
    }


def machine() -> dict:
    info = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "load_at_start": os.getloadavg()[0],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }
    try:
        with open("/proc/cpuinfo") as handle:
            model = next((ln.split(":", 1)[1].strip() for ln in handle if ln.startswith("model name")), None)
        info["cpu"] = model
        with open("/proc/meminfo") as handle:
            info["mem_total"] = handle.readline().split(":", 1)[1].strip()
    except OSError:
        pass
    versions = subprocess.run(
        [
            PYTHON,
            "-c",
            "import pandas, numpy, pyarrow, kpicheck; print(pandas.__version__, "
            "numpy.__version__, pyarrow.__version__, kpicheck.__version__)",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout.split()
    info.update(dict(zip(("pandas", "numpy", "pyarrow", "kpicheck"), versions, strict=False)))
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "src"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    info["commit"] = commit + ("+dirty-src" if dirty else "")
    return info


README = ROOT / "README.md"
README_START = "<!-- benchmark: written by benchmarks/run.py --readme -->"
README_END = "<!-- benchmark: end -->"
FORMAT_NOTES = {
    "csv": "every result, streamed",
    "json": "every result, streamed",
    "markdown": "under 1 MiB: what failed first, tables cut at their share and say so",
    "junit": "one test case per unit (a plan of more than 10,000 results), counting its results",
    "html": "one page: what failed first, units and grid capped and counted",
    "xlsx": "a workbook: summary (every result counted), first 20,000 results, first 10,000 failures",
    "table": "for a terminal: each indicator's first lines, the rest counted",
}


def write_readme(info: dict, results: list[dict], command: str) -> None:
    """The README's benchmark section, between its markers, from this run's results."""
    by = {r["dataset"]: r for r in results}
    when = info["date"][:16].replace("T", " ")
    out = [
        README_START,
        "",
        f"Measured {when} on the project's 2-core machine ({info.get('cpu')}, Python {info['python']},",
        f"pandas {info.get('pandas')}, pyarrow {info.get('pyarrow')}), kpicheck at `{info['commit']}`, with",
        f"`{command}`: medians of interleaved runs, each a whole process. Load average",
        f"{info['load_at_start']:.1f} at the start and {info.get('load_at_end', 0):.1f} at the end: wall times on a",
        "busy machine are inflated, `cpu s` (user + system of the process) less so, and ratios",
        "taken within one run hold best.",
        "",
    ]
    if "formats" in by:
        ms = {m["name"]: m for m in by["formats"]["measurements"]}
        csv = ms["csv"]["median_wall_s"]
        read = ms["read_csv"]
        out += [
            f"Every format on the national file ({by['formats']['rows']:,} results), `evaluate --quiet "
            "--format F -o FILE`:",
            "",
            "| format | wall s | × csv | cpu s | cpu × csv | peak MiB | × read's | output MB | what it holds |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|",
            f"| `pandas.read_csv` of the input (reference) | {read['median_wall_s']:.2f} | "
            f"{read['median_wall_s'] / csv:.2f} | {read['median_cpu_s']:.2f} | "
            f"{read['median_cpu_s'] / ms['csv']['median_cpu_s']:.2f} | {read['median_peak_mib']:,.0f} | 1.00 | | |",
        ]
        for name, note in FORMAT_NOTES.items():
            if name not in ms:
                continue
            m = ms[name]
            timed_out = any(r["rc"] == -9 for r in m["runs"])
            wall = f"> {FORMAT_TIMEOUT:.0f}" if timed_out else f"{m['median_wall_s']:.2f}"
            size = m["runs"][-1]["output_bytes"] / 1e6
            out.append(
                f"| {name} | {wall} | {m['median_wall_s'] / csv:.2f} | {m['median_cpu_s']:.2f} | "
                f"{m['median_cpu_s'] / ms['csv']['median_cpu_s']:.2f} | {m['median_peak_mib']:,.0f} | "
                f"{m['median_peak_mib'] / read['median_peak_mib']:.2f} | {'' if timed_out else f'{size:,.1f}'} "
                f"| {note} |"
            )
        out.append("")
    if "scaling" in by:
        out += [
            "`evaluate --quiet` as the file grows, against `pandas.read_csv` of the same file:",
            "",
            "| file | rows | read s | evaluate s | evaluate cpu s | µs per row (read / evaluate) | × read "
            "| cpu × read | peak MiB (read / evaluate) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        cpu = {m["name"]: m["median_cpu_s"] for m in by["scaling"]["measurements"]}
        for row in by["scaling"]["series"]:
            cpu_ratio = cpu[f"evaluate:{row['file']}"] / cpu[f"read_csv:{row['file']}"]
            out.append(
                f"| {row['file']} | {row['rows']:,} | {row['read_s']:.2f} | {row['evaluate_s']:.2f} | "
                f"{row['evaluate_cpu_s']:.2f} | {row['read_us_per_row']:.3f} / {row['evaluate_us_per_row']:.3f} | "
                f"{row['evaluate_s'] / row['read_s']:.2f} | {cpu_ratio:.2f} | "
                f"{row['read_mib']:,.0f} / {row['evaluate_mib']:,.0f} |"
            )
        threads = by["scaling"]["threads"]
        out += [
            "",
            f"On the largest file two threads took {threads['two_s']:.2f} s ({threads['two_cpu_s']:.2f} s of cpu), "
            f"one thread {threads['one_s']:.2f} s ({threads['one_cpu_s']:.2f} s of cpu): "
            f"{threads['one_s'] / threads['two_s']:.2f}× from the second core.",
            "",
        ]
    if "districts" in by:
        one, folder = (m for m in by["districts"]["measurements"])
        out += [
            f"700 district files of 3,000 rows: {folder['median_wall_s']:.2f} s ({folder['median_cpu_s']:.2f} s "
            f"of cpu) against {one['median_wall_s']:.2f} s ({one['median_cpu_s']:.2f} s) for one file of the "
            f"same rows: {folder['median_wall_s'] / one['median_wall_s']:.2f}×.",
            "",
        ]
    if "startup" in by:
        ms = {m["name"]: m for m in by["startup"]["measurements"]}
        heavy = by["startup"].get("heavy_imports", {})
        out += ["| start-up | wall s | cpu s | imports |", "|---|---:|---:|---|"]
        for name, m in ms.items():
            imported = ", ".join(heavy.get(name, [])) or "–"
            out.append(
                f"| `{m['label']}` | {m['median_wall_s']:.3f} | {m['median_cpu_s']:.3f} | {imported} |"
            )
        out.append("")
    out.append(README_END)
    text = README.read_text(encoding="utf-8")
    if README_START in text and README_END in text:
        head, rest = text.split(README_START, 1)
        tail = rest.split(README_END, 1)[1]
        text = head + "\n".join(out) + tail
    else:
        raise SystemExit(f"benchmark: {README} has no {README_START!r} ... {README_END!r} markers")
    README.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--dataset",
        choices=["national", "large", "huge", "districts", "formats", "scaling", "startup", "all"],
        action="append",
        help="What to measure (repeatable; default: national and startup; all = every one).",
    )
    parser.add_argument("--repeat", type=int, default=3, help="Runs per measurement (default 3).")
    parser.add_argument(
        "--startup-repeat", type=int, default=5, help="Runs per start-up command (default 5)."
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=SETTLE["max_wait"],
        help="Before each run wait up to this many seconds for other processes "
        "to leave the CPUs idle (default %(default)s; 0: do not wait).",
    )
    parser.add_argument(
        "--ref",
        help="Measure kpicheck as of this git commit/branch/tag "
        "(exported to benchmarks/data/src/<sha>/) instead of the working tree.",
    )
    parser.add_argument(
        "--compare",
        help="Also measure kpicheck as of this commit in the same interleaved rounds, and print "
        "the ratios of the working tree to it (before/after of a change, side by side).",
    )
    parser.add_argument(
        "--no-pyarrow", action="store_true", help="Skip the informational pyarrow.csv reader row."
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=DATA / "last-run.json",
        help="Also write every run as JSON here (default: %(default)s).",
    )
    parser.add_argument(
        "--readme",
        action="store_true",
        help="Rewrite the README's benchmark section (between its markers) from this run's formats, "
        "scaling and startup results.",
    )
    parser.add_argument(
        "--readme-with",
        type=Path,
        help="With --readme: take the data sets this run does not measure from this earlier run's JSON.",
    )
    parser.add_argument(
        "--readme-from",
        type=Path,
        help="Measure nothing: rewrite the README's benchmark section from this earlier run's JSON "
        "(a run made without --readme).",
    )
    args = parser.parse_args(argv)
    if args.readme_from:
        saved = json.loads(args.readme_from.read_text())
        command = saved["machine"].get("command") or f"the run saved in {args.readme_from.name}"
        write_readme(saved["machine"], saved["results"], command)
        print(f"(README section rewritten from {args.readme_from}: {README})", file=sys.stderr)
        return 0
    SETTLE["max_wait"] = max(args.settle, 0.0)
    sys.stdout.reconfigure(line_buffering=True)  # the table and the progress lines in order
    chosen = args.dataset or ["national", "startup"]
    if "all" in chosen:
        chosen = ["national", "large", "districts", "formats", "scaling", "startup"]
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    global KPICHECK, CHILD_ENV
    ref_sha = None
    if args.ref:
        ref_sha, src = export_ref(args.ref)
        KPICHECK = [
            PYTHON,
            "-c",
            "import sys; sys.argv[0] = 'kpicheck'; from kpicheck.cli import main; main()",
        ]
        CHILD_ENV = {**os.environ, "PYTHONPATH": str(src)}
    if args.compare:
        compare_sha, compare_src = export_ref(args.compare)
        subprocess.run([PYTHON, "-m", "compileall", "-q", str(compare_src / "kpicheck")], check=True)
        COMPARE.update(
            sha=compare_sha,
            cmd=[PYTHON, "-c", "import sys; sys.argv[0] = 'kpicheck'; from kpicheck.cli import main; main()"],
            env={**os.environ, "PYTHONPATH": str(compare_src)},
        )
    # An installed kpicheck has its bytecode compiled at install; an editable one under
    # PYTHONDONTWRITEBYTECODE=1 would recompile every module in every run measured.
    compiled = src / "kpicheck" if args.ref else SRC_DIR
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(compiled)], check=True)
    info = machine()
    if ref_sha:
        info["commit"] = f"{ref_sha} (--ref {args.ref})"
    print(
        f"kpicheck benchmark {info['date']} · {info.get('cpu')} · {info['cpus']} CPUs · "
        f"Python {info['python']} · pandas {info.get('pandas')} · pyarrow {info.get('pyarrow')} · "
        f"numpy {info.get('numpy')} · kpicheck {info.get('kpicheck')} @ {info['commit']}"
    )
    if info["load_at_start"] > 0.5:
        print(
            f"warning: load average {info['load_at_start']:.2f} at start; other processes share "
            "the CPUs and the timings will be noisy",
            file=sys.stderr,
        )
    results = []
    out_csv = Path(tempfile.gettempdir()) / f"kpicheck-bench-{os.getpid()}.csv"
    for name in ("national", "large", "huge", "districts", "formats", "scaling", "startup"):
        if name not in chosen:
            continue
        print()
        if name in ("national", "large", "huge"):
            results.append(single_file(name, args.repeat, out_csv, not args.no_pyarrow))
        elif name == "districts":
            results.append(districts(args.repeat))
        elif name == "formats":
            results.append(formats(args.repeat))
        elif name == "scaling":
            results.append(scaling(args.repeat))
        else:
            results.append(startup(max(args.startup_repeat, 1)))
    info["load_at_end"] = os.getloadavg()[0]
    info["command"] = " ".join(["benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])])
    print(f"\nload average (1 min): {info['load_at_start']:.2f} at start, {info['load_at_end']:.2f} at end")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"machine": info, "results": results}, indent=2) + "\n")
    print(f"\n(all runs written to {args.json})", file=sys.stderr)
    if args.readme:
        command = " ".join(["benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])])
        if args.readme_with:  # data sets this run did not measure, from an earlier run's JSON
            earlier = json.loads(args.readme_with.read_text())
            done = {r["dataset"] for r in results}
            kept = [r for r in earlier["results"] if r["dataset"] not in done]
            results = results + kept
            if kept:
                names = ", ".join(r["dataset"] for r in kept)
                when = earlier["machine"]["date"][:16].replace("T", " ")
                command += f"`; {names} from `{args.readme_with.name}`, the run of {when} at "
                command += f"`{earlier['machine']['commit']}"
        write_readme(info, results, command)
        print(f"(README section rewritten: {README})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
