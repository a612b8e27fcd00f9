"""``kpicheck evaluate -`` reads standard input: ``curl … | kpicheck evaluate - --plan …``."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import SAMPLES, Run, run_cli
from kpicheck.cli import app
from kpicheck.read.readahead import ReadAhead


def piped(data: bytes, *args: str | Path) -> Run:
    result = CliRunner().invoke(app, [str(a) for a in args], input=data, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def test_standard_input_is_judged_as_the_same_file_would_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the spooled copy goes
    sample = SAMPLES / "muong-te-ct28.csv"
    args = ("--plan", "muong-te-ct28", "--format", "json", "--lang", "en")
    from_file = run_cli("evaluate", sample, *args).json()["results"]
    from_pipe = piped(sample.read_bytes(), "evaluate", "-", *args)
    assert (from_pipe.exit_code, from_pipe.stderr) == (1, "")
    results = from_pipe.json()["results"]
    assert {r["file"] for r in results if r["file"]} == {"<stdin>"}
    for r in from_file:
        r["file"] = "<stdin>" if r["file"] else None
    assert results == from_file
    assert list(tmp_path.iterdir()) == []  # the spooled copy is gone


def test_a_problem_on_standard_input_names_it(tmp_path: Path) -> None:
    run = piped(
        "unit,indicator,year,value\nXã Bum Nưa,stunting_u5,2025,24\nXã Bum Nưa,underweight_u5,2025,1.000\n".encode(),
        "evaluate", "-", "--plan", "muong-te-ct28", "--lang", "en",
    )  # fmt: skip
    assert run.exit_code == 2
    assert run.stderr.startswith("kpicheck: error: <stdin>:3: value: '1.000' is ambiguous")
    run = piped(b"", "evaluate", "-", "--plan", "muong-te-ct28", "--lang", "en")
    assert (run.exit_code, run.stderr) == (
        2,
        "kpicheck: error: <stdin>: the file is empty; it needs a header line and data rows\n",
    )


def test_a_legacy_encoding_and_a_warning_on_standard_input() -> None:
    data = (Path(__file__).parent / "corpus" / "csv-windows-1258.csv").read_bytes()
    run = piped(data, "evaluate", "-", "--plan", "muong-te-ct28", "--lang", "en", "-q")
    assert run.exit_code == 1
    assert run.stderr.splitlines()[0] == (
        "kpicheck: warning: <stdin>: read as Windows-1258 (Vietnamese ANSI), not UTF-8"
    )


def test_standard_input_beside_files_and_dash_o_dash_is_standard_output(tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("unit,indicator,year,value\nXã Ka Lăng,stunting_u5,2025,26\n", encoding="utf-8")
    data = "unit,indicator,year,value\nXã Bum Nưa,stunting_u5,2025,24\n".encode()
    run = piped(data, "evaluate", other, "-", "--plan", "muong-te-ct28", "--format", "csv", "-o", "-")
    assert run.exit_code == 1
    lines = [line for line in run.stdout.splitlines() if "stunting_u5" in line and ",2025," in line]
    assert any('"<stdin>"' in line for line in lines) and any(str(other) in line for line in lines)
    assert not Path("-").exists()


def test_the_read_ahead_leaves_standard_input_alone() -> None:
    ahead = ReadAhead.start([Path("-"), SAMPLES / "muong-te-ct28.csv"], ".")
    assert ahead.take(Path("-"), ()) is None  # nothing was read from it in the background
