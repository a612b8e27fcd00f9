"""A plan's area as the unit registry knows it, and the official names a plan lists.

``area_unit`` (a code, or an official name) is read on the map in force when
the plan was issued: a district plan of 2024 names huyện Mường Tè, code 107, of
the old map, whatever map its figures later come on. The registry is read only
here and only when a plan names its area or lists a name that claims to be an
official unit, so listing targets never pays for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kpicheck.errors import PlanError, Problem
from kpicheck.names import fold
from kpicheck.plan.model import Plan
from kpicheck.plan.rules import Finding, _finding

if TYPE_CHECKING:
    from kpicheck.units.registry import Registry, Unit
    from kpicheck.units.territory import Territory


def area_of(plan: Plan, file: str | None = None) -> Unit | None:
    """The official unit a plan covers, or None when it names none (it covers the units it lists)."""
    if plan.area_unit is None:
        return None
    from kpicheck.units.registry import registry

    unit, finding = _area(registry(), plan)
    if finding is not None:
        raise PlanError(Problem.of(finding.code, file, None, "area_unit", **finding.args))
    return unit


def territory_of(plan: Plan, file: str | None = None) -> Territory | None:
    """The land of a plan's area on both maps, or None when it names no area."""
    unit = area_of(plan, file)
    if unit is None:
        return None
    from kpicheck.units.registry import registry
    from kpicheck.units.territory import Territory

    return Territory(registry(), unit)


_NONE = {"vi": "không có", "en": "none"}


def _area(reg: Registry, plan: Plan, lang: str = "en") -> tuple[Unit | None, Finding | None]:
    """The plan's area, or the finding that says why there is none (candidates listed in ``lang``,
    the language the finding will be said in)."""
    from kpicheck.units.describe import listed

    query = plan.area_unit or ""
    found = reg.find(query, plan.issued_year)
    if len(found) == 1:
        return found[0], None
    if found:
        return None, _finding(
            ("area_unit",), "plan.ambiguous-area", query=query, units=listed(reg, found, lang)
        )
    close = listed(reg, reg.find(query) or reg.suggest(query, plan.issued_year), lang) or _NONE[lang]
    return None, _finding(
        ("area_unit",), "plan.unknown-area", query=query, year=plan.issued_year, candidates=close
    )


def official_findings(plan: Plan, lang: str = "en") -> list[Finding]:
    """The plan's area and the names it lists, checked against the registry: with an area, every
    listed unit must be an official unit of it; without one, a listed name that is an official
    name misspelt ("Xã Pa Vệ Sử" for Xã Pa Vệ Sủ) is refused, and a name of the plan's own making
    ("Toàn tỉnh", "Huyện Bắc" in a plan that names no province) is left alone. Candidates are
    listed in ``lang``."""
    claims = plan.area_unit is not None or any(_typed(name) for name in plan.units)
    if not claims:
        return []
    from kpicheck.units.describe import listed
    from kpicheck.units.registry import registry
    from kpicheck.units.territory import Territory

    reg = registry()
    findings: list[Finding] = []
    area: Unit | None = None
    if plan.area_unit is not None:
        area, finding = _area(reg, plan, lang)
        if finding is not None:
            findings.append(finding)
    territory = Territory(reg, area) if area is not None else None
    year = plan.issued_year
    for k, name in enumerate(plan.units):
        found = reg.find(name, year)
        if territory is not None:
            inside = [u for u in found if territory.place(u)]
            if len(inside) == 1 or (not inside and fold(name) == fold(territory.area.name)):
                continue
            at = ("units", k)
            if inside:
                findings.append(
                    _finding(at, "plan.ambiguous-unit", name=name, units=listed(reg, inside, lang))
                )
                continue
            close = listed(reg, [u for u in found or reg.suggest(name, year) if territory.place(u)], lang)
            area_name = territory.area.name
            findings.append(
                _finding(
                    at, "plan.unit-not-in-area", name=name, area=area_name, candidates=close or _NONE[lang]
                )
            )
        elif not found and _typed(name):
            misspelt = _misspelt(reg, name, year)
            if misspelt:
                findings.append(
                    _finding(
                        ("units", k), "plan.misspelt-unit", name=name, candidates=listed(reg, misspelt, lang)
                    )
                )
    return findings


_TYPES = ("xã", "phường", "thị trấn", "đặc khu", "huyện", "quận", "thị xã", "thành phố", "tỉnh")


def _typed(name: str) -> bool:
    """Whether a name starts with a type of administrative unit ("Xã ...", "Huyện ...")."""
    key = fold(name)
    return any(key.startswith(f"{t} ") for t in _TYPES)


def _misspelt(reg: Registry, name: str, year: int) -> list[Unit]:
    """Official units of the same type whose name differs from ``name`` only in its marks."""
    close = reg.suggest(name, year)
    from kpicheck.units.registry import plain

    return [u for u in close if plain(u.name) == plain(name)]


def unit_levels(plan: Plan, names: list[str]) -> dict[str, str]:
    """The level of each name that is an official unit of the plan's area (for milestones that bind
    a level, and templates that ask a commune yes or no); a plan without an area knows none."""
    land = territory_of(plan)
    if land is None:
        return {}
    from kpicheck.units.resolve import Resolver

    resolver = Resolver(land.registry, [land])
    levels: dict[str, str] = {}
    for name in names:
        found = resolver.identify(name, None, plan.issued_year)
        if found.unit is not None:
            levels[name] = found.unit.level
    return levels


def area_units(plan: Plan) -> list[str]:
    """The plan's area and its communes, by their official names on the map the plan was issued
    on: the units a plan that names its area and lists none covers."""
    land = territory_of(plan)
    if land is None:
        return []
    from kpicheck.units.describe import shown_name
    from kpicheck.units.registry import map_for_year

    communes = [u for u, _ in land.members(map_for_year(plan.issued_year))]
    return [shown_name(land.area), *(shown_name(u) for u in communes)]
