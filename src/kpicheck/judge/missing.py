"""``no_data``: targets that apply to a unit in a year it reported, with no figure for them."""

from __future__ import annotations

import numpy as np

from kpicheck.judge.notes import Notes
from kpicheck.judge.rules import NO_DATA
from kpicheck.judge.targets import TargetTable, dense_enough, locate_rows


def missing_figures(
    table: TargetTable,
    unit: np.ndarray,
    ind: np.ndarray,
    year: np.ndarray,
    first_year: int,
    notes: Notes,
    exempt: np.ndarray | None = None,
    given: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """One ``no_data`` result per (unit, year reported, indicator whose target applies) without a row.

    ``unit``, ``ind`` and ``year`` are the rows' codes the judging already computed. A unit
    ``exempt`` (per unit code) owes no figure for a share of units: it is counted in its area's.
    ``given`` (unit, indicator, year) are figures kpicheck made for a unit (a share it counted):
    never missing, though they do not make a year one the unit reported.
    """
    plan = table.plan
    n_ind = len(table.ids)
    if n_ind == 0:
        return {}
    judged = year >= first_year
    if not judged.any():
        return {}
    # Presence of each indicator in each (unit, year) the chunk reports: at most a row
    # per pair, so memory follows the rows however far apart the years are.
    u, y = unit[judged], year[judged]
    u0, y0 = int(u.min()), int(y.min())
    n_units, n_years = int(u.max()) - u0 + 1, int(y.max()) - y0 + 1
    key = (u - u0) * n_years + (y - y0)
    if dense_enough(n_units * n_years, len(key)):  # the usual case: no sort needed
        seen = np.zeros(n_units * n_years, dtype=bool)
        seen[key] = True
        pairs, pair_of_row = np.flatnonzero(seen), np.cumsum(seen)[key] - 1
    else:
        pairs, pair_of_row = np.unique(key, return_inverse=True)
    present = np.zeros((len(pairs), n_ind + 1), dtype=bool)  # last slot: unknown indicators
    present[pair_of_row, np.where(ind >= 0, ind, n_ind)[judged]] = True
    # Which targets apply in each year that occurs, found once per (indicator, year).
    years, year_of_pair = np.unique(pairs % n_years + y0, return_inverse=True)
    cell_year = np.tile(years, n_ind)
    cells = locate_rows(table, np.repeat(np.arange(n_ind, dtype=np.int64), len(years)), cell_year)
    applies = cells.exact | cells.after_last | (cells.standing & (cell_year >= plan.period.start))
    by_year = applies.reshape(n_ind, len(years)).T  # (year, indicator)
    mp, kk = np.nonzero(by_year[year_of_pair] & ~present[:, :n_ind])
    if exempt is not None and table.share is not None and table.share.any():
        keep = ~(exempt[pairs[mp] // n_years + u0] & table.share[kk])
        mp, kk = mp[keep], kk[keep]
    if given is not None and len(given[0]):
        keep = ~np.isin(_cell_key(pairs[mp] // n_years + u0, kk, pairs[mp] % n_years + y0), _cell_key(*given))
        mp, kk = mp[keep], kk[keep]
    missing_unit = (pairs[mp] // n_years + u0).astype(np.int64)
    missing_year = (pairs[mp] % n_years + y0).astype(np.int64)
    kk = kk.astype(np.int64)
    p = cells.applies.reshape(n_ind, len(years))[kk, year_of_pair[mp]]
    count = len(kk)
    return {
        "unit": missing_unit,
        "indicator": kk,
        "year": missing_year,
        "status": np.full(count, NO_DATA, dtype=np.int8),
        "op": table.op[p],
        "target": table.threshold[p],
        "target_year": np.where(table.standing[kk], -1, table.year[p]),
        "basis": table.relative[kk].astype(np.int8),
        "baseline_year": np.where(table.relative[kk], table.base_year[kk], -1),
        "expired": missing_year > plan.period.end,
        "note": np.full(count, notes.code("no-figure"), dtype=np.int32),
    }


def _cell_key(unit: np.ndarray, indicator: np.ndarray, year: np.ndarray) -> np.ndarray:
    """One integer per (unit, indicator, year): unit codes and indicator positions are small."""
    high = (unit.astype(np.int64) << 32) | (indicator.astype(np.int64) << 16)
    return high | (year.astype(np.int64) & 0xFFFF)
