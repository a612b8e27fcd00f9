"""Shared helpers: run the CLI as a user would and read what it printed."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kpicheck.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
TARGETS = ROOT / "targets"


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


@pytest.fixture
def cli() -> Any:
    return run_cli


@pytest.fixture
def write_csv(tmp_path: Path) -> Any:
    """Write a CSV file from text and return its path."""

    def write(text: str, name: str = "data.csv") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages in English (``KPICHECK_LANG=en``), for tests that quote the English wording; the
    Vietnamese default is tested in test_languages.py. ``--lang`` on a command line still wins."""
    monkeypatch.setenv("KPICHECK_LANG", "en")
