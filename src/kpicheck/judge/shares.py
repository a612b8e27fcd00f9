"""Shares of sub-units ("tỷ lệ xã ... đạt tiêu chuẩn"): computed for the area from yes/no rows.

A commune cannot be 48% of communes: each commune says yes or no (1/0, đạt /
không đạt, có / không), and the share is the communes saying yes over all the
communes the area has that year, as the caller lists them. A commune that said
nothing stays in the denominator and gets ``no_data``; one that said something
else gets ``invalid``; no commune is judged against the share's target. A
commune lying only partly in the area is counted only when asked, and named in
``partial`` either way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from kpicheck.frames import category_texts
from kpicheck.judge.rollup import Parents, text_column
from kpicheck.names import fold_all

# What offices write for yes and no, compared as ``names.fold`` compares names.
YES = frozenset(fold_all(["1", "đạt", "có", "yes"]))
NO = frozenset(fold_all(["0", "không đạt", "chưa đạt", "không", "no"]))

Members = Mapping[tuple[str, int], Sequence[tuple[str, bool]]]  # (area, year) -> [(unit, whole)]


def yes_no(frame: pd.DataFrame) -> np.ndarray:
    """1.0 for yes, 0.0 for no, NaN for anything else, per row."""
    value = frame["value"].to_numpy(dtype=np.float64)
    out = np.where(value == 1, 1.0, np.where(value == 0, 0.0, np.nan))
    if "raw_value" in frame.columns:
        raw = frame["raw_value"]
        texts = raw.dropna().astype(str)
        if len(texts):
            folded = dict(zip(texts, fold_all(list(texts)), strict=True))
            for i, text in enumerate(raw):
                word = folded.get(text) if isinstance(text, str) else None
                if word in YES:
                    out[i] = 1.0
                elif word in NO:
                    out[i] = 0.0
    return out


def shares(
    frame: pd.DataFrame,
    parents: Parents,
    members: Members,
    *,
    include_partial: bool = False,
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The share of each area (``parents`` of each unit) in each year an indicator's rows give,
    with a ``no_figure`` row for each member that gave none and a ``not_yes_no`` row for each
    that gave something else. ``members`` lists each area's units in each such year."""
    names = names or {}
    answer = yes_no(frame)
    units = category_texts(frame["unit"])
    unit = np.array(units, dtype=object)[frame["unit"].cat.codes.to_numpy()]
    indicator = frame["indicator"].astype(str).to_numpy()
    year = frame["year"].to_numpy().astype(np.int64)
    given: dict[tuple[str, str, int], list[int]] = {}  # (area, indicator, year) -> rows
    for i, (u, ind, y) in enumerate(zip(unit, indicator, year, strict=True)):
        for area, _ in parents.get(u, ()):
            given.setdefault((area, ind, int(y)), []).append(i)
    records: list[dict[str, object]] = []
    bad = [i for i in range(len(frame)) if np.isnan(answer[i])]
    for (area, ind, y), rows in sorted(given.items()):
        listed = members.get((area, y), ())
        counted = [m for m, whole in listed if whole or include_partial]
        said = {unit[i]: answer[i] for i in rows}
        if not any(m in said for m in counted):
            continue  # only units lying partly in the area answered: nothing of it to count
        yes = sum(1 for m in counted if said.get(m) == 1.0)
        answered = [names.get(m, m) for m in counted if m in said and not np.isnan(said[m])]
        first = min(rows, key=lambda i: int(frame["line"].iloc[i]))
        records.append(
            {
                "unit": area,
                "indicator": ind,
                "year": y,
                "value": 100.0 * yes / len(counted) if counted else np.nan,
                "numerator": float(yes),
                "denominator": float(len(counted)),
                "file": frame["file"].iloc[first],
                "line": int(frame["line"].iloc[first]),
                "built_from": _listed(answered),
                "partial": _listed(names.get(m, m) for m, whole in listed if not whole) or None,
                "counted": True,
            }
        )
        for m in counted:
            if m not in said:
                records.append({"unit": m, "indicator": ind, "year": y, "value": np.nan, "no_figure": True})
    for i in bad:
        records.append(
            {
                "unit": unit[i],
                "indicator": indicator[i],
                "year": int(year[i]),
                "value": frame["value"].iloc[i],
                "file": frame["file"].iloc[i],
                "line": int(frame["line"].iloc[i]),
                "not_yes_no": True,
            }
        )
    out = pd.DataFrame.from_records(records, columns=_COLUMNS)
    for col in ("unit", "indicator", "file"):
        out[col] = out[col].astype("category")
    for col in ("built_from", "partial"):
        out[col] = text_column(out[col].to_numpy(dtype=object))
    out["year"] = out["year"].astype(np.int32)
    out["line"] = out["line"].fillna(-1).astype(np.int64)
    for flag in ("no_figure", "not_yes_no", "counted"):
        out[flag] = out[flag].astype("boolean").fillna(False).to_numpy(dtype=bool)
    return out


_COLUMNS = [
    "unit",
    "indicator",
    "year",
    "value",
    "numerator",
    "denominator",
    "file",
    "line",
    "built_from",
    "partial",
    "no_figure",
    "not_yes_no",
    "counted",
]


def _listed(units: Iterable[str]) -> str:
    return ", ".join(sorted(set(units)))
