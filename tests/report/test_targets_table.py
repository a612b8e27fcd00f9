"""``kpicheck targets``' tables: the text Rich drew is kept, and replayed only where it is the text
Rich would draw again (the same listings, language, terminal width and colours)."""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

import pytest

from conftest import TARGETS
from kpicheck.plan import cache
from kpicheck.plan.catalog import read_plan_file
from kpicheck.plan.listing import listing
from kpicheck.report.targets_table import print_table


def test_a_replayed_table_is_the_table_rich_draws(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KPICHECK_CACHE_DIR", str(tmp_path))
    plans = [listing(read_plan_file(TARGETS / f"{name}.yaml")) for name in ("an-lao-ct28", "muong-te-ct28")]
    for color, columns, lang in itertools.product((True, False), ("80", "131"), ("vi", "en")):
        monkeypatch.setenv("COLUMNS", columns)
        with monkeypatch.context() as off:
            off.setenv("KPICHECK_NO_CACHE", "1")
            print_table(plans, lang, color)
        drawn = capsys.readouterr().out
        print_table(plans, lang, color)  # drawn and kept
        first = capsys.readouterr().out
        print_table(plans, lang, color)  # replayed
        assert first == capsys.readouterr().out == drawn
        assert ("\x1b[1m" in drawn) is color  # bold ids and headings on a terminal
        assert max(len(line) for line in re.sub(r"\x1b\[[0-9;]*m", "", drawn).splitlines()) == int(columns)
    assert (
        len(list(tmp_path.glob("targets-*.txt"))) == 8
    )  # with and without colour, two widths, two languages


def test_only_the_newest_texts_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPICHECK_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(cache, "TEXTS_KEPT", 2)
    for n in range(3):
        cache.store_text(f"targets-{n}.txt", f"table {n}")
        os.utime(tmp_path / f"targets-{n}.txt", ns=(n * 10**9, n * 10**9))
    cache.store_text("targets-3.txt", "table 3")
    assert sorted(p.name for p in tmp_path.glob("targets-*")) == ["targets-2.txt", "targets-3.txt"]
    assert cache.load_text("targets-3.txt") == "table 3" and cache.load_text("targets-0.txt") is None
    monkeypatch.setenv("KPICHECK_NO_CACHE", "1")
    assert cache.load_text("targets-3.txt") is None
