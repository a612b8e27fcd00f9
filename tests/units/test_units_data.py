"""The shipped units file is exactly what ``scripts/build_units.py`` makes from its pinned source.

So nobody types or edits a unit by hand: a change to the file without a change to
the source (or to the script) fails here. Skipped where ``vietnamadminunits`` is
not installed (it comes with the ``dev`` and ``units-data`` extras).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT
from kpicheck.units.registry import DATA

SCRIPT = ROOT / "scripts" / "build_units.py"

needs_source = pytest.mark.skipif(
    importlib.util.find_spec("vietnamadminunits") is None,
    reason="vietnamadminunits not installed (pip install -e '.[units-data]')",
)


@needs_source
def test_rebuilding_the_units_file_gives_the_shipped_bytes(tmp_path: Path) -> None:
    out = tmp_path / "units.json"
    # A child process: the check below that the script never imports the package must see a
    # fresh interpreter, and the script runs as its users run it.
    code = (
        "import runpy, sys\n"
        f"sys.argv = ['build_units.py', '--output', {str(out)!r}]\n"
        f"runpy.run_path({str(SCRIPT)!r}, run_name='__main__')\n"
        "bad = sorted(m for m in ('vietnamadminunits', 'shapely', 'geopy') if m in sys.modules)\n"
        "assert not bad, f'imported {bad}'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == DATA.read_bytes(), (
        "units.json differs from its source: run scripts/build_units.py"
    )


def test_the_units_file_names_its_source_and_is_small() -> None:
    body = json.loads(DATA.read_bytes())
    source = body["source"]
    assert (source["package"], source["version"]) == ("vietnamadminunits", "1.0.4")
    assert set(source["sha256"]) == {"data/dataset.db", "data/converter_2025.json"}
    assert all(len(digest) == 64 for digest in source["sha256"].values())
    assert DATA.stat().st_size < 1_000_000


def test_the_pin_in_pyproject_is_the_version_the_script_reads() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'units-data = ["vietnamadminunits==1.0.4"]' in pyproject
    assert 'VERSION = "1.0.4"' in SCRIPT.read_text(encoding="utf-8")
