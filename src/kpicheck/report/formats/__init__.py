"""Output formats: one module each, all rendering the same ``Report``; the registry below is the
only place that knows the list, and the CLI offers exactly these choices with these descriptions.

A format module has ``render(report, out, color)``. A format that can write
results as they are judged, without holding them all (``streams``), also has
``Stream``: ``start()`` gives the bytes that open the output; ``chunk(results,
first)`` turns one chunk of results (an Arrow table) into bytes, and may run
on several threads at once; ``separator`` goes between two chunks that wrote
rows; ``end(wrote_any, totals)`` gives the bytes that close the output, from
the counts per status and per unit gathered over all chunks (``Totals``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any, Protocol, TextIO

if TYPE_CHECKING:
    import pyarrow as pa

    from kpicheck.report.report import Report, Totals

Renderer = Callable[["Report", TextIO, bool], None]


class Stream(Protocol):
    """Writes results chunk by chunk (see the module docstring)."""

    separator: bytes

    def start(self) -> bytes: ...

    def chunk(self, results: pa.Table, first: bool) -> bytes | pa.Buffer: ...

    def end(self, wrote_any: bool, totals: Totals) -> bytes | pa.Buffer: ...


@dataclass(frozen=True)
class FormatInfo:
    name: str
    description: str
    streams: bool = False


FORMATS: dict[str, FormatInfo] = {
    f.name: f
    for f in (
        FormatInfo("table", "tables for people, coloured on a terminal (default)"),
        FormatInfo("json", "one JSON object: results, summary, units, errors", streams=True),
        FormatInfo("csv", "the results table, one row per result", streams=True),
        FormatInfo("markdown", "a summary for a CI job page"),
        FormatInfo("junit", "JUnit XML, one test case per result"),
        FormatInfo("html", "one self-contained page with charts"),
    )
}


def renderer(fmt: str) -> Renderer:
    """The render function of ``fmt``; modules are imported only when used."""
    render: Renderer = _module(fmt).render
    return render


def stream(fmt: str) -> Stream | None:
    """The streaming writer of ``fmt``, or None when the format needs every result at once."""
    if not FORMATS[fmt].streams:
        return None
    made: Stream = _module(fmt).Stream()
    return made


def help_text() -> str:
    """``--format``'s help, from the registry."""
    return "; ".join(f"{f.name}: {f.description}" for f in FORMATS.values())


def _module(fmt: str) -> Any:
    return import_module(f"kpicheck.report.formats.{FORMATS[fmt].name}_format")
