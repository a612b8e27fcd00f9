"""The rows a plan is judged on, once its units are known (``places``): shares of communes
computed for the area, history rebuilt onto new communes, and roll-ups.

Which unit goes into which comes from the registry here, as a plain mapping;
the sums themselves are ``judge.rollup`` and ``judge.shares``, which never see
the registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kpicheck.errors import DataError, Problem, UsageError
from kpicheck.frames import category_texts, concat
from kpicheck.judge.rollup import Parents, roll_up, roll_up_column
from kpicheck.judge.shares import shares
from kpicheck.places import COUNTRY, HIERARCHY, Placement, PlaceOptions, key_of, shown_name
from kpicheck.plan.model import Plan
from kpicheck.units.registry import FIRST_NEW_YEAR, Level, MapName, Registry, Unit, map_for_year
from kpicheck.units.territory import Territory, parents, rebuilt_from


@dataclass
class Prepared:
    """A plan's rows, ready to judge, and what the judge needs to know of them."""

    rows: pd.DataFrame
    exempt: set[str] = field(default_factory=set)  # units whose shares their area counts
    dissolved_year: int | None = None  # the first year the plan's area no longer existed
    warnings: list[Problem] = field(default_factory=list)


def prepare(plan: Plan, rows: pd.DataFrame, placement: Placement, options: PlaceOptions) -> Prepared:
    """Shares, then a roll-up if asked, else history rebuilt onto new units."""
    land = placement.territories.get(plan.id)
    gone = land.dissolved() if land is not None else None
    out = Prepared(rows, dissolved_year=gone.year if gone is not None else None)
    share_rows = None
    if placement.labels is not None and any(i.share_of for i in plan.indicators):
        rows, share_rows = _split_shares(plan, rows, placement, out)
    if options.rollup:
        rows = _roll_up(plan, rows, placement, options)
    elif placement.units:
        rows = _rebuild(plan, rows, placement, out)
    if share_rows is not None and len(share_rows):
        computed = _shares(plan, share_rows, placement, options, out)
        if computed is not None:
            rows = concat([rows, _not_given(computed, rows)])
    out.rows = rows
    _tell_partial(rows, placement, options, out)
    return out


def _tell_partial(rows: pd.DataFrame, placement: Placement, options: PlaceOptions, out: Prepared) -> None:
    """Units lying only partly in a unit their figures would go into: flagged in every result they
    touch (``partial``), and said once here, so that a table's reader learns of them too."""
    if "partial" not in rows.columns:
        return
    flagged = rows[rows["partial"].notna().to_numpy() & (rows["partial"].astype(str) != "").to_numpy()]
    if flagged.empty:
        return
    codes = sorted({c for text in flagged["partial"].astype(str) for c in text.split(", ")})
    by_code = {u.code: u for u in placement.units.values()}
    shown = ", ".join(f"{shown_name(by_code[c])} ({c})" if c in by_code else c for c in codes)
    labels = placement.labels or {}
    areas = ", ".join(sorted({labels.get(str(k), (str(k), None))[0] for k in flagged["unit"]}))
    if options.include_partial:
        out.warnings.append(Problem.of("warning.partial-counted", units=shown, areas=areas))
    else:
        out.warnings.append(Problem.of("warning.partial-left-out", units=shown, areas=areas))


# -- shares of communes ------------------------------------------------------------------


def _split_shares(
    plan: Plan, rows: pd.DataFrame, placement: Placement, out: Prepared
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of units answering for a share (communes, for a share of communes), set apart."""
    levels = {i.id: i.share_of.value for i in plan.indicators if i.share_of is not None}
    units = placement.units
    keys = category_texts(rows["unit"])
    level_of = np.array([units[k].level if k in units else "" for k in keys] + [""], dtype=object)
    wanted = np.array([levels.get(str(c), "") for c in rows["indicator"].cat.categories] + [""], dtype=object)
    row_level = level_of[rows["unit"].cat.codes.to_numpy()]
    row_wanted = wanted[rows["indicator"].cat.codes.to_numpy()]
    mask = (row_wanted != "") & (row_level == row_wanted)
    out.exempt = {k for k in keys if k in units and units[k].level in set(levels.values())}
    # A yes/no left empty is not submitted yet: as if the row were absent (the commune is missing).
    blank = np.zeros(len(rows), dtype=bool)
    if "blank" in rows.columns:
        blank = rows["blank"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    return _used(rows[~mask]), _used(rows[mask & ~blank])


def _used(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` renumbered, with only the units they hold as categories."""
    rows = rows.reset_index(drop=True)
    return rows.assign(unit=rows["unit"].cat.remove_unused_categories())


def _shares(
    plan: Plan, rows: pd.DataFrame, placement: Placement, options: PlaceOptions, out: Prepared
) -> pd.DataFrame | None:
    """Each area's share from its communes' yes/no rows: the plan's area, or the units of
    ``--rollup district|province``."""
    units = placement.units
    land = placement.territories.get(plan.id)
    # Shares go where --rollup sends figures by the hierarchy; else (a column, or none) to the area.
    by_hierarchy = options.rollup in HIERARCHY and options.rollup not in rows.columns
    mode = options.rollup if by_hierarchy and options.rollup else "plan"
    keys = category_texts(rows["unit"])
    if mode == "plan" and land is None:
        out.warnings.append(Problem.of("warning.share-without-area", plan=plan.id))
        return None
    ups = _parents(keys, placement, mode, land)
    by_year: dict[tuple[str, int], set[MapName]] = {}
    unit_of_row = np.array(keys, dtype=object)[rows["unit"].cat.codes.to_numpy()]
    for key, year in set(zip(unit_of_row, rows["year"].astype(int), strict=True)):
        for area, _ in ups.get(key, ()):
            by_year.setdefault((area, year), set()).add(units[key].map)
    members: dict[tuple[str, int], list[tuple[str, bool]]] = {}
    for (area, year), maps in by_year.items():
        map_name: MapName = next(iter(maps)) if len(maps) == 1 else map_for_year(year)
        area_unit = units[area]
        listed = Territory(land.registry if land else _registry(), area_unit).members(map_name)
        members[(area, year)] = [(key_of(m), whole) for m, whole in listed]
        for m, _ in listed:
            placement.units.setdefault(key_of(m), m)
            _label(placement, m)
    names = {k: u.code for k, u in units.items()}
    return shares(rows, ups, members, include_partial=options.include_partial, names=names)


def _not_given(computed: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Computed shares, less those the data gives for the area itself: a given share is judged as given."""
    own = set(
        zip(rows["unit"].astype(str), rows["indicator"].astype(str), rows["year"].astype(int), strict=True)
    )
    keep = [
        (u, i, y) not in own or nf
        for u, i, y, nf in zip(
            computed["unit"].astype(str),
            computed["indicator"].astype(str),
            computed["year"].astype(int),
            computed["no_figure"] | computed["not_yes_no"],
            strict=True,
        )
    ]
    return computed[np.array(keep, dtype=bool)].reset_index(drop=True)


# -- roll-ups ------------------------------------------------------------------------------


def _roll_up(plan: Plan, rows: pd.DataFrame, placement: Placement, options: PlaceOptions) -> pd.DataFrame:
    column = options.rollup
    assert column is not None
    if column in rows.columns or column not in HIERARCHY:
        return roll_up_column(plan, rows, column)
    land = placement.territories.get(plan.id)
    keys = category_texts(rows["unit"])
    ups = _parents(keys, placement, column, land)
    names = {k: u.code for k, u in placement.units.items()}
    return roll_up(plan, rows, ups, include_partial=options.include_partial, names=names)


def _parents(keys: list[str], placement: Placement, mode: str, land: Territory | None) -> Parents:
    """The higher units each unit's figures go into, for ``--rollup district|province|plan``."""
    units = placement.units
    if mode == "plan" and land is None:
        raise UsageError(Problem.of("usage.rollup-plan-without-area", column="--rollup"))
    unknown = [k for k in keys if k not in units and k != COUNTRY]
    if unknown:
        raise DataError(Problem.of("data.rollup-unit-unknown", column="--rollup", name=mode, unit=unknown[0]))
    ups: dict[str, list[tuple[str, bool]]] = {}
    for key in keys:
        unit = units.get(key)
        if unit is None:
            continue  # the whole country: above every unit
        if mode == "plan":
            assert land is not None
            where = land.place(unit)
            found: list[tuple[Unit, bool]] = [] if where is None else [(land.area, where == "partial")]
            if unit == land.area:
                found = []
        else:
            level: Level = "district" if mode == "district" else "province"
            target: MapName = "old" if level == "district" else (land.area.map if land else unit.map)
            found = parents(land.registry if land else _registry(), unit, level, target)
        for up, partial in found:
            units.setdefault(key_of(up), up)
            _label(placement, up)
            ups.setdefault(key, []).append((key_of(up), partial))
    return ups


# -- history across the reform -------------------------------------------------------------


def _rebuild(plan: Plan, rows: pd.DataFrame, placement: Placement, out: Prepared) -> pd.DataFrame:
    """History before 2025 rebuilt onto each new unit from the old units it was made of, so that its
    trend and projection continue across the reform. Only where every predecessor came whole (a
    divided commune's share of a count is unknown) and every one reported; rebuilt rows feed the
    series and get no result of their own."""
    units = placement.units
    keys = category_texts(rows["unit"])
    ups: dict[str, list[tuple[str, bool]]] = {}
    needed: dict[str, int] = {}
    for key in keys:
        unit = units.get(key)
        if unit is None or unit.map != "new":
            continue
        olds = rebuilt_from(_registry(), unit)
        if not olds:
            continue
        needed[key] = len(olds)
        for old in olds:
            ups[key_of(old)] = [(key, False)]
    old_keys = [k for k in keys if k in ups]
    if not old_keys:
        return rows
    before = rows[rows["unit"].isin(old_keys).to_numpy() & (rows["year"].to_numpy() < FIRST_NEW_YEAR)]
    if before.empty:
        return rows
    names = {k: u.code for k, u in units.items()}
    rolled = roll_up(plan, before.reset_index(drop=True), ups, names=names, strict=False)
    need = rolled["unit"].astype(str).map(needed).to_numpy()
    whole = (rolled["n_from"].to_numpy() == need) & np.isfinite(rolled["value"].to_numpy())
    rolled = rolled[whole]
    own = set(
        zip(rows["unit"].astype(str), rows["indicator"].astype(str), rows["year"].astype(int), strict=True)
    )
    fresh = [
        (u, i, y) not in own
        for u, i, y in zip(
            rolled["unit"].astype(str), rolled["indicator"].astype(str), rolled["year"], strict=True
        )
    ]
    rolled = rolled[np.array(fresh, dtype=bool)].drop(columns=["built_from", "partial", "n_from"])
    if rolled.empty:
        return rows
    rolled = rolled.assign(history=True)
    built = sorted(set(rolled["unit"].astype(str)))
    shown = "; ".join(
        f"{placement.labels[k][0] if placement.labels else k} ({units[k].code})" for k in built[:5]
    ) + (f" and {len(built) - 5} more" if len(built) > 5 else "")
    out.warnings.append(Problem.of("warning.history-rebuilt", count=len(built), units=shown))
    return concat([rows, rolled.reset_index(drop=True)])


def _label(placement: Placement, unit: Unit) -> None:
    if placement.labels is not None:
        placement.labels.setdefault(key_of(unit), (shown_name(unit), unit.code))


def _registry() -> Registry:
    from kpicheck.units.registry import registry

    return registry()
