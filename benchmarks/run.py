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

startup: ``kpicheck --help``, ``--version``, ``validate PLAN``, ``targets``, ``units``
(median of 5 by default), and whether each imported pandas.

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
import statistics
import subprocess
import sys
import tempfile
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
GOAL_DISTRICTS = 2.0
GOAL_STARTUP_S = 0.2

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
heavy = [m for m in ("pandas", "numpy", "pyarrow") if m in sys.modules]
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
    cmd: list[str], ok_codes: tuple[int, ...], wait_quiet: bool = True, env: dict[str, str] | None = None
) -> Run:
    """One fresh process, alone: wall time around the whole process and its own peak RSS."""
    background = settle() if wait_quiet else 0.0
    source = src_fingerprint() if env is None else env.get("PYTHONPATH", "")
    env = env if env is not None else CHILD_ENV
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode not in ok_codes:
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
            r = run_once(m.cmd, m.ok_codes, env=m.env)
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


def startup(repeat: int) -> dict:
    print(f"\n== startup: {repeat} repeat(s)", file=sys.stderr)
    SETTLE["max_wait"] = min(SETTLE["max_wait"], 3.0)  # short runs: do not wait long
    plan = str(PLAN.relative_to(ROOT))
    commands = {
        "--help": ["--help"],
        "--version": ["--version"],
        "validate": ["validate", plan],
        "targets": ["targets"],
        "units": ["units", "Mường Tè", "--format", "json"],
    }
    ms = [Measurement("python", "python -c pass (interpreter alone, info)", [PYTHON, "-c", "pass"])]
    ms += [Measurement(k, f"kpicheck {' '.join(v)}", [*KPICHECK, *v]) for k, v in commands.items()]
    subprocess.run(  # warm
        [*KPICHECK, "--version"], cwd=ROOT, capture_output=True, check=True, env=CHILD_ENV
    )
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
        if m.name == "python":
            lines.append(f"  {m.label:<52} {m.wall:8.3f} {m.peak:9.0f}")
            continue
        imported = heavy[m.name]
        ok = m.wall < GOAL_STARTUP_S and "pandas" not in imported
        results[m.name] = ok
        lines.append(
            f"  {m.label:<52} {m.wall:8.3f} {m.peak:9.0f}  {', '.join(imported) or '-':<22} {verdict(ok)}"
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--dataset",
        choices=["national", "large", "districts", "startup", "all"],
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
    args = parser.parse_args(argv)
    SETTLE["max_wait"] = max(args.settle, 0.0)
    sys.stdout.reconfigure(line_buffering=True)  # the table and the progress lines in order
    chosen = args.dataset or ["national", "startup"]
    if "all" in chosen:
        chosen = ["national", "large", "districts", "startup"]
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
    for name in ("national", "large", "districts", "startup"):
        if name not in chosen:
            continue
        print()
        if name in ("national", "large"):
            results.append(single_file(name, args.repeat, out_csv, not args.no_pyarrow))
        elif name == "districts":
            results.append(districts(args.repeat))
        else:
            results.append(startup(max(args.startup_repeat, 1)))
    info["load_at_end"] = os.getloadavg()[0]
    print(f"\nload average (1 min): {info['load_at_start']:.2f} at start, {info['load_at_end']:.2f} at end")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"machine": info, "results": results}, indent=2) + "\n")
    print(f"\n(all runs written to {args.json})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
