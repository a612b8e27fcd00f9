"""Which official unit each row names, and which plan judges it.

Rows name units by name, by the statistics office's code, or both. Once the
registry is in play (a code column, a plan that names its area, or a roll-up
by the hierarchy), each distinct (name, code, year) is looked up once, never
each row: a national file has two million rows and ten thousand units. Each
unit then becomes a key, its code on its map ("old:03466"), so that old xã Bum
Nưa and the larger new xã Bum Nưa of the same code are two units; the results
call both by their official name and code.

Without the registry in play nothing changes: units are the names as written,
and plans are chosen by the units they list. That is the benchmark's path, so
the national file never pays for the registry.

A unit that cannot be placed (no official unit, several, misdated, or under no
plan) is a problem of the ``Placement``, not raised here: its rows are left
out, and the caller refuses the run (strict) or reports them and judges the
rest. Two different figures for one unit written two ways are such a problem
too, and the files holding them are left out, as the read leaves out a file
with a repeat. Two plans of one level taking a unit are refused at once, as
``plan.assign`` refuses them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kpicheck.errors import DataError, Problem
from kpicheck.frames import category_texts, without_files
from kpicheck.names import fold
from kpicheck.plan.areas import territory_of
from kpicheck.plan.assign import MAX_LISTED, Locate, plan_units
from kpicheck.plan.catalog import Catalog
from kpicheck.plan.model import Plan
from kpicheck.read.tidy import without_repeats
from kpicheck.units.describe import listed as _listed
from kpicheck.units.describe import shown_name
from kpicheck.units.registry import MapName, Unit, map_for_year, registry
from kpicheck.units.resolve import Identified, Resolver
from kpicheck.units.territory import Territory

COUNTRY = "country"  # the key of the whole country
COUNTRY_NAME = "Việt Nam"
HIERARCHY = ("district", "province", "plan")  # --rollup levels the registry knows
_SPECIFICITY = {"province": 0, "district": 1, "commune": 2}
# Units told one by one, with the names close to each, as many as plan.assign tells; the rest counted.
MAX_PROBLEMS = MAX_LISTED

Labels = dict[str, tuple[str, str | None]]  # unit key -> (official name, code)
Assignments = list[tuple[Plan, list[str]]]  # each plan and the unit keys it judges


@dataclass(frozen=True)
class PlaceOptions:
    unit_map: MapName | None = None  # --unit-map: read every code on this map, whatever its year
    rollup: str | None = None
    include_partial: bool = False  # --partial include
    lang: str = "en"  # the language problems will be said in: unit lists carry dates in words


@dataclass
class Placement:
    """The data with its units as keys, and what is known of each key."""

    frame: pd.DataFrame
    assignments: list[tuple[Plan, list[str]]]
    units: dict[str, Unit] = field(default_factory=dict)  # key -> official unit (not: as written)
    labels: Labels | None = None  # None: the registry was not in play
    territories: dict[str, Territory] = field(default_factory=dict)  # plan id -> its area's land
    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # units left out, and why


def named(conflicts: list[Problem], labels: Labels | None) -> list[Problem]:
    """Conflicting figures found on unit keys ("new:03466"), the unit named as the results name it."""
    if not labels:
        return conflicts
    out = []
    for p in conflicts:
        if "places" not in p.args:  # the count of the rest, not a conflict
            out.append(p)
            continue
        name, code = labels.get(str(p.args["unit"]), (str(p.args["unit"]), None))
        out.append(
            Problem.of(
                "data.conflicting-duplicate",
                p.file,
                p.line,
                p.column,
                unit=f"{name} ({code})" if code else name,
                indicator=p.args["indicator"],
                year=p.args["year"],
                count=p.args["count"],
                places=p.args["places"],
            )
        )
    return out


def _nowhere(unit: str) -> tuple[str | None, int | None]:
    return None, None


def key_of(unit: Unit) -> str:
    return f"{unit.map}:{unit.code}"


def place(
    frame: pd.DataFrame,
    catalog: Catalog,
    forced: Plan | None,
    options: PlaceOptions,
    locate: Locate = _nowhere,
) -> Placement:
    """The units of ``frame`` looked up and each given its plan; the units that could not be, as
    problems (``locate`` finds a unit's first row where the registry is not in play)."""
    has_code = "unit_code" in frame.columns
    plans = [forced] if forced is not None else [catalog.get(pid) for pid in catalog.ids()]
    area_plans = [p for p in plans if p.area_unit is not None]
    by_hierarchy = options.rollup in HIERARCHY and options.rollup not in frame.columns
    if not has_code and not area_plans and not by_hierarchy:
        units = category_texts(frame["unit"])
        assignments, unplanned = plan_units(catalog, units, forced, locate)
        return Placement(frame, assignments, problems=unplanned)
    territories = {}
    for plan in area_plans:
        land = territory_of(plan, str(catalog.files.get(plan.id, plan.id)))
        if land is not None:
            territories[plan.id] = land
    resolver = Resolver(registry(), list(territories.values()), options.unit_map)
    return _Placer(frame, catalog, forced, plans, territories, resolver, options.lang).run()


class _Placer:
    """One run of ``place`` with the registry: look up, key, assign."""

    def __init__(
        self,
        frame: pd.DataFrame,
        catalog: Catalog,
        forced: Plan | None,
        plans: list[Plan],
        territories: dict[str, Territory],
        resolver: Resolver,
        lang: str = "en",
    ) -> None:
        self.frame = frame
        self.catalog = catalog
        self.forced = forced
        self.plans = plans
        self.territories = territories
        self.resolver = resolver
        self.lang = lang
        self.problems: list[Problem] = []
        self.more = 0  # problems past MAX_PROBLEMS, counted
        self.told: set[tuple[str | None, str | None, str]] = set()
        self.units: dict[str, Unit] = {}
        self.labels: Labels = {}
        # Plans claim the names they list, as written (a plan with an area lists official names).
        self.listed: dict[str, list[Plan]] = {}
        for plan in plans:
            for name in plan.units:
                self.listed.setdefault(fold(name), []).append(plan)

    def run(self) -> Placement:
        frame = self.frame
        names = category_texts(frame["unit"])
        name_of_row = frame["unit"].cat.codes.to_numpy().astype(np.int64)
        codes: list[str] = []
        code_of_row = np.full(len(frame), -1, dtype=np.int64)
        if "unit_code" in frame.columns:
            codes = category_texts(frame["unit_code"])
            code_of_row = frame["unit_code"].cat.codes.to_numpy().astype(np.int64)
        era = np.clip(frame["year"].to_numpy().astype(np.int64), 2024, 2026) - 2024  # before, in, after 2025
        # A 2025 name both maps hold is read on the map its file reports on: era 3 is 2025, old map.
        era[(era == 1) & self._old_in_2025(names, name_of_row, code_of_row, era)] = 3
        combo = (name_of_row * (len(codes) + 1) + code_of_row + 1) * 4 + era
        distinct, first, inverse = np.unique(combo, return_index=True, return_inverse=True)
        keys: list[str | None] = []
        texts: dict[str, str] = {}  # key -> a name as written, for plans that list names
        for value, row in zip(distinct.tolist(), first.tolist(), strict=True):
            pair, k = divmod(value, 4)
            name_at, code_at = divmod(pair, len(codes) + 1)
            code = codes[code_at - 1] if code_at else None
            name = names[name_at] if names[name_at] not in ("", code) else None
            key = self._key(name, code, 2025 if k == 3 else 2024 + k, row, "old" if k == 3 else None)
            keys.append(key)
            if key is not None and name is not None:
                texts.setdefault(key, name)
        if self.more:
            self.problems.append(Problem.of("data.more-unit-problems", count=self.more))
        # Units in the order of their names, whatever order the file gave them in.
        found = {k for k in keys if k is not None}
        order = pd.Index(sorted(found, key=lambda k: (self.labels[k][0], self.labels[k][1] or "", k)))
        key_index = order.get_indexer(pd.Index(keys))
        out = frame.drop(columns=[c for c in ("unit_code",) if c in frame.columns])
        out = out.assign(unit=pd.Categorical.from_codes(key_index[inverse.ravel()], categories=order))
        if self.problems:  # the rows of units not found are not judged
            out = out[out["unit"].notna().to_numpy()].reset_index(drop=True)
        out, conflicts, files = without_repeats(out)
        if conflicts:  # one figure written two ways: its files are set aside, the rest placed again
            rest = _Placer(
                without_files(self.frame, files),
                self.catalog,
                self.forced,
                self.plans,
                self.territories,
                self.resolver,
                self.lang,
            ).run()
            rest.problems[:0] = named(conflicts, self.labels)
            return rest
        first_row = pd.Series(np.arange(len(out))).groupby(out["unit"].cat.codes.to_numpy()).min()
        assignments, warnings = self._assign(list(order), texts, out, first_row)
        return Placement(out, assignments, self.units, self.labels, self.territories, warnings, self.problems)

    def _old_in_2025(
        self, names: list[str], name_of_row: np.ndarray, code_of_row: np.ndarray, era: np.ndarray
    ) -> np.ndarray:
        """Per row: its file reports 2025 on the old map. A 2025 name both maps hold (xã Bum Nưa
        was enlarged, not renamed) is read on the old map when the file names no unit only the new
        map has, and either names one only the old map had (thị trấn Mường Tè) or continues
        earlier years: the series of a commune goes on under its name. Otherwise on the new map."""
        file_of_row = self.frame["file"].cat.codes.to_numpy().astype(np.int64)
        in_2025 = (era == 1) & (code_of_row < 0)
        if not in_2025.any():
            return np.zeros(len(era), dtype=bool)
        pairs = np.unique(file_of_row[in_2025] * len(names) + name_of_row[in_2025])
        seen: dict[int, set[str]] = {int(f): {"old"} for f in np.unique(file_of_row[era == 0])}
        for pair in pairs.tolist():
            file, name_at = divmod(pair, len(names))
            maps = self.resolver.maps(names[name_at], 2025)
            if len(maps) == 1:
                seen.setdefault(file, set()).update(maps)
        old_files = [f for f, maps in seen.items() if maps == {"old"}]
        return np.isin(file_of_row, old_files)

    def _key(
        self, name: str | None, code: str | None, year: int, row: int, prefer: MapName | None = None
    ) -> str | None:
        """The key of one (name, code, year), or None with a problem recorded at its first row."""
        found = self.resolver.identify(name, code, year, prefer)
        if found.outcome == "unit" and found.unit is not None:
            key = key_of(found.unit)
            self.units[key] = found.unit
            self.labels[key] = (shown_name(found.unit), found.unit.code)
            return key
        if found.outcome == "country":
            self.labels[COUNTRY] = (COUNTRY_NAME, None)
            return COUNTRY
        if found.outcome == "unofficial" and name is not None and self._takes_any_name(name):
            self.labels[name] = (name, None)
            return name
        told = (name, code, found.outcome)  # one problem per unit, not per year it is written for
        if told in self.told:
            return None
        self.told.add(told)
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(self._problem(found, name, code, year, row))
        else:  # a file of synthetic names would make thousands of lines, and looking close costs
            self.more += 1
        return None

    def _takes_any_name(self, name: str) -> bool:
        """Whether a name that is no official unit is still a unit: a forced plan without an area
        takes any unit, and a plan without an area takes the names it lists."""
        forced = self.forced
        if forced is not None and forced.id not in self.territories:
            return True
        return fold(name) in self.listed

    def _problem(self, found: Identified, name: str | None, code: str | None, year: int, row: int) -> Problem:
        reg = self.resolver.registry
        file, line = str(self.frame["file"].iloc[row]), int(self.frame["line"].iloc[row])
        shown_year = int(self.frame["year"].iloc[row])
        column = "unit_code" if code else "unit"
        if found.outcome == "ambiguous":
            text = code or name or ""
            return Problem.of(
                "data.ambiguous-unit", file, line, column, text=text, units=self._listed(found.candidates)
            )
        if found.outcome == "mismatch" and found.unit is not None:
            return Problem.of(
                "data.unit-code-mismatch",
                file,
                line,
                column,
                unit_code=code,
                year=shown_year,
                official=found.unit.name,
                name=name,
            )
        if found.outcome == "unknown-code" and code is not None:
            map_name = self.resolver.unit_map or map_for_year(year)
            other: MapName = "new" if map_name == "old" else "old"
            there = [u for u in [reg.get(code, other)] if u is not None]
            if not there:  # no map has it: --unit-map would not help
                return Problem.of("data.no-such-unit-code", file, line, column, unit_code=code)
            return Problem.of(
                "data.unknown-unit-code",
                file,
                line,
                column,
                unit_code=code,
                year=shown_year,
                map=map_name,
                other=other,
                other_map=other,
                elsewhere=self._listed(there),
            )
        if found.outcome == "not-in-year":
            became = [link.new for u in found.candidates for link in reg.successors(u)]
            return Problem.of(
                "data.unit-not-in-year",
                file,
                line,
                column,
                name=name,
                year=shown_year,
                units=self._listed(found.candidates),
                successors=self._listed(sorted(set(became), key=lambda u: u.code)) or self._none(),
            )
        close = self._listed(reg.suggest(name or "", year)) or self._none()
        return Problem.of("data.unknown-unit", file, line, column, name=name, candidates=close)

    def _listed(self, units: list[Unit]) -> str:
        return _listed(self.resolver.registry, units, self.lang)

    def _none(self) -> str:
        return "không có" if self.lang == "vi" else "none"

    def _assign(
        self, keys: list[str], texts: dict[str, str], frame: pd.DataFrame, first_row: pd.Series
    ) -> tuple[list[tuple[Plan, list[str]]], list[Problem]]:
        """Each key's plan: the forced one, or the most specific plan whose area holds the unit or
        that lists its name. A unit no plan takes is a problem of the placement, as
        ``plan.assign`` makes it; two plans of one level taking it are refused at once."""
        forced = self.forced
        if forced is not None:
            return [(forced, keys)], self._outside(forced, keys)
        by_plan: dict[str, list[str]] = {}
        unmatched: list[str] = []

        def where(key: str) -> tuple[str | None, int | None]:
            at = first_row.get(frame["unit"].cat.categories.get_loc(key))
            if at is None:
                return None, None
            return str(frame["file"].iloc[int(at)]), int(frame["line"].iloc[int(at)])

        order = frame["unit"].cat.categories
        for key in sorted(keys, key=lambda k: first_row.get(order.get_loc(k), len(frame))):
            plans = self._owners(key, texts)
            name = self.labels.get(key, (key, None))[0]
            if len(plans) > 1:
                ids = ", ".join(p.id for p in plans)
                raise DataError(Problem.of("data.ambiguous-plan", *where(key), "unit", plans=ids, unit=name))
            if plans:
                by_plan.setdefault(plans[0].id, []).append(key)
            else:
                unmatched.append(key)
        plan_ids = ", ".join(self.catalog.ids())
        for key in unmatched[:MAX_LISTED]:
            name = self.labels.get(key, (key, None))[0]
            self.problems.append(
                Problem.of("data.no-plan-for-unit", *where(key), "unit", unit=name, plans=plan_ids)
            )
        if len(unmatched) > MAX_LISTED:
            self.problems.append(
                Problem.of("data.more-units-without-plan", count=len(unmatched) - MAX_LISTED)
            )
        by_id = {p.id: p for p in self.plans}
        return [(by_id[pid], members) for pid, members in by_plan.items()], []

    def _owners(self, key: str, texts: dict[str, str]) -> list[Plan]:
        """The plans that take a unit: of the most specific level, whole before partial; two such
        plans are a question only the user can answer."""
        unit = self.units.get(key)
        candidates: list[tuple[int, bool, str, Plan]] = []
        for plan in self.plans:
            land = self.territories.get(plan.id)
            if land is not None and unit is not None:
                where = land.place(unit)
                if where is not None:
                    candidates.append((-_SPECIFICITY[plan.level.value], where == "partial", plan.id, plan))
        spellings = {fold(texts.get(key, key)), fold(self.labels.get(key, (key, None))[0])}
        for spelling in spellings:
            for plan in self.listed.get(spelling, []):
                candidates.append((-_SPECIFICITY[plan.level.value], False, plan.id, plan))
        if not candidates:
            return []
        best = min(c[:2] for c in candidates)
        return list({c[2]: c[3] for c in sorted(candidates, key=lambda c: c[:3]) if c[:2] == best}.values())

    def _outside(self, plan: Plan, keys: list[str]) -> list[Problem]:
        """--plan judges every row; a unit outside the plan's area is judged with a warning."""
        land = self.territories.get(plan.id)
        if land is None:
            return []
        outside = [
            self.labels[k][0] + (f" ({self.labels[k][1]})" if self.labels[k][1] else "")
            for k in keys
            if k == COUNTRY or (k in self.units and land.place(self.units[k]) is None)
        ]
        if not outside:
            return []
        shown = ", ".join(outside[:5]) + (f" and {len(outside) - 5} more" if len(outside) > 5 else "")
        return [Problem.of("warning.outside-area", units=shown, plan=plan.id, area=land.area.name)]


def place_names(
    catalog: Catalog, forced: Plan | None, rows: list[tuple[str, int | None, str, int]]
) -> tuple[list[tuple[Plan, list[str]]], dict[str, str], list[Problem]]:
    """Each plan and the unit names (as written) it judges, the level of each official unit, and
    the units left out: ``place`` for the rows of a milestone file, (unit, year or None, file,
    line) each. A row without a year (a one-off task) is read in 2025, when both maps held their
    units."""
    first: dict[str, tuple[str | None, int | None]] = {}
    for unit, _, file, line in rows:
        first.setdefault(unit, (file, line))
    frame = pd.DataFrame(
        {
            "unit": pd.Categorical([r[0] for r in rows]),
            # The name as written rides along as the indicator: two spellings of one unit stay two rows.
            "indicator": pd.Categorical([r[0] for r in rows]),
            "year": np.array([r[1] or 2025 for r in rows], dtype=np.int32),
            "value": np.zeros(len(rows)),
            "file": pd.Categorical([r[2] for r in rows]),
            "line": np.array([r[3] for r in rows], dtype=np.int64),
        }
    ).drop_duplicates(["unit", "year"], ignore_index=True)
    placement = place(frame, catalog, forced, PlaceOptions(), lambda u: first.get(u, (None, None)))
    keyed = placement.frame
    names = keyed["indicator"].astype(str).tolist()
    keys = keyed["unit"].astype(str).tolist() if placement.labels is not None else names
    names_of: dict[str, list[str]] = {}
    for name, key in zip(names, keys, strict=True):
        names_of.setdefault(key, [])
        if name not in names_of[key]:
            names_of[key].append(name)
    assignments = [
        (plan, sorted({n for k in members for n in names_of.get(k, [])}))
        for plan, members in placement.assignments
    ]
    levels: dict[str, str] = {
        n: placement.units[k].level for k, ns in names_of.items() if k in placement.units for n in ns
    }
    return assignments, levels, placement.problems
