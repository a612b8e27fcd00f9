"""What every test needs: where things are, and the CLI run as a user would run it.

Importable from any test folder as ``helpers`` (``pythonpath = ["tests"]`` in
pyproject.toml); the fixtures that wrap these are in ``conftest.py``.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from kpicheck.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
TARGETS = ROOT / "targets"
CORPUS = ROOT / "tests" / "corpus"  # hostile input files and what each must give (cases.yaml)
GOLDEN = ROOT / "tests" / "golden"  # whole outputs of every format
# The plans' source texts, beside the repository when a session lays them out;
# the tests that quote them are skipped elsewhere.
SEEDS = ROOT.parent / "shared" / "seeds"


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_cli(*args: str | Path, env: dict[str, str] | None = None) -> Run:
    """Invoke ``kpicheck`` in-process; stdout and stderr kept apart."""
    result = CliRunner().invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


# The data every report format's golden file is rendered from (tests/report/): a met, a not met,
# an off-track, a not-yet-due, a projected and an invalid figure, on three units.
REPORT_DATA = """\
unit,indicator,year,value
Xã Bum Nưa,stunting_u5,2023,30
Xã Bum Nưa,stunting_u5,2024,27
Xã Bum Nưa,stunting_u5,2025,24.3
Xã Bum Nưa,underweight_u5,2025,19
Huyện Mường Tè,child_friendly_communes,2025,50
Huyện Mường Tè,child_friendly_communes,2027,58
Xã Ka Lăng,preschool_enrolment_5y,2025,-
"""


# huyện Mường Tè (Lai Châu, 107) before 1 July 2025: its fourteen communes and towns, as the
# statistics office's registry names them.
MUONG_TE_2024 = {
    "03433": "Thị trấn Mường Tè",
    "03436": "Xã Thu Lũm",
    "03439": "Xã Ka Lăng",
    "03440": "Xã Tá Bạ",
    "03442": "Xã Pa ủ",  # so spelt (lower-case ủ) in the source
    "03445": "Xã Mường Tè",
    "03448": "Xã Pa Vệ Sủ",
    "03451": "Xã Mù Cả",
    "03454": "Xã Bum Tở",
    "03457": "Xã Nậm Khao",
    "03463": "Xã Tà Tổng",
    "03466": "Xã Bum Nưa",
    "03467": "Xã Vàng San",
    "03469": "Xã Kan Hồ",
}
# From 1 July 2025: each new commune holding land of the old district, and the old units whose land it holds.
MUONG_TE_2025 = {
    ("03466", "Xã Bum Nưa"): {"03466", "03448"},
    ("03433", "Xã Bum Tở"): {"03454", "03469", "03433"},
    ("03445", "Xã Mường Tè"): {"03445", "03457"},
    ("03442", "Xã Pa Ủ"): {"03442", "03440"},
    ("03439", "Xã Thu Lũm"): {"03436", "03439"},
    ("03451", "Xã Mù Cả"): {"03451"},
    ("03463", "Xã Tà Tổng"): {"03463"},
    ("03460", "Xã Hua Bum"): {"03467", "03460"},  # 03460: old Hua Bum of huyện Nậm Nhùn
}


# The metadata of a plan built in Python (``Plan.model_validate``) for the engine's own tests: test-neutral,
# as in plan_text; the period, baseline year and indicators are each test's.
PLAN_HEAD = {
    "id": "p",
    "title": "t",
    "title_en": "t",
    "issuer": "i",
    "level": "district",
    "area": "a",
    "source": {"document": "d"},
}


def engine_frame(rows: list[tuple[str, str, int, float]]) -> pd.DataFrame:
    """The checked long table the engine judges (``kpicheck.judge.evaluate``), from (unit, indicator,
    year, value) rows of one file, numbered from line 2 as a CSV's would be."""
    return pd.DataFrame(
        {
            "unit": pd.Categorical([r[0] for r in rows]),
            "indicator": pd.Categorical([r[1] for r in rows]),
            "year": np.array([r[2] for r in rows], dtype=np.int32),
            "value": np.array([r[3] for r in rows], dtype=np.float64),
            "file": pd.Categorical(["f"] * len(rows)),
            "line": np.arange(2, len(rows) + 2),
        }
    )


def without_area(tmp_path: Path, plan_id: str = "muong-te-ct28") -> Path:
    """A shipped plan with no area in the registry, written to ``tmp_path``: it takes any unit name,
    as synthetic data ("Xã 00001") needs."""
    text = (TARGETS / f"{plan_id}.yaml").read_text(encoding="utf-8")
    kept = [line for line in text.splitlines(keepends=True) if not line.startswith(("area_unit:", "issued:"))]
    path = tmp_path / f"{plan_id}.yaml"
    path.write_text("".join(kept), encoding="utf-8")
    return path


def plan_text(
    plan_id: str, body: str, *, start: int, end: int, baseline: int, units: tuple[str, ...] = ()
) -> str:
    """A plan file: test-neutral metadata, then ``body`` (the ``indicators:`` and ``milestones:`` keys)."""
    header = textwrap.dedent(
        f"""\
        id: {plan_id}
        title: Kế hoạch thử
        title_en: Test plan
        issuer: UBND tỉnh
        level: province
        area: Tỉnh A
        period: {{start: {start}, end: {end}}}
        baseline_year: {baseline}
        source: {{document: Kế hoạch thử}}
        """
    )
    if units:
        header += f"units: [{', '.join(units)}]\n"
    return header + textwrap.dedent(body)


def kpicheck_child(heavy: tuple[str, ...]) -> str:
    """A ``python -c`` script that runs ``kpicheck`` with its arguments in a process of its own and
    prints, as the last line of its stderr, a JSON object: the exit ``code`` and which of the
    ``heavy`` modules it ``loaded`` (what a start-up test checks it never imports)."""
    return (
        "import json, sys\n"
        'sys.argv = ["kpicheck", *sys.argv[1:]]\n'
        "from kpicheck.cli import main\n"
        "code = 0\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "sys.stdout.flush()\n"
        f"heavy = {heavy!r}\n"
        'print(json.dumps({"code": code, "loaded": [m for m in heavy if m in sys.modules]}), file=sys.stderr)\n'
    )
