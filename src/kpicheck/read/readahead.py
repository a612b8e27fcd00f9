"""Reading CSV files ahead: parsed by Arrow in background threads while pandas is imported.

Arrow parses without the GIL and the imports need it, so two cores do both at
once. What the background finds is used only if it was read exactly as the
foreground asks; any problem is left for the foreground to find again and
report, so reading ahead never changes a result or an error. The CLI creates
one ``ReadAhead`` per run and hands it to the reader: there is no global state.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from pathlib import Path

import pyarrow as pa

from kpicheck.read.files import is_stdin
from kpicheck.read.formats import csv_reader

# The key of how a file was read, and the table.
_Read = tuple[tuple[object, ...], pa.Table]


class ReadAhead:
    """Parses the plain CSV files of a run in the background; the reader takes each table once."""

    def __init__(self) -> None:
        self._futures: dict[str, Future[_Read | None]] = {}

    @classmethod
    def start(cls, paths: list[Path], decimal: str | None, workers: int = 2) -> ReadAhead:
        """Start parsing the plain CSV files among ``paths``.

        Small files cost Arrow about a millisecond each whatever their size, so
        several files are read at once. The threads are not daemons: Python waits
        for them before exiting, because stopping Arrow in the middle of a read at
        exit can crash the interpreter.
        """
        ahead = cls()
        pending = []
        for path in paths:
            if is_stdin(path):
                continue  # read once, by the foreground: there is nothing to read ahead
            future: Future[_Read | None] = Future()
            ahead._futures[str(path)] = future
            pending.append((path, future))
        for worker in range(min(workers, len(pending))):
            # Worker i takes every workers-th file: the files are ready in about the order they are asked for.
            share = pending[worker::workers]
            threading.Thread(target=_read_all, args=(share, decimal), name="kpicheck-read-ahead").start()
        return ahead

    def take(self, path: Path, key: tuple[object, ...]) -> pa.Table | None:
        """The table read ahead for ``path`` if it was read the way ``key`` says; None otherwise."""
        future = self._futures.pop(str(path), None)
        if future is None:
            return None
        read = future.result()
        return read[1] if read is not None and read[0] == key else None


def _read_all(pending: list[tuple[Path, Future[_Read | None]]], decimal: str | None) -> None:
    for path, future in pending:
        read = None
        try:
            read = csv_reader.read_plain(path, decimal)
        except Exception:  # the foreground reads it again and reports the problem properly
            pass
        finally:
            future.set_result(read)
