"""What the terminal allows: colour only on a TTY (and never with NO_COLOR), and a width."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console

WIDE = 160  # files and pipes: wide tables wrap less


def wants_color(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


def width(stream: TextIO) -> int | None:
    """A terminal's own width; for files and pipes $COLUMNS, else the width of the terminal still on
    stderr (``kpicheck evaluate … | less`` is read in that terminal), else ``WIDE``."""
    if stream.isatty():
        return None
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        return int(columns)
    try:
        return os.get_terminal_size(2).columns if os.isatty(2) else WIDE
    except OSError:
        return WIDE


def console(stream: TextIO, color: bool) -> Console:
    """A Rich console for ``stream``; rich is imported only by the commands that print tables."""
    from rich.console import Console

    return Console(
        file=stream, force_terminal=color, no_color=not color, width=width(stream), highlight=False
    )
