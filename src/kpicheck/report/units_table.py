"""``kpicheck units`` as a Rich table, from the records ``--format json`` prints (no pandas needed)."""

from __future__ import annotations

import sys
from typing import Any

from kpicheck.report import terminal
from kpicheck.report.labels import Lang
from kpicheck.units.describe import Record, validity_text

_WORDS: dict[str, tuple[str, str]] = {
    "title": ("Đơn vị hành chính: {query}", "Administrative units: {query}"),
    "code": ("Mã", "Code"),
    "name": ("Tên", "Name"),
    "level": ("Cấp", "Level"),
    "parents": ("Thuộc", "Part of"),
    "valid": ("Hiệu lực", "In force"),
    "reform": ("Sắp xếp 1/7/2025", "Reform of 1 July 2025"),
    "province": ("tỉnh", "province"),
    "district": ("huyện", "district"),
    "commune": ("xã", "commune"),
    # An old unit that was divided: only part of its land went into this new one.
    "partial": ("một phần", "part of it"),
    # A new commune that also holds land outside an old district.
    "partly_within": ("chỉ một phần thuộc địa bàn này", "only partly on this land"),
    "source": ("Nguồn: {source}", "Source: {source}"),
}


def _w(key: str, lang: Lang) -> str:
    return _WORDS[key][0 if lang == "vi" else 1]


def reform_lines(rec: Record, lang: Lang) -> list[str]:
    """What the unit became (→) or came from (←) on 1 July 2025, one line each."""
    partial, partly_within = f", {_w('partial', lang)}", f", {_w('partly_within', lang)}"
    lines = [f"→ {s['name']} ({s['code']}){partial if s['partial'] else ''}" for s in rec["successors"]]
    lines += [
        f"→ {o['name']} ({o['code']}){'' if o['whole'] else partly_within}" for o in rec.get("overlaps", [])
    ]
    for p in rec["predecessors"]:
        where = f", {p['parent']}" if p["parent"] else ""
        lines.append(f"← {p['name']} ({p['code']}{where}){partial if p['partial'] else ''}")
    return lines


def print_table(records: list[Record], query: str, source: dict[str, Any], lang: Lang, color: bool) -> None:
    """One row per unit; rich is imported here, so ``--format json`` does without it."""
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=_w("title", lang).format(query=query),
        title_justify="left",
        caption=_w("source", lang).format(source=f"{source['package']} {source['version']}"),
        caption_justify="left",
        show_lines=True,
    )
    for key in ("code", "name", "level", "parents", "valid", "reform"):
        table.add_column(_w(key, lang))
    for rec in records:
        table.add_row(
            Text(rec["code"]),
            Text(rec["name"]),
            Text(_w(rec["level"], lang)),
            Text(", ".join(p["name"] for p in rec["parents"])),
            Text(validity_text(rec["valid_from"], rec["valid_to"], lang)),
            Text("\n".join(reform_lines(rec, lang))),
        )
    terminal.console(sys.stdout, color).print(table)
