"""Reading CSV files ahead, while the engine is imported, never changes what a run reports."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from helpers import run_cli
from kpicheck.read.actuals import read_actuals
from kpicheck.read.formats import csv_reader as csvfiles

HEADER = "unit,indicator,year,value\n"


def _status(run: Any) -> str:
    """The status of the one figure in the file (the plan's other indicators are ``no_data``)."""
    (row,) = [r for r in run.json()["results"] if r["indicator"] == "stunting_u5"]
    return str(row["status"])


def test_a_file_is_parsed_once(write_csv: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file is parsed once, in the background, and the foreground takes that table."""
    path = write_csv(HEADER + "Xã Bum Nưa,stunting_u5,2025,24.9\n")
    calls: list[tuple[Path, str]] = []
    parse = csvfiles._read_table

    def counting(file: Path, *args: Any) -> Any:
        calls.append((file, threading.current_thread().name))
        return parse(file, *args)

    monkeypatch.setattr(csvfiles, "_read_table", counting)
    run = run_cli("evaluate", path, "--format", "json")
    assert _status(run) == "met"  # target: below 25% in 2025
    assert calls == [(path, "kpicheck-read-ahead")]


def test_a_file_changed_after_an_abandoned_run_is_read_afresh(write_csv: Any) -> None:
    """A read-ahead left unused by a run that stopped early is never taken for new content."""
    path = write_csv(HEADER + "Xã Bum Nưa,stunting_u5,2025,24.9\n")
    stopped = run_cli("evaluate", path, "--projection", "bogus")
    assert stopped.exit_code == 2
    write_csv(HEADER + "Xã Bum Nưa,stunting_u5,2025,31.25\n")  # same header, another value
    assert read_actuals([path]).frame["value"].tolist() == [31.25]


def test_a_broken_file_is_still_reported_at_its_line(write_csv: Any) -> None:
    path = write_csv(HEADER + "Xã Bum Nưa,stunting_u5,2025,27.9\nXã Tá Bạ,stunting_u5,2025,25,9\n")
    run = run_cli("evaluate", path)
    assert run.exit_code == 2
    assert f"{path}:3" in run.stderr


def test_stopping_while_a_large_file_is_read_exits_cleanly(tmp_path: Path) -> None:
    """An option error arrives while Arrow is still parsing: exit 2 and one line, no crash."""
    path = tmp_path / "large.csv"
    rows = "".join(f"Xã {i:05d},stunting_u5,{2021 + i % 5},{20 + i % 7}.5\n" for i in range(200_000))
    path.write_text(HEADER + rows, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from kpicheck.cli import main; main()",
            "evaluate",
            str(path),
            "--projection",
            "bogus",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "--projection" in done.stderr
