"""``kpicheck targets`` from the plan cache prints, byte for byte, what reading the plan files prints,
and needs neither pydantic nor pandas to do it; anything the cache cannot vouch for is read again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, TARGETS, run_cli
from helpers import kpicheck_child
from kpicheck.plan import catalog as plan_catalog
from kpicheck.plan.catalog import Catalog, read_plan_file
from kpicheck.plan.listing import extend, from_cache, listing
from kpicheck.plan.model import Plan

PLAN = ROOT / "benchmarks" / "plan" / "bench-national.yaml"

CHILD = kpicheck_child(("pydantic", "yaml", "pandas", "pyarrow", "rich.table"))

# A district plan that inherits the benchmark plan's 40 indicators, redefines one, adds one
# relative to the parent's baseline (with aliases) and has tasks of both kinds of deadline.
CHILD_PLAN = """\
id: child
extends: parent
title: Kế hoạch huyện kế thừa kế hoạch mẫu
title_en: District plan extending the benchmark plan
issuer: UBND huyện
level: district
area: Huyện A
period: {start: 2021, end: 2030}
source: {document: Kế hoạch huyện}
goals:
  - {id: "1", name: Y tế, name_en: Health}
indicators:
  - id: infant_mortality
    code: "1.1"
    goal: "1"
    name: Tỷ suất tử vong trẻ em dưới 1 tuổi của huyện, viết dài để bảng phải xuống dòng nhiều lần
    name_en: Infant mortality rate of the district
    unit: per_1000
    direction: lower
    targets:
      - {year: 2025, op: "<", value: 11.25, quote: "dưới 11,25‰"}
  - id: reported_abuse
    code: "9.9"
    goal: "1"
    name: Số vụ xâm hại trẻ em được phát hiện
    name_en: Reported child abuse cases
    aliases: [Số vụ xâm hại, XH-01]
    unit: count
    direction: lower
    targets:
      - {year: 2030, op: "<=", value: -20, basis: relative, baseline_year: 2020, quote: "giảm 20% so với năm 2020"}
milestones:
  - {id: m1, name: Ban hành kế hoạch, name_en: Issue the plan, owner: UBND huyện, due: 2025-06-30, quote: x}
  - {id: m2, name: Báo cáo, name_en: Report, owner: Phòng LĐTBXH, due_each_year: "12-14", quote: y}
"""


def _targets(*args: str, cache: Path, **env: str) -> tuple[dict, str, bytes]:
    """One ``kpicheck`` run in its own process: (exit code and heavy modules, stderr, stdout)."""
    run = subprocess.run(
        [sys.executable, "-c", CHILD, *args],
        capture_output=True,
        env={**os.environ, "KPICHECK_CACHE_DIR": str(cache), "COLUMNS": "160", **env},
        cwd=ROOT,
    )
    lines = run.stderr.decode().strip().splitlines()
    return json.loads(lines[-1]), "\n".join(lines[:-1]), run.stdout


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "targets"
    folder.mkdir()
    parent = PLAN.read_text(encoding="utf-8").replace("id: bench-national", "id: parent")
    (folder / "parent.yaml").write_text(parent, encoding="utf-8")
    (folder / "child.yaml").write_text(CHILD_PLAN, encoding="utf-8")
    return folder


CASES = [
    ("160", ["targets"]),
    ("80", ["targets"]),
    ("80", ["targets", "--lang", "en"]),
    ("160", ["targets", "muong-te-ct28", "child", "--lang", "en"]),
    ("160", ["targets", "--format", "json"]),
    ("80", ["targets", "child", "parent", "--format", "json"]),
]


@pytest.mark.slow
def test_targets_from_the_cache_prints_the_bytes_the_plan_files_give(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    cache = tmp_path / "cache"
    read = {}
    for columns, args in CASES:
        said = _targets(*args, "--targets", str(folder), cache=cache, COLUMNS=columns, KPICHECK_NO_CACHE="1")
        assert said[0]["code"] == 0 and said[1] == "" and said[2]
        assert "pydantic" in said[0]["loaded"] and not {"pandas", "pyarrow"} & set(said[0]["loaded"])
        read[columns, tuple(args)] = said[2]
    # Checked in full by validate: from then on the listings come from the cache.
    assert _targets("validate", "--targets", str(folder), cache=cache)[0]["code"] == 0
    for columns, args in CASES:
        table = "json" not in args
        first = _targets(*args, "--targets", str(folder), cache=cache, COLUMNS=columns)
        again = _targets(*args, "--targets", str(folder), cache=cache, COLUMNS=columns)
        assert first[2] == again[2] == read[columns, tuple(args)], (columns, args)
        # Neither run needs pydantic, YAML, pandas or pyarrow; the second replays the table Rich drew.
        assert first[:2] == ({"code": 0, "loaded": ["rich.table"] if table else []}, "")
        assert again[:2] == ({"code": 0, "loaded": []}, "")


@pytest.fixture
def warm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The two plans of ``_folder``, checked in full by ``validate`` into a cache of their own."""
    monkeypatch.setenv("KPICHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "120")
    folder = _folder(tmp_path)
    assert run_cli("validate", "--targets", folder).exit_code == 0
    assert from_cache(Catalog.discover(folder), ["child"]) is not None
    return folder


def _values(folder: Path, plan_id: str, indicator: str) -> list[float]:
    run = run_cli("targets", plan_id, "--targets", folder, "--format", "json")
    assert run.exit_code == 0, run.stderr
    return [r["value"] for r in run.json() if r["indicator"] == indicator]


def test_a_changed_plan_file_is_read_again(warm: Path) -> None:
    child = warm / "child.yaml"
    assert _values(warm, "child", "infant_mortality") == [11.25]
    before = run_cli("targets", "child", "--targets", warm).stdout
    child.write_text(
        child.read_text(encoding="utf-8").replace("value: 11.25", "value: 10.5"), encoding="utf-8"
    )
    assert from_cache(Catalog.discover(warm), ["child"]) is None  # new bytes, not yet validated
    assert _values(warm, "child", "infant_mortality") == [10.5]
    after = run_cli("targets", "child", "--targets", warm).stdout
    assert "< 10,5‰" in after and "< 11,25‰" in before and "11,25" not in after


def test_a_changed_parent_is_read_again_for_the_plan_extending_it(warm: Path) -> None:
    parent = warm / "parent.yaml"
    assert _values(warm, "child", "under5_mortality") == [18.5, 15.0]
    text = parent.read_text(encoding="utf-8")
    parent.write_text(text.replace('op: "<", value: 18.5', 'op: "<", value: 18'), encoding="utf-8")
    assert _values(warm, "child", "under5_mortality") == [18.0, 15.0]


@pytest.mark.parametrize(
    "damage",
    [
        lambda folder: (folder / "parent.yaml").unlink(),  # the parent is gone
        lambda folder: (folder / "parent.yaml").write_text("id: parent\ntitle: [\n", encoding="utf-8"),
        lambda folder: (folder / "other.yaml").write_bytes((folder / "child.yaml").read_bytes()),
    ],
    ids=["missing-parent", "broken-parent", "kept-plan-under-another-name"],
)
def test_a_bad_plan_is_refused_as_without_the_cache(
    warm: Path, damage: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert callable(damage)
    damage(warm)
    plan = "other" if (warm / "other.yaml").exists() else "child"
    for fmt in ("table", "json"):
        cached = run_cli("targets", plan, "--targets", warm, "--format", fmt)
        with monkeypatch.context() as off:
            off.setenv("KPICHECK_NO_CACHE", "1")
            read = run_cli("targets", plan, "--targets", warm, "--format", fmt)
        assert cached.exit_code == read.exit_code == 2
        assert cached.stderr == read.stderr and cached.stderr.count("\n") == 1 and cached.stdout == ""


def test_a_plan_kept_by_any_command_is_listed_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``targets`` shows what a plan states and never checked its area against the unit registry,
    so a plan kept by a ``targets`` (or an ``evaluate``) serves the next ``targets``; a plan named
    by its path is read from its file."""
    monkeypatch.setenv("KPICHECK_CACHE_DIR", str(tmp_path / "cache"))
    catalog = Catalog.discover(TARGETS)
    assert from_cache(catalog, ["muong-te-ct28"]) is None  # nothing kept yet
    assert run_cli("targets", "muong-te-ct28").exit_code == 0
    kept = from_cache(catalog, ["muong-te-ct28"])
    assert kept == [listing(read_plan_file(TARGETS / "muong-te-ct28.yaml"))]
    assert from_cache(catalog, [str(TARGETS / "muong-te-ct28.yaml")]) is None  # a path: read the file


@settings(max_examples=60, deadline=None)
@given(
    parent_ids=st.sets(st.integers(0, 9)),
    child_ids=st.sets(st.integers(0, 9)),
    parent_tasks=st.sets(st.integers(0, 3)),
    child_tasks=st.sets(st.integers(0, 3)),
    baselines=st.tuples(st.sampled_from([None, 2019, 2021]), st.sampled_from([None, 2020])),
)
def test_listings_merge_as_plans_do(
    parent_ids: set[int],
    child_ids: set[int],
    parent_tasks: set[int],
    child_tasks: set[int],
    baselines: tuple[int | None, int | None],
) -> None:
    """The listing of a merged plan is the merge of the listings, whatever each plan defines."""
    base = read_plan_file(PLAN)
    indicators = base.indicators[:10]
    tasks = read_plan_file(TARGETS / "an-lao-ct28.yaml").milestones[:4]

    def plan(plan_id: str, ids: set[int], task_ids: set[int], baseline: int | None, shift: float) -> Plan:
        own = [
            ind.model_copy(
                update={"targets": [t.model_copy(update={"value": t.value + shift}) for t in ind.targets]}
            )
            for n, ind in enumerate(indicators)
            if n in ids
        ]
        return base.model_copy(
            update={
                "id": plan_id,
                "indicators": own,
                "milestones": [m for n, m in enumerate(tasks) if n in task_ids],
                "baseline_year": baseline,
            }
        )

    parent = plan("parent", parent_ids, parent_tasks, baselines[0], 0.0)
    child = plan("child", child_ids, child_tasks, baselines[1], 1.5)
    assert extend(listing(parent), listing(child)) == listing(plan_catalog.extend(parent, child))
