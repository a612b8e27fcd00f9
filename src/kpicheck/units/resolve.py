"""Which official unit a row of figures means, from its name, its code or both, and its year.

A code is read on the map of the row's year (2024 and before: the old map; 2025
on: the new one), since 03433 was thị trấn Mường Tè and is now xã Bum Tở. A name
is valid in any year its unit existed: in 2025 both maps did, and the new map's
unit is meant where both have one. Names match as ``names.fold`` compares them,
with or without the type ("Bum Nưa"), among the units of the plans' areas first.
A plan's own area stays valid in every year: huyện Mường Tè reported for 2027 is
the land of the plan issued for it.

Called once per distinct (name, code, year) of the data, never per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from kpicheck.names import fold, fold_all
from kpicheck.units.registry import MapName, Registry, Unit, map_for_year
from kpicheck.units.territory import Territory

# The root of the hierarchy: the whole country, as offices write it.
COUNTRY_NAMES = frozenset(fold_all(["Việt Nam", "Viet Nam", "Toàn quốc", "Toan quoc", "Cả nước", "Ca nuoc"]))

Outcome = Literal["unit", "country", "unofficial", "not-in-year", "unknown-code", "ambiguous", "mismatch"]


@dataclass(frozen=True)
class Identified:
    """What a (name, code, year) means: an official unit, the whole country, or why neither."""

    outcome: Outcome
    unit: Unit | None = None
    candidates: list[Unit] = field(default_factory=list)  # ambiguous: the units it may mean


def year_class(year: int) -> int:
    """Years that read names and codes alike: before, in and after 2025, the year of the reform."""
    return min(max(year, 2024), 2026)


class Resolver:
    """Identifies units for the plans' areas (``areas``; none for a plan without one)."""

    def __init__(self, registry: Registry, areas: list[Territory], unit_map: MapName | None = None) -> None:
        self.registry = registry
        self.areas = areas
        self.unit_map = unit_map  # --unit-map: the map every code is read on, whatever its year
        self._area_names = {fold(t.area.name): t.area for t in areas}

    def identify(
        self, name: str | None, code: str | None, year: int, prefer: MapName | None = None
    ) -> Identified:
        """The unit of one row; ``name`` and ``code`` may each be missing, not both. ``prefer``:
        the map a 2025 name is read on where both maps have it (default: the new one)."""
        if code:
            found = self._by_code(code, year)
            unit = found.unit
            if unit is not None and name and not self._names(name, unit):
                return Identified("mismatch", unit)
            return found
        assert name
        return self._by_name(name, year, prefer)

    def maps(self, name: str, year: int) -> set[MapName]:
        """The maps holding units of that name in that year (in the plans' areas, where any is)."""
        found = self.registry.find(name, year_class(year))
        inside = [u for u in found if any(t.place(u) for t in self.areas)]
        return {u.map for u in inside or found}

    def _by_code(self, code: str, year: int) -> Identified:
        reg = self.registry
        map_name = self.unit_map or map_for_year(year)
        unit = reg.get(code, map_name)
        if unit is not None:
            return Identified("unit", unit)
        areas = [t.area for t in self.areas if t.area.code == code]
        if areas:  # a plan's own area, in a year its map no longer holds it
            return Identified("unit", areas[0])
        padded = [u for n in (2, 3, 5) if len(code) < n and (u := reg.get(code.zfill(n), map_name))]
        if len(padded) == 1:
            return Identified("unit", padded[0])
        return Identified("ambiguous" if padded else "unknown-code", candidates=padded)

    def _names(self, name: str, unit: Unit) -> bool:
        """Whether ``name`` is a way of writing ``unit``'s name (with or without its type)."""
        key = fold(name)
        return key in (fold(unit.name), fold(unit.bare_name))

    def _by_name(self, name: str, year: int, prefer: MapName | None = None) -> Identified:
        key = fold(name)
        if key in COUNTRY_NAMES:
            return Identified("country")
        if key in self._area_names:
            return Identified("unit", self._area_names[key])
        reg = self.registry
        found = reg.find(name, year_class(year))
        if not found:
            areas = [t.area for t in self.areas if key == fold(t.area.bare_name)]
            if areas:
                return Identified("unit", areas[0])
            elsewhere = reg.find(name)  # a unit of that name, in other years: an old commune in 2026
            return Identified("not-in-year" if elsewhere else "unofficial", candidates=elsewhere)
        inside = [u for u in found if any(t.place(u) for t in self.areas)]
        chosen = inside or found
        maps = {u.map for u in chosen}
        if len(maps) > 1:  # 2025: both maps held a unit of that name; the new map's is meant
            chosen = [u for u in chosen if u.map == (prefer or map_for_year(year))]
        if len(chosen) > 1:
            return Identified("ambiguous", candidates=chosen)
        return Identified("unit", chosen[0])
