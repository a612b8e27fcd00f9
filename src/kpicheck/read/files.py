"""Which files a run reads: the files, folders and patterns given on the command line."""

from __future__ import annotations

import stat
from pathlib import Path

from kpicheck.errors import DataError, Problem

DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".parquet")
# ``-`` among the data files is standard input (``curl … | kpicheck evaluate - --plan …``);
# problems name it ``<stdin>``.
STDIN = "-"
STDIN_NAME = "<stdin>"


def is_stdin(path: Path) -> bool:
    return str(path) == STDIN


def data_files(paths: list[Path]) -> list[Path]:
    """Files named, files inside folders named, and glob patterns the shell left unexpanded."""
    found: list[Path] = []
    for path in paths:
        if is_stdin(path):
            found.append(path)
        elif path.is_dir():
            # "~$book.xlsx" is the lock file Excel leaves beside an open workbook, not data.
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix.lower() in DATA_SUFFIXES and p.is_file() and not p.name.startswith("~$")
                )
            )
        elif not path.exists() and any(ch in str(path) for ch in "*?["):
            matches = (
                sorted(Path().glob(str(path)))
                if not path.is_absolute()
                else sorted(Path(path.anchor).glob(str(path.relative_to(path.anchor))))
            )
            if not matches:
                raise DataError(Problem.of("data.pattern-matches-nothing", str(path)))
            found.extend(matches)
        else:
            found.append(path)
    return found


def check_regular(path: Path) -> None:
    """Refuse at once a path that is not a regular file, before anything opens it.

    Reading a named pipe waits until something writes to it, and a device such
    as /dev/zero never ends: either would hang a run (or a CI job) for ever.
    A link is followed: a link to a file is that file.
    """
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise DataError(Problem.of("data.unreadable", str(path), reason=exc.strerror)) from None
    if not stat.S_ISREG(mode):
        raise DataError(Problem.of("data.not-a-file", str(path), kind=_kind(mode)))


def is_regular(path: Path) -> bool:
    """Whether ``path`` is a regular file that can be opened without waiting (see ``check_regular``)."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"
