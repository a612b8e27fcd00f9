"""Output formats: one module each, all rendering the same ``Report``; the registry below is the
only place that knows the list, and the CLI offers exactly these choices with these descriptions.

A format module has ``render(report, out, color)``; ``out`` is a text stream,
or a binary one for a format whose ``binary`` is set (a workbook), which is
written to a file or a pipe, never to a terminal. A format that can write
results as they are judged, without holding them all (``streams``), also has
``Stream(options)``: ``start(errors, lang)`` gives the bytes that open the output
(the files set aside are known before any result is judged);
``chunk(results, first)`` turns one chunk of results (an Arrow table) into
pieces of bytes written in order, and may run on several threads at once; ``separator`` goes between two
chunks that wrote rows (``dictionaries`` asks for text columns as codes into
their categories); ``end(wrote_any, totals)`` gives the bytes that close
the output, from the counts per status and per unit gathered over all chunks
(``Totals``). A format that lists only some results (the first, the worst) has
``keeps()``, saying which (``report.keep``): a run then holds only those rows.
``extensions`` are the file suffixes that choose the format when
``-o`` is given without ``--format``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import pyarrow as pa

    from kpicheck.errors import Problem
    from kpicheck.report.keep import Keeps
    from kpicheck.report.labels import Lang
    from kpicheck.report.layout import RenderOptions
    from kpicheck.report.report import Report, Totals

Renderer = Callable[["Report", IO[Any], bool], None]


class Stream(Protocol):
    """Writes results chunk by chunk (see the module docstring)."""

    separator: bytes
    dictionaries: bool  # whether chunks come with text columns as dictionaries
    chunk_rows: int | None  # at most this many rows a chunk (None: ``judge.CHUNK_ROWS``)

    def start(self, errors: list[Problem], lang: Lang) -> bytes: ...

    def chunk(self, results: pa.Table, first: bool) -> Sequence[bytes | pa.Buffer]: ...

    def end(self, wrote_any: bool, totals: Totals) -> bytes | pa.Buffer: ...


@dataclass(frozen=True)
class FormatInfo:
    name: str
    description: str
    streams: bool = False
    binary: bool = False  # writes bytes: a file or a pipe, never a terminal
    extensions: tuple[str, ...] = ()


FORMATS: dict[str, FormatInfo] = {
    f.name: f
    for f in (
        FormatInfo("table", "tables for people, coloured on a terminal (default)", extensions=(".txt",)),
        FormatInfo(
            "json", "one JSON object: errors, results, summary, units", streams=True, extensions=(".json",)
        ),
        FormatInfo("csv", "the results table, one row per result", streams=True, extensions=(".csv",)),
        FormatInfo("markdown", "a summary for a CI job page", extensions=(".md", ".markdown")),
        FormatInfo("junit", "JUnit XML, one test case per result", extensions=(".xml",)),
        FormatInfo("html", "one printable page that leads with what failed", extensions=(".html", ".htm")),
        FormatInfo(
            "xlsx", "an Excel workbook: summary, results, what failed", binary=True, extensions=(".xlsx",)
        ),
    )
}


def for_path(path: Path) -> str | None:
    """The format a file name asks for by its extension (``ketqua.xlsx`` → xlsx), or None."""
    suffix = path.suffix.lower()
    return next((f.name for f in FORMATS.values() if suffix in f.extensions), None)


def renderer(fmt: str) -> Renderer:
    """The render function of ``fmt``; modules are imported only when used."""
    render: Renderer = _module(fmt).render
    return render


def stream(fmt: str, options: RenderOptions | None = None) -> Stream | None:
    """The streaming writer of ``fmt``, or None when the format needs every result at once."""
    if not FORMATS[fmt].streams:
        return None
    from kpicheck.report.layout import RenderOptions

    made: Stream = _module(fmt).Stream(options or RenderOptions())
    return made


def keeps(fmt: str) -> Keeps | None:
    """What ``fmt`` lists of the results when it lists only some (``report.keep``), or None when it
    needs every result (the table for a terminal)."""
    listed: Callable[[], Keeps] | None = getattr(_module(fmt), "keeps", None)
    return listed() if listed is not None else None


def help_text() -> str:
    """``--format``'s help, from the registry."""
    return "; ".join(f"{f.name}: {f.description}" for f in FORMATS.values()) + (
        "; default: from -o's extension, else table"
    )


def _module(fmt: str) -> Any:
    return import_module(f"kpicheck.report.formats.{FORMATS[fmt].name}_format")
