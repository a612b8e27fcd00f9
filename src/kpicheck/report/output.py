"""Writing files the way a report should be written: whole or not at all.

The payload goes to a temporary file next to the target and is renamed over
it only when complete, so an interrupted run never leaves half a report, and
an input file is never the target.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from kpicheck.errors import OutputError, Problem


def write_atomically(
    target: Path, write: Callable[[IO[Any]], None], inputs: Iterable[Path] = (), binary: bool = False
) -> None:
    """Call ``write`` on a temporary file and move it to ``target`` once it succeeded."""
    if any(_same_file(target, p) for p in inputs):
        raise OutputError(Problem.of("output.overwrites-input", str(target)))
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(Problem.of("output.no-folder", str(target)))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    try:
        handle: IO[Any] = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        with handle:
            write(handle)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report is an ordinary file
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False
