"""A plan's area as land, on both maps: which units lie in it, wholly or in part.

A district plan issued in 2024 names huyện Mường Tè on the old map; its 2025
figures come from the new communes. Seven of them lie wholly on the old
district's land; xã Hua Bum holds old Vàng San (of Mường Tè) and old Hua Bum (of
Nậm Nhùn), so it lies there only in part. ``Territory.place`` answers that
question for any unit of either map, ``members`` lists the communes of the area
on a map, and ``parents`` says which units a unit's figures add up into, for
``--rollup``.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Literal

from kpicheck.units.registry import REFORM, Level, MapName, Registry, Unit

Place = Literal["whole", "partial"]
LEVELS: tuple[Level, ...] = ("province", "district", "commune")  # from the top


class Territory:
    """The land of one unit (a plan's area), seen from both maps."""

    def __init__(self, registry: Registry, area: Unit) -> None:
        self.registry = registry
        self.area = area

    @functools.cached_property
    def _other(self) -> dict[str, bool]:
        """Communes of the other map sharing land with the area, each to whether it lies wholly inside."""
        return {o.unit.code: o.whole for o in self.registry.overlaps(self.area)}

    def place(self, unit: Unit) -> Place | None:
        """How ``unit`` lies in the area: wholly, in part (a commune of the other map that straddles
        its edge), or not at all (elsewhere, or a larger unit holding the area)."""
        reg = self.registry
        if unit.map == self.area.map:
            return "whole" if unit == self.area or self.area in reg.ancestors(unit) else None
        if unit.level == "commune":
            whole = self._other.get(unit.code)
            return None if whole is None else ("whole" if whole else "partial")
        # A larger unit of the other map lies in the area only if all its communes do, wholly.
        inside = all(self._other.get(c.code) is True for c in reg.communes(unit))
        return "whole" if inside else None

    def members(self, map_name: MapName) -> list[tuple[Unit, bool]]:
        """The communes of the area on ``map_name``, each with whether it lies wholly inside."""
        if map_name == self.area.map:
            return [(c, True) for c in self.registry.communes(self.area)]
        return [(o.unit, o.whole) for o in self.registry.overlaps(self.area)]

    def dissolved(self) -> dt.date | None:
        """The day the area ceased to exist (1 July 2025 for every district and most provinces and
        communes), or None while it lives: a unit the reform left as it was is not dissolved."""
        if self.area.map == "new":
            return None
        reg = self.registry
        after = reg.successors(self.area)
        if len(after) == 1 and not after[0].partial:
            before = reg.predecessors(after[0].new)
            if [link.old for link in before] == [self.area]:
                return None  # the same land under the new map
        return REFORM


def parents(registry: Registry, unit: Unit, level: Level, target: MapName) -> list[tuple[Unit, bool]]:
    """The units of ``level`` on the map ``target`` whose land ``unit`` lies in, each with whether
    only part of ``unit`` lies there. Empty when ``unit`` is of that level or above it (its figures
    are its own), or when ``target`` has no such level (no districts on the new map).

    Across the reform a unit lies in the units its predecessors or successors lie in: a new
    commune made of old communes of one district lies wholly in that district (even where one
    of them was divided: its part lay in that district too); one made of communes of two districts
    lies partly in each."""
    if LEVELS.index(unit.level) <= LEVELS.index(level):
        return []
    if unit.map == target:
        up = registry.ancestor(unit, level)
        return [] if up is None else [(up, False)]
    if unit.map == "old":
        others = [link.new for link in registry.successors(unit)]
    else:
        others = [link.old for link in registry.predecessors(unit)]
    found = {up for other in others if (up := registry.ancestor(other, level)) is not None}
    ordered = sorted(found, key=lambda u: u.code)
    return [(up, len(ordered) > 1) for up in ordered]


def rebuilt_from(registry: Registry, unit: Unit) -> list[Unit] | None:
    """The old units whose figures add up to a new unit's land before the reform, or None when they
    cannot: a predecessor was divided (only part of its land went into ``unit``)."""
    if unit.map != "new":
        return None
    links = registry.predecessors(unit)
    if not links or any(link.partial for link in links):
        return None
    return [link.old for link in links]
