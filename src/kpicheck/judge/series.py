"""Each unit's time series, for looking up a unit's own value in another year (its baseline)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kpicheck.judge.targets import YEAR_SPAN, dense_enough


@dataclass(frozen=True)
class Series:
    """Valid rows sorted by (unit, indicator, year): each unit's time series, end to end."""

    rows: np.ndarray  # positions in the data, in sorted order
    keys: np.ndarray  # (unit * n_ind + indicator) * YEAR_SPAN + year, sorted
    unit: np.ndarray  # the sorted rows' unit, indicator, year and value
    ind: np.ndarray
    year: np.ndarray
    values: np.ndarray
    n_ind: int
    grid: Grid | None  # the same values by position in a dense cube, when the cube is small

    @classmethod
    def of(
        cls,
        unit: np.ndarray,
        ind: np.ndarray,
        year: np.ndarray,
        value: np.ndarray,
        valid: np.ndarray,
        n_ind: int,
    ) -> Series:
        rows = np.flatnonzero(valid)
        keys = series_key(unit[rows], ind[rows], year[rows], n_ind)
        if not bool(np.all(keys[1:] >= keys[:-1])):  # submissions usually come sorted already
            order = np.argsort(keys, kind="stable")
            rows, keys = rows[order], keys[order]
        su, sk, sy, sv = unit[rows], ind[rows], year[rows], value[rows]
        return cls(rows, keys, su, sk, sy, sv, n_ind, Grid.of(su, sk, sy, sv, n_ind))

    def get(self, unit: np.ndarray, ind: np.ndarray, year: np.ndarray) -> np.ndarray:
        """The value of each (unit, indicator, year), NaN where the data has none."""
        if self.grid is not None:
            return self.grid.get(unit, ind, year)
        keys = series_key(unit, ind, year, self.n_ind)
        pos = np.searchsorted(self.keys, keys)
        pos_ok = pos < len(self.keys)
        hit = pos_ok.copy()
        hit[pos_ok] = self.keys[pos[pos_ok]] == keys[pos_ok]
        out = np.full(len(keys), np.nan)
        out[hit] = self.values[pos[hit]]
        return out


@dataclass(frozen=True)
class Grid:
    """Values in a units × indicators × years cube: a look-up is one index, not a binary search.

    Used when the cube is at most a few times the number of values, as it is
    for a chunk of whole units reporting the same years.
    """

    cube: np.ndarray  # flat, NaN where there is no value
    unit0: int
    n_units: int
    year0: int
    n_years: int
    n_ind: int

    @classmethod
    def of(
        cls, unit: np.ndarray, ind: np.ndarray, year: np.ndarray, values: np.ndarray, n_ind: int
    ) -> Grid | None:
        if len(unit) == 0:
            return None
        unit0, year0 = int(unit.min()), int(year.min())
        n_units, n_years = int(unit.max()) - unit0 + 1, int(year.max()) - year0 + 1
        if not dense_enough(n_units * n_ind * n_years, len(unit)):
            return None
        grid = cls(np.full(n_units * n_ind * n_years, np.nan), unit0, n_units, year0, n_years, n_ind)
        grid.cube[grid._cell(unit, ind, year)] = values
        return grid

    def _cell(self, unit: np.ndarray, ind: np.ndarray, year: np.ndarray) -> np.ndarray:
        return ((unit - self.unit0) * self.n_ind + ind) * self.n_years + (year - self.year0)

    def get(self, unit: np.ndarray, ind: np.ndarray, year: np.ndarray) -> np.ndarray:
        inside = (unit >= self.unit0) & (unit < self.unit0 + self.n_units)
        inside &= (year >= self.year0) & (year < self.year0 + self.n_years)
        out = np.full(len(unit), np.nan)
        out[inside] = self.cube[self._cell(unit[inside], ind[inside], year[inside])]
        return out


def series_key(unit: np.ndarray, ind: np.ndarray, year: np.ndarray, n_ind: int) -> np.ndarray:
    return (unit.astype(np.int64) * max(n_ind, 1) + ind) * YEAR_SPAN + year.astype(np.int64)
