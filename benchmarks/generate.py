"""Seeded generator of the benchmark data sets (long CSV: unit,indicator,year,value).

    .venv/bin/python benchmarks/generate.py                 # everything
    .venv/bin/python benchmarks/generate.py --only national # one data set

Writes into ``benchmarks/data/`` (git-ignored; never commit it):

* ``national.csv``: 10,600 communes ("Xã 00001" ...) x 40 indicators x 2021-2025
  = 2,120,000 rows.
* ``large.csv``: the same communes and indicators x 2006-2025 = 8,480,000 rows.
  Its 2021-2025 rows are exactly those of ``national.csv``.
* ``districts/huyen-001.csv`` ... ``huyen-700.csv``: 700 files of 3,000 rows
  (15 communes x 40 indicators x 5 years), the first 10,500 communes of the
  national file, and ``districts-one.csv``: the same 2,100,000 rows in one file.
* ``huge.csv``: ten renamed copies of ``national.csv`` = 21,200,000 rows in
  which every row is judged (106,000 communes "Xã 000001" ..., each copy's
  communes named apart, so every unit's rows are its own), for the cost per
  judged row as files grow. Only with ``--only huge`` or ``--with-huge``
  (800 MB).
* ``meta.json``: row counts, seed and sizes, read by ``benchmarks/run.py``.

Values are drawn around the thresholds of ``benchmarks/plan/bench-national.yaml``
(read with kpicheck's own plan loader, so the data follow the plan): each
commune has its own level and yearly trend per indicator, some meet the target
and some do not, counts are Poisson draws, standing "== 0" counts are mostly 0,
and about 0.3 % of the values are blank. The draws do not depend on ``--only``:
the same seed always gives the same files.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

HERE = Path(__file__).resolve().parent
PLAN = HERE / "plan" / "bench-national.yaml"
DATA = HERE / "data"

N_COMMUNES = 10_600
FIRST_YEAR, LAST_YEAR = 2006, 2025  # the large file; national keeps the last 5 years
NATIONAL_YEARS = 5
N_DISTRICTS, COMMUNES_PER_DISTRICT = 700, 15
HUGE_COPIES = 10
BLANK_SHARE = 0.003
DEFAULT_SEED = 20251122


def indicator_specs(plan_path: Path) -> list[dict]:
    """What the generator needs of each indicator: unit bound, direction, threshold, kind."""
    sys.path.insert(0, str(HERE.parent / "src"))
    from kpicheck.plan.catalog import read_plan_file

    plan = read_plan_file(plan_path)
    specs = []
    for ind in plan.indicators:
        targets = sorted(ind.targets, key=lambda t: t.year or 0)
        first = next((t for t in targets if t.year == 2025), targets[0])
        relative = any(t.basis.value == "relative" for t in targets)
        higher = ind.direction.value == "higher"
        maximum = ind.unit.maximum
        if first.year is None and first.value == 0:
            kind = "zero"  # standing "== 0": rare events
        elif relative:
            kind = "relative"  # counts judged on their change since 2021
        elif higher and (maximum is None or ind.unit.value != "percent"):
            kind = "grow"  # higher is better, no useful upper bound
        else:
            kind = "shortfall"  # distance from the good end: the value (lower) or max - value
        specs.append(
            {
                "id": ind.id,
                "kind": kind,
                "higher": higher,
                "maximum": maximum,
                "count": ind.unit.value == "count",
                "threshold": float(first.value),
            }
        )
    return specs


def generate_cube(specs: list[dict], seed: int) -> np.ndarray:
    """Values as an array (commune, indicator, year) over FIRST_YEAR..LAST_YEAR; NaN is blank."""
    rng = np.random.default_rng(seed)
    n_u, n_k = N_COMMUNES, len(specs)
    years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
    n_y = len(years)
    since = (years - 2021).astype(np.float64)  # 0 in the baseline year
    # Draws in a fixed order and shape, whatever is written afterwards.
    level = rng.lognormal(mean=0.1, sigma=0.5, size=(n_u, n_k))
    trend = rng.normal(loc=-0.04, scale=0.06, size=(n_u, n_k))
    noise = rng.lognormal(mean=0.0, sigma=0.08, size=(n_u, n_k, n_y))
    rare = rng.gamma(shape=0.5, scale=0.2, size=(n_u, n_k))
    base_count = rng.gamma(shape=4.0, scale=5.0, size=(n_u, n_k))
    uniform = rng.random(size=(n_u, n_k, n_y))
    blank = rng.random(size=(n_u, n_k, n_y)) < BLANK_SHARE
    cube = np.empty((n_u, n_k, n_y), dtype=np.float64)
    for k, spec in enumerate(specs):
        drift = np.exp(trend[:, k, None] * since[None, :]) * noise[:, k, :]
        kind, t = spec["kind"], spec["threshold"]
        if kind == "zero":
            lam = np.broadcast_to(rare[:, k, None], (n_u, n_y))
            x = _poisson(rng, lam)
        elif kind == "relative":
            # The trend's sign follows the direction: lower counts shrink, higher ones grow.
            sign = 1.0 if spec["higher"] else -1.0
            lam = base_count[:, k, None] * np.exp(-sign * trend[:, k, None] * since[None, :]) * noise[:, k, :]
            x = _poisson(rng, lam)
        elif kind == "grow":
            # Improving means growing: invert the (mostly falling) drift.
            x = t / level[:, k, None] * 1.1 / drift
            x = _poisson(rng, x) if spec["count"] else np.round(x, 2)
        else:
            m = spec["maximum"]
            at_best = spec["higher"] and m is not None and t >= m
            good_end = t if not spec["higher"] else m - t
            scale = good_end if good_end > 0 else 1.0
            short = scale * level[:, k, None] * drift
            if at_best:
                # A target of 100 %: many units report exactly 100.
                short = np.maximum(short - 1.2 * scale, 0.0)
            if spec["count"]:
                short = _poisson(rng, short)
            x = short if not spec["higher"] else m - short
            if m is not None:
                x = np.clip(x, 0.0, m)
            x = np.round(x, 1) if not spec["count"] else x
        cube[:, k, :] = x
    # Re-use the uniform draw so that a few values sit exactly on the threshold.
    for k, spec in enumerate(specs):
        if spec["kind"] in ("shortfall", "grow") and not spec["count"]:
            on = uniform[:, k, :] < 0.01
            cube[:, k, :][on] = spec["threshold"]
    cube[blank] = np.nan
    return cube


def _poisson(rng: np.random.Generator, lam: np.ndarray) -> np.ndarray:
    return rng.poisson(np.maximum(lam, 0.0)).astype(np.float64)


def unit_names(n: int, width: int = 5) -> list[str]:
    return [f"Xã {i:0{width}d}" for i in range(1, n + 1)]


def write_long(
    path: Path,
    cube: np.ndarray,
    units: list[str],
    unit_offset: int,
    indicators: list[str],
    years: np.ndarray,
    append: bool = False,
    keep_open: bool = False,
) -> int:
    """Write ``cube`` (unit, indicator, year) as a long CSV, rows in that order; the row count.

    ``keep_open`` leaves the file at its temporary name for an ``append`` to follow; the
    last part renames it."""
    n_u, n_k, n_y = cube.shape
    n = n_u * n_k * n_y
    unit_idx = np.repeat(np.arange(n_u, dtype=np.int32), n_k * n_y)
    ind_idx = np.tile(np.repeat(np.arange(n_k, dtype=np.int32), n_y), n_u)
    year = np.tile(years.astype(np.int16), n_u * n_k)
    value = cube.reshape(n)
    table = pa.table(
        {
            "unit": pa.DictionaryArray.from_arrays(
                pa.array(unit_idx), pa.array(units[unit_offset : unit_offset + n_u])
            ),
            "indicator": pa.DictionaryArray.from_arrays(pa.array(ind_idx), pa.array(indicators)),
            "year": pa.array(year),
            "value": pa.array(value, from_pandas=True),  # NaN -> null -> empty field
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("ab" if append else "wb") as handle:
        if not append:
            handle.write(b"unit,indicator,year,value\n")
        pacsv.write_csv(
            table,
            handle,
            write_options=pacsv.WriteOptions(include_header=False, quoting_style="none", batch_size=1 << 16),
        )
    if not keep_open:
        tmp.replace(path)
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--only",
        choices=["national", "large", "districts", "huge"],
        action="append",
        help="Data set(s) to write (repeatable; default: national, large, districts).",
    )
    parser.add_argument("--with-huge", action="store_true", help="Also write huge.csv (21.2M rows, 800 MB).")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=DATA, help="Output folder (default: %(default)s).")
    parser.add_argument("--plan", type=Path, default=PLAN)
    args = parser.parse_args(argv)
    only = args.only or ["national", "large", "districts", *(["huge"] if args.with_huge else [])]

    started = time.perf_counter()
    specs = indicator_specs(args.plan)
    if len(specs) != 40:
        print(f"warning: the plan has {len(specs)} indicators, not 40", file=sys.stderr)
    ids = [s["id"] for s in specs]
    cube = generate_cube(specs, args.seed)
    units = unit_names(N_COMMUNES)
    years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
    recent = cube[:, :, -NATIONAL_YEARS:]
    recent_years = years[-NATIONAL_YEARS:]
    print(f"drew {cube.size:,} values in {time.perf_counter() - started:.1f} s", file=sys.stderr)

    out: Path = args.out
    meta_path = out / "meta.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    meta.update(
        {
            "seed": args.seed,
            "plan": str(args.plan.relative_to(HERE.parent))
            if args.plan.is_relative_to(HERE.parent)
            else str(args.plan),
        }
    )
    datasets = meta.setdefault("datasets", {})

    def note(name: str, path: Path, rows: int, files: int = 1) -> None:
        size = path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.glob("*.csv"))
        datasets[name] = {
            "path": str(path.relative_to(HERE)) if path.is_relative_to(HERE) else str(path),
            "rows": rows,
            "files": files,
            "bytes": size,
            "seed": args.seed,
        }
        print(f"{name}: {rows:,} rows, {files} file(s), {size / 2**20:.1f} MiB -> {path}", file=sys.stderr)

    if "national" in only:
        t = time.perf_counter()
        rows = write_long(out / "national.csv", recent, units, 0, ids, recent_years)
        note("national", out / "national.csv", rows)
        print(f"  written in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    if "large" in only:
        t = time.perf_counter()
        rows = write_long(out / "large.csv", cube, units, 0, ids, years)
        note("large", out / "large.csv", rows)
        print(f"  written in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    if "districts" in only:
        t = time.perf_counter()
        folder = out / "districts"
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.csv"):
            old.unlink()
        total = 0
        for d in range(N_DISTRICTS):
            lo = d * COMMUNES_PER_DISTRICT
            part = recent[lo : lo + COMMUNES_PER_DISTRICT]
            total += write_long(folder / f"huyen-{d + 1:03d}.csv", part, units, lo, ids, recent_years)
        note("districts", folder, total, N_DISTRICTS)
        n_one = N_DISTRICTS * COMMUNES_PER_DISTRICT
        rows = write_long(out / "districts-one.csv", recent[:n_one], units, 0, ids, recent_years)
        note("districts-one", out / "districts-one.csv", rows)
        print(f"  written in {time.perf_counter() - t:.1f} s", file=sys.stderr)

    if "huge" in only:
        t = time.perf_counter()
        names = unit_names(N_COMMUNES * HUGE_COPIES, width=6)
        rows = 0
        for copy in range(HUGE_COPIES):
            last = copy == HUGE_COPIES - 1
            rows += write_long(
                out / "huge.csv",
                recent,
                names,
                copy * N_COMMUNES,
                ids,
                recent_years,
                append=copy > 0,
                keep_open=not last,
            )
        note("huge", out / "huge.csv", rows)
        print(f"  written in {time.perf_counter() - t:.1f} s", file=sys.stderr)

    meta_path.parent.mkdir(parents=True, exist_ok=True)
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
