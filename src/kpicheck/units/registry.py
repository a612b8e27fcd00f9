"""The statistics office's administrative units, on both maps of the reform of 1 July 2025.

The old map (63 provinces, 696 districts, 10,035 communes) holds until
30 June 2025; the new one (34 provinces, 3,321 communes, no districts) from
1 July 2025. A code means nothing without the date: codes were reused for other
land (03433 was thị trấn Mường Tè and is now xã Bum Tở), so a unit is always a
code on a map.

The data come from ``data/units.json``, built from ``vietnamadminunits`` by
``scripts/build_units.py``; it is read once per process, on first use, with the
json module only: no geometry, no network.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal, NamedTuple

from kpicheck.names import fold, fold_all

DATA = Path(__file__).parent / "data" / "units.json"
REFORM = dt.date(2025, 7, 1)  # the new map's first day
FIRST_NEW_YEAR = 2025  # a year's figures from 2025 on are reported on the new map

MapName = Literal["old", "new"]
Level = Literal["province", "district", "commune"]
MAPS: tuple[MapName, ...] = ("old", "new")


class Unit(NamedTuple):
    """One unit on one map: its code, official name (with its type), type, level and parent's code."""

    code: str
    name: str
    type: str
    level: Level
    parent: str | None
    map: MapName

    @property
    def valid_from(self) -> dt.date | None:
        """The first day of the new map; the old map's units go back further than the data say."""
        return REFORM if self.map == "new" else None

    @property
    def valid_to(self) -> dt.date | None:
        return REFORM - dt.timedelta(days=1) if self.map == "old" else None

    @property
    def bare_name(self) -> str:
        """The name without its type: "Bum Nưa" for "Xã Bum Nưa"."""
        return self.name[len(self.type) + 1 :]


class Link(NamedTuple):
    """An old unit whose land went (wholly, or in part when ``partial``) into a new one."""

    old: Unit
    new: Unit
    partial: bool  # the old unit was divided: only part of its land went into ``new``


class Overlap(NamedTuple):
    """A unit of the other map that shares land with a given unit."""

    unit: Unit
    whole: bool  # ``unit`` lies wholly inside the given unit


def map_on(day: dt.date) -> MapName:
    """The map in force on ``day``."""
    return "new" if day >= REFORM else "old"


def map_for_year(year: int) -> MapName:
    """The map a code in a year's figures is read on: 2024 and before the old one, 2025 on the new."""
    return "new" if year >= FIRST_NEW_YEAR else "old"


def maps_in_year(year: int | None) -> tuple[MapName, ...]:
    """The maps whose units existed at some time in ``year`` (both in 2025; both when no year)."""
    if year is None or year == REFORM.year:
        return MAPS
    return ("old",) if year < REFORM.year else ("new",)


class Registry:
    """Both maps and the links between them, indexed for lookups by code, name and hierarchy.

    The columns of the data file are kept as they are and a ``Unit`` is made when
    asked for: the command line pays only for the lookups it makes (the first
    lookup by name folds all 14,000 names once).
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self.source: dict[str, Any] = data["source"]
        self._levels: list[Level] = data["levels"]
        self._types: list[str] = data["types"]
        self._cols: dict[MapName, dict[str, list[Any]]] = {m: data[m] for m in MAPS}
        self._row: dict[MapName, dict[str, int]] = {
            m: {code: row for row, code in enumerate(data[m]["code"])} for m in MAPS
        }
        self._links: dict[str, list[Any]] = data["links"]

    def _unit(self, map_name: MapName, row: int) -> Unit:
        cols = self._cols[map_name]
        type_ = self._types[cols["type"][row]]
        return Unit(
            cols["code"][row],
            f"{type_} {cols['name'][row]}",
            type_,
            self._levels[cols["level"][row]],
            cols["parent"][row],
            map_name,
        )

    # -- by code and hierarchy -------------------------------------------------

    def units(self, map_name: MapName) -> Iterator[Unit]:
        """Every unit of a map, provinces first, each level in code order."""
        return (self._unit(map_name, row) for row in range(len(self._cols[map_name]["code"])))

    def get(self, code: str, map_name: MapName) -> Unit | None:
        """The unit with ``code`` on a map."""
        row = self._row[map_name].get(code)
        return None if row is None else self._unit(map_name, row)

    def _get(self, map_name: MapName, code: str) -> Unit:
        return self._unit(map_name, self._row[map_name][code])

    def by_code(self, code: str, on: dt.date) -> Unit | None:
        """The unit ``code`` named on the day ``on``: 03433 is thị trấn Mường Tè before 1/7/2025."""
        return self.get(code, map_on(on))

    def parent(self, unit: Unit) -> Unit | None:
        return None if unit.parent is None else self.get(unit.parent, unit.map)

    def ancestors(self, unit: Unit) -> list[Unit]:
        """The units above ``unit``, the nearest first."""
        chain = []
        up = self.parent(unit)
        while up is not None:
            chain.append(up)
            up = self.parent(up)
        return chain

    @functools.cached_property
    def _children(self) -> dict[tuple[MapName, str], list[int]]:
        kids: dict[tuple[MapName, str], list[int]] = {}
        for m in MAPS:
            for row, parent in enumerate(self._cols[m]["parent"]):
                if parent is not None:
                    kids.setdefault((m, parent), []).append(row)
        return kids

    def _kids(self, unit: Unit) -> list[Unit]:
        return [self._unit(unit.map, row) for row in self._children.get((unit.map, unit.code), [])]

    def children(self, code: str, on: dt.date) -> list[Unit]:
        """The units directly below ``code`` on the map of ``on``, in code order."""
        unit = self.by_code(code, on)
        return [] if unit is None else self._kids(unit)

    def area(self, code: str, on: dt.date) -> list[Unit]:
        """The communes of a unit on the map of ``on`` (a commune's area is itself), in code order."""
        unit = self.by_code(code, on)
        return [] if unit is None else self._communes(unit)

    def communes(self, unit: Unit) -> list[Unit]:
        """The communes of ``unit`` on its own map (a commune's are itself), in code order."""
        return self._communes(unit)

    def ancestor(self, unit: Unit, level: Level) -> Unit | None:
        """The unit of ``level`` that ``unit`` lies in (itself when it is of that level)."""
        return next((u for u in (unit, *self.ancestors(unit)) if u.level == level), None)

    def _communes(self, unit: Unit) -> list[Unit]:
        if unit.level == "commune":
            return [unit]
        return [c for child in self._kids(unit) for c in self._communes(child)]

    # -- across the reform -----------------------------------------------------

    @functools.cached_property
    def _by_link(self) -> tuple[dict[str, list[tuple[str, bool]]], dict[str, list[tuple[str, bool]]]]:
        """old code -> [(new code, partial)], and new code -> [(old code, partial)]."""
        forward: dict[str, list[tuple[str, bool]]] = {}
        back: dict[str, list[tuple[str, bool]]] = {}
        links = self._links
        for old, new, partial in zip(links["old"], links["new"], links["partial"], strict=True):
            forward.setdefault(old, []).append((new, bool(partial)))
            back.setdefault(new, []).append((old, bool(partial)))
        return forward, back

    def successors(self, unit: Unit | str) -> list[Link]:
        """The new units an old unit's land went into, as the official mapping lists them.

        Communes, provinces and the five island districts have links; other
        districts were abolished, not mapped: ``overlaps`` says where their land is.
        """
        old = unit if isinstance(unit, Unit) else self.get(unit, "old")
        if old is None or old.map != "old":
            return []
        forward, _ = self._by_link
        return [Link(old, self._get("new", new), partial) for new, partial in forward.get(old.code, [])]

    def predecessors(self, unit: Unit | str) -> list[Link]:
        """The old units whose land (all of it, or part when ``partial``) makes up a new unit."""
        new = unit if isinstance(unit, Unit) else self.get(unit, "new")
        if new is None or new.map != "new":
            return []
        _, back = self._by_link
        return [Link(self._get("old", old), new, partial) for old, partial in back.get(new.code, [])]

    def overlaps(self, unit: Unit) -> list[Overlap]:
        """The communes of the other map that share land with ``unit``, and whether each lies
        wholly inside it: huyện Mường Tè's land is now in eight communes, seven wholly inside it;
        xã Hua Bum also holds old Hua Bum of huyện Nậm Nhùn, so it lies inside only in part."""
        inside = {c.code for c in self._communes(unit)}
        forward, back = self._by_link
        there, back_here = (forward, back) if unit.map == "old" else (back, forward)
        other: MapName = "new" if unit.map == "old" else "old"
        found = sorted({code for here in inside for code, _ in there.get(here, [])})
        return [Overlap(self._get(other, c), all(h in inside for h, _ in back_here[c])) for c in found]

    # -- by name ---------------------------------------------------------------

    @functools.cached_property
    def _names(self) -> dict[str, list[tuple[MapName, int]]]:
        """Folded names without their type, each to the units (map, row) bearing it."""
        index: dict[str, list[tuple[MapName, int]]] = {}
        for m in MAPS:
            for row, key in enumerate(fold_all(self._cols[m]["name"])):
                index.setdefault(key, []).append((m, row))
        return index

    @functools.cached_property
    def _type_keys(self) -> list[tuple[str, int]]:
        """Each type's folded prefix ("xã "), the index of the type in the data file's list."""
        return [(f"{key} ", t) for t, key in enumerate(fold_all(self._types))]

    def _by_name(self, query: str) -> list[tuple[MapName, int]]:
        """Units whose name without type is ``query``, or whose type and name it is."""
        key = fold(query)
        found = list(self._names.get(key, []))
        for prefix, t in self._type_keys:
            if key.startswith(prefix):
                rest = self._names.get(key[len(prefix) :], [])
                found += [(m, row) for m, row in rest if self._cols[m]["type"][row] == t]
        return found

    def find(self, query: str, year: int | None = None, within: Unit | None = None) -> list[Unit]:
        """The units a name or code may mean, old map first, each level in code order.

        A code is read on the map of ``year`` (2024 and before: old; 2025 on: new;
        both without a year); a code that lost its leading zeros in a spreadsheet
        ("3433") is tried padded when nothing has it as written. A name matches the
        official name, or the name without its type ("Bum Nưa" for "Xã Bum Nưa";
        not for names that are digits alone: "5" is a code, "Phường 5" a name),
        as ``fold`` compares them, among the units that existed in ``year``.
        ``within`` keeps the units in an area's land (see ``in_area``).
        """
        text = " ".join(query.split())
        if text.isdigit() and text.isascii():
            maps = MAPS if year is None else (map_for_year(year),)
            found = self._by_codes([text], maps) or self._by_codes(
                [text.zfill(n) for n in (2, 3, 5) if len(text) < n], maps
            )
        else:
            maps = maps_in_year(year)
            found = [self._unit(m, row) for m, row in self._by_name(query) if m in maps]
        if within is not None:
            found = [u for u in found if self.in_area(u, within)]
        return sorted(set(found), key=_order)

    def _by_codes(self, codes: Iterable[str], maps: tuple[MapName, ...]) -> list[Unit]:
        return [u for m in maps for code in codes if (u := self.get(code, m)) is not None]

    def in_area(self, unit: Unit, area: Unit) -> bool:
        """Whether ``unit`` lies in ``area``'s land: it is the area or below it on the same map or,
        across the reform, each of its communes shares land with the area. A new commune that
        straddles an old boundary counts (``overlaps`` says it lies there only in part); a new
        province that merged the area with others does not."""
        if unit.map == area.map:
            return unit == area or area in self.ancestors(unit)
        shared = {o.unit.code for o in self.overlaps(area)}
        return all(c.code in shared for c in self._communes(unit))

    @functools.cached_property
    def _plain(self) -> dict[str, list[tuple[MapName, int]]]:
        """Names without type and without any marks ("muong te"), for suggestions only."""
        index: dict[str, list[tuple[MapName, int]]] = {}
        for m in MAPS:
            for row, key in enumerate(_plain_all(self._cols[m]["name"])):
                index.setdefault(key, []).append((m, row))
        return index

    def suggest(self, query: str, year: int | None = None, limit: int = 5) -> list[Unit]:
        """Units whose name comes close to ``query``, for a did-you-mean: the same letters
        without marks ("Muong Te", "Pa Ve Su"), then near spellings ("Hua Bun")."""
        import difflib  # only when nothing matched

        maps = maps_in_year(year)
        key = _plain_all([query])[0]
        types = [f"{t} " for t in _plain_all(self._types)]
        keys = [key, *(key[len(t) :] for t in types if key.startswith(t))]
        close = [k for k in keys if k in self._plain] or difflib.get_close_matches(
            keys[-1], list(self._plain), n=limit, cutoff=0.75
        )
        rows = [entry for k in close for entry in sorted(self._plain[k], key=_row_order) if entry[0] in maps]
        return [self._unit(m, row) for m, row in rows[:limit]]  # the closest names first


def plain(name: str) -> str:
    """A name as typed without marks ("xa pa ve su" for "Xã Pa Vệ Sủ"): for spotting misspellings."""
    return _plain_all([name])[0]


def _plain_all(names: list[str]) -> list[str]:
    """``fold`` without any marks, and đ as d: how a name typed on a keyboard without them reads."""
    text = unicodedata.normalize("NFD", "\n".join(fold_all(names)))
    return _MARKS.sub("", text).replace("đ", "d").split("\n")


_MARKS = re.compile("[\u0300-\u036f]")


def _row_order(entry: tuple[MapName, int]) -> tuple[int, int]:
    return (MAPS.index(entry[0]), entry[1])  # rows are in level and code order within a map


def _order(unit: Unit) -> tuple[int, int, str]:
    return (MAPS.index(unit.map), ("province", "district", "commune").index(unit.level), unit.code)


@functools.cache
def registry() -> Registry:
    """The registry, read on first use and kept for the life of the process."""
    with DATA.open("rb") as f:
        return Registry(json.load(f))
