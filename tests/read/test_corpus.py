"""Hostile input never crashes, never misleads: every file of tests/corpus/ run through the CLI.

What each file must do is in tests/corpus/cases.yaml. The large cases (a line
of 100 MB) are made here at run time, never committed.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from helpers import CORPUS
from kpicheck.cli import app

CASES: dict[str, list[dict[str, Any]]] = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))
NOT_CASES = {"cases.yaml", "make_corpus.py", "__pycache__"}


def invoke(args: list[str]) -> tuple[int, str, str]:
    """The CLI in-process, in English (cases.yaml quotes the English wording; tests/test_languages.py
    runs the corpus in Vietnamese); any exception other than a clean exit fails the test."""
    result = CliRunner().invoke(app, [*args, "--lang", "en"], catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_every_corpus_file_has_a_case() -> None:
    files = {p.name for p in CORPUS.iterdir()} - NOT_CASES
    assert files == set(CASES)


@pytest.mark.parametrize(
    ("name", "case"),
    [(name, case) for name, runs in CASES.items() for case in runs],
    ids=[f"{name}-{i}" for name, runs in CASES.items() for i in range(len(runs))],
)
def test_corpus_case(name: str, case: dict[str, Any], tmp_path: Path) -> None:
    path = CORPUS / name
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    out = tmp_path / "out.json"
    if "command" in case:
        args = [a.replace("{file}", str(path)) for a in case["command"]]
    else:
        args = ["evaluate", str(path), "--plan", "muong-te-ct28", "--format", "json", "-o", str(out)]
    code, _, stderr = invoke([*args, *case.get("args", [])])
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before, "the input was modified"
    assert code == case["exit"], stderr
    lines = stderr.splitlines()
    errors = [line for line in lines if line.startswith("kpicheck: error: ")]
    warnings = [line for line in lines if line.startswith("kpicheck: warning: ")]
    if code == 2:
        expected = case.get("errors") or [{"where": case["where"], "says": case["says"]}]
        assert len(errors) == len(expected), stderr
        for line, wanted in zip(errors, expected, strict=True):
            assert line.startswith(f"kpicheck: error: {path}{wanted['where']}: "), line
            for words in wanted["says"]:
                assert words in line, line
        if "command" in case:
            assert list(tmp_path.iterdir()) == [], "a file was written for bad input"
        else:  # the file is set aside: the report is still written, its errors first, no result
            assert list(tmp_path.iterdir()) == [out], "a file other than the report was written"
            report = json.loads(out.read_text(encoding="utf-8"))
            assert [e["file"] for e in report["errors"]] == [str(path)] * len(expected)
            for line, error in zip(errors, report["errors"], strict=True):
                assert error["message"] in line, (error, line)
            assert report["results"] == []
    else:
        assert errors == [], stderr
        assert list(tmp_path.iterdir()) == [out], "a file other than the report was written"
        results = json.loads(out.read_text(encoding="utf-8"))["results"]
        for wanted in case.get("results", []):
            assert any(all(row.get(k) == v for k, v in wanted.items()) for row in results), (wanted, results)
        if "units" in case:
            assert sorted({row["unit"] for row in results}) == sorted(case["units"])
    for words in case.get("warns", []):
        assert any(words in line for line in warnings), (words, warnings)
    if "warns" not in case:
        assert warnings == [], warnings


def test_a_plan_path_outside_the_targets_folder_is_read_as_the_file_it_names() -> None:
    # --plan takes an id or a file; a file anywhere is the user's own choice, and a
    # file that is not a plan is refused on one line.
    path = CORPUS / "csv-utf8-bom.csv"
    climbing = CORPUS / ".." / "corpus" / "csv-semicolon.csv"
    code, _, stderr = invoke(["evaluate", str(path), "--plan", str(climbing)])
    assert code == 2
    assert stderr.startswith(f"kpicheck: error: {climbing}:1: ") and len(stderr.splitlines()) == 1


def test_first_line_longer_than_the_sniffed_bytes(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes(b"unit," + b"x" * 70_000 + b"\nA,1\n")
    code, _, stderr = invoke(["evaluate", str(path), "--plan", "muong-te-ct28"])
    assert code == 2
    assert stderr == f"kpicheck: error: {path}:1: the first line is longer than 64 KiB; is this a CSV file?\n"


def peak_rss_kib(args: list[str]) -> tuple[int, str, int]:
    """Run the CLI in a child process; its exit code, stderr and peak resident memory (KiB)."""
    child = subprocess.Popen(
        [sys.executable, "-c", "from kpicheck.cli import main; main()", *args, "--lang", "en"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert child.stderr is not None
    stderr = child.stderr.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, stderr, usage.ru_maxrss  # KiB on Linux


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss in KiB is Linux's")
def test_a_line_of_100_mb_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    small = tmp_path / "small.csv"
    small.write_text("unit,indicator,year,value\nXã Bum Nưa,stunting_u5,2025,24\n", encoding="utf-8")
    big = tmp_path / "big.csv"
    size = 100 << 20
    with big.open("wb") as handle:
        handle.write(b"unit,indicator,year,value\nXa Bum Nua,stunting_u5,2025,")
        chunk = b"9" * (1 << 20)
        for _ in range(size >> 20):
            handle.write(chunk)
        handle.write(b"\n")
    args = ["evaluate", "--plan", "muong-te-ct28", "--format", "json"]
    _, _, baseline = peak_rss_kib([*args, str(small)])
    code, stderr, peak = peak_rss_kib([*args, str(big)])
    assert code == 2
    from kpicheck.read.formats.csv_reader import BLOCK_BYTES

    limit = BLOCK_BYTES >> 20
    assert stderr == f"kpicheck: error: {big}:2: a line longer than {limit} MiB: is this a CSV file?\n"
    # The line is never held whole: growth over a tiny file's run stays well under its size.
    assert (peak - baseline) * 1024 < size * 0.8, (baseline, peak)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss in KiB is Linux's")
def test_100_mb_without_a_newline_is_refused_from_its_first_bytes(tmp_path: Path) -> None:
    big = tmp_path / "oneline.csv"
    with big.open("wb") as handle:
        chunk = b"a," * (1 << 19)
        for _ in range(100):
            handle.write(chunk)
    code, stderr, _ = peak_rss_kib(["evaluate", "--plan", "muong-te-ct28", str(big)])
    assert code == 2
    assert stderr == f"kpicheck: error: {big}:1: the first line is longer than 64 KiB; is this a CSV file?\n"
