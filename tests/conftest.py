"""Fixtures shared by every test folder; the plain helpers are in ``helpers.py``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

# Plans validated by the tests are kept here, never in the user's own cache.
os.environ["KPICHECK_CACHE_DIR"] = tempfile.mkdtemp(prefix="kpicheck-test-cache-")

# Re-exported for tests written before helpers.py: `from conftest import run_cli`.
from helpers import ROOT as ROOT
from helpers import SAMPLES as SAMPLES
from helpers import TARGETS as TARGETS
from helpers import Run as Run
from helpers import plan_text as plan_text
from helpers import run_cli


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
