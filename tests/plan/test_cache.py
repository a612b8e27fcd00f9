"""Plans validated once are kept by the bytes of their file: validate answers from the cache
without YAML or pydantic, an edit is read again, a plan with problems is never kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from helpers import kpicheck_child
from kpicheck.plan import cache
from kpicheck.plan.catalog import Catalog, read_plan_file

PLAN = ROOT / "benchmarks" / "plan" / "bench-national.yaml"

CHILD = kpicheck_child(("pydantic", "yaml", "pandas"))


def _validate(path: Path, cache_dir: Path, *extra: str) -> tuple[dict, str]:
    env = {**os.environ, "KPICHECK_CACHE_DIR": str(cache_dir)}
    run = subprocess.run(
        [sys.executable, "-c", CHILD, "validate", str(path), *extra], capture_output=True, text=True, env=env
    )
    lines = run.stderr.strip().splitlines()
    return json.loads(lines[-1]), "\n".join(lines[:-1])


def test_validate_from_the_cache_needs_neither_yaml_nor_pydantic(tmp_path: Path) -> None:
    plan = tmp_path / "bench-national.yaml"
    plan.write_bytes(PLAN.read_bytes())
    first, said = _validate(plan, tmp_path / "cache")
    assert first == {"code": 0, "loaded": ["pydantic", "yaml"]} and said == "1 tệp kế hoạch hợp lệ"
    second, said_again = _validate(plan, tmp_path / "cache")
    assert second == {"code": 0, "loaded": []} and said_again == said
    # One byte changed: read and checked again, its problem reported.
    plan.write_text(plan.read_text(encoding="utf-8").replace("period:", "periodd:", 1), encoding="utf-8")
    third, problem = _validate(plan, tmp_path / "cache")
    assert third == {"code": 2, "loaded": ["pydantic", "yaml"]}
    assert "periodd" in problem
    # ... and every time, since a plan with problems is never kept.
    fourth, again = _validate(plan, tmp_path / "cache")
    assert fourth["code"] == 2 and again == problem


def test_a_cached_plan_under_another_file_name_is_refused_as_without_the_cache(tmp_path: Path) -> None:
    plan = tmp_path / "bench-national.yaml"
    plan.write_bytes(PLAN.read_bytes())
    assert _validate(plan, tmp_path / "cache")[0]["code"] == 0  # kept
    copy = tmp_path / "renamed.yaml"
    copy.write_bytes(PLAN.read_bytes())  # the same bytes: the cache knows them
    result, said = _validate(copy, tmp_path / "cache")
    assert result["code"] == 2 and f"{copy}: id: " in said and "bench-national.yaml" in said, said


def test_a_cached_plan_equals_the_plan_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPICHECK_CACHE_DIR", str(tmp_path))
    read = read_plan_file(PLAN)
    assert cache.load(PLAN.read_bytes()) == read
    # Kept for evaluate, but not yet checked against the unit registry: validate still reads it.
    assert cache.known(PLAN.read_bytes()) is None and cache.load(PLAN.read_bytes(), official=True) is None
    assert read_plan_file(PLAN, official=True) == read
    assert cache.known(PLAN.read_bytes()) == (read.id, None)
    read_plan_file(PLAN)  # an evaluate after validate does not forget the registry's check
    assert cache.known(PLAN.read_bytes()) == (read.id, None)
    assert read_plan_file(PLAN) == read  # now from the cache
    monkeypatch.setenv("KPICHECK_NO_CACHE", "1")
    assert cache.load(PLAN.read_bytes()) is None and read_plan_file(PLAN) == read


def test_a_chain_of_extends_is_checked_from_the_cache_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KPICHECK_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "targets"
    folder.mkdir()
    parent = folder / "parent.yaml"
    parent.write_text(
        PLAN.read_text(encoding="utf-8").replace("id: bench-national", "id: parent"), encoding="utf-8"
    )
    child = folder / "child.yaml"
    child.write_text(
        "id: child\nextends: parent\ntitle: Con\ntitle_en: Child\nissuer: UBND\nlevel: district\n"
        "area: Huyện A\nperiod: {start: 2021, end: 2030}\nsource: {document: Kế hoạch}\n",
        encoding="utf-8",
    )
    for _ in range(2):  # the second time from the cache
        run = run_cli("validate", folder, "--targets", folder)
        assert run.exit_code == 0, run.stderr
    parent.unlink()  # the child's parent is gone: the cache must not say it is fine
    run = run_cli("validate", child, "--targets", folder)
    assert run.exit_code == 2 and "parent" in run.stderr
    assert "child" in Catalog.discover(folder).ids() and "parent" not in Catalog.discover(folder).ids()
