"""Output formats: one module each, all rendering the same ``Report``.

A format is a function ``render(report, out, color)``. The registry below is
the only place that knows the list; the CLI offers exactly these choices.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from importlib import import_module
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from kpicheck.report.report import Report

Renderer = Callable[["Report", TextIO, bool], None]


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    junit = "junit"
    html = "html"


def renderer(fmt: Format) -> Renderer:
    """The render function of ``fmt``; modules are imported only when used."""
    module = import_module(f"kpicheck.report.formats.{fmt.value}_format")
    render: Renderer = module.render
    return render
