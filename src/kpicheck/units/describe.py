"""What ``kpicheck units`` says about a unit, as plain data: the JSON output and the table's rows.

Partial means two different things and the records keep them apart:
``successors`` / ``predecessors`` are the official links, where ``partial``
says the old unit was divided (only part of its land went into the new one);
an old district has no links of its own (districts were abolished), and its
``overlaps`` list the new communes its land is in, ``whole`` when a commune lies
wholly inside it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kpicheck.errors import Problem
from kpicheck.units.registry import Link, Registry, Unit

Record = dict[str, Any]


def record(registry: Registry, unit: Unit) -> Record:
    """One unit as the JSON output shows it."""
    body: Record = {
        "code": unit.code,
        "name": unit.name,
        "type": unit.type,
        "level": unit.level,
        "map": unit.map,
        "valid_from": _iso(unit.valid_from),
        "valid_to": _iso(unit.valid_to),
        "parents": [_ref(p) for p in registry.ancestors(unit)],
        "successors": [{**_ref(link.new), "partial": link.partial} for link in registry.successors(unit)],
        "predecessors": [_origin(registry, link) for link in registry.predecessors(unit)],
    }
    if unit.map == "old" and unit.level == "district" and not body["successors"]:
        body["overlaps"] = [{**_ref(o.unit), "whole": o.whole} for o in registry.overlaps(unit)]
    return body


def _ref(unit: Unit) -> Record:
    return {"code": unit.code, "name": unit.name}


def _origin(registry: Registry, link: Link) -> Record:
    """A predecessor, with the old district or province it lay in: names repeat across districts."""
    parent = registry.parent(link.old)
    return {**_ref(link.old), "parent": parent.name if parent else None, "partial": link.partial}


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def not_found(registry: Registry, query: str, year: int | None, lang: str = "vi") -> Problem:
    """Why nothing matched: the name's units lived in other years, or the closest names, or none.
    The candidates are listed in ``lang``, the language the problem will be said in."""
    elsewhere = registry.find(query) if year is not None else []
    if elsewhere:
        return Problem.of(
            "usage.unit-not-in-year", query=query, year=year, candidates=listed(registry, elsewhere, lang)
        )
    close = registry.suggest(query, year)
    if close:
        return Problem.of("usage.unknown-unit-close", query=query, candidates=listed(registry, close, lang))
    return Problem.of("usage.unknown-unit", query=query)


def listed(registry: Registry, units: list[Unit], lang: str = "en") -> str:
    """Each unit as "Xã Pa Vệ Sủ (03448, đến 30/6/2025, Huyện Mường Tè)" ("until 30 Jun 2025" in
    English): a message's argument, so written in the language the message will be said in."""
    return ", ".join(f"{u.name} ({u.code}, {validity(u, lang)}{_within(registry, u)})" for u in units)


def _within(registry: Registry, unit: Unit) -> str:
    parent = registry.parent(unit)
    return f", {parent.name}" if parent else ""


def validity(unit: Unit, lang: str) -> str:
    """When a unit was in force, as ``validity_text`` says it."""
    return validity_text(_iso(unit.valid_from), _iso(unit.valid_to), lang)


def validity_text(valid_from: str | None, valid_to: str | None, lang: str) -> str:
    """In Vietnamese "đến 30/6/2025" / "từ 1/7/2025", in English "until 30 Jun 2025" / "from 1 Jul 2025"."""
    if valid_to is not None:
        words, day = ("đến", "until"), dt.date.fromisoformat(valid_to)
    elif valid_from is not None:
        words, day = ("từ", "from"), dt.date.fromisoformat(valid_from)
    else:
        return ""
    if lang == "vi":
        return f"{words[0]} {day.day}/{day.month}/{day.year}"
    return f"{words[1]} {day.day} {day:%b} {day.year}"


def shown_name(unit: Unit) -> str:
    """The official name as results show it. The office's old list writes a syllable that starts
    with a vowel in lower case ("Xã Pa ủ", "Xã Đồng ý"), where its new list and every plan write
    "Xã Pa Ủ": such a syllable is capitalised; nothing else is touched."""
    words = unit.bare_name.split(" ")
    fixed = [w[:1].upper() + w[1:] if w[:1] in _VOWELS else w for w in words]
    return f"{unit.type} {' '.join(fixed)}"


_VOWELS = frozenset("aăâeêioôơuưyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")
