"""Which files a run reads: the files, folders and patterns given on the command line."""

from __future__ import annotations

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
