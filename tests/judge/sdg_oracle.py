"""sdg-build's per-series progress status, transcribed in plain Python as a test oracle.

Our own transcription of ``SeriesProgress`` in open-sdg/sdg-build ``sdg/ProgressMeasure.py``
(class-based form, commit 139fede7), for one series of non-negative values: the form
kpicheck's data takes. One value at a time, no NumPy, so that it shares no code and no
vectorising trick with ``kpicheck.judge.projection``.
"""

from __future__ import annotations

TARGET_THRESHOLDS = {"high": 0.95, "med": 0.6, "low": 0.0}
GROWTH_THRESHOLDS = {"high": 0.015, "med": 0.005, "low": 0.0}


def sdg_status(
    years: list[int],
    values: list[float],
    *,
    direction: str,
    base_year: int = 2015,
    target: float | None = None,
    target_year: int = 2030,
    limit: float | None = None,
    thresholds: dict[str, float] | None = None,
) -> str:
    """The status sdg-build gives the series; ``error`` where it raises."""
    sign_of_direction = 1 if direction == "positive" else -1
    if target == 0:
        target = 0.001
    series = dict(zip(years, values, strict=True))
    current_year = max(series)
    current = series[current_year]
    if base_year not in series:
        later = [y for y in series if y > base_year]
        if not later:
            return "error"
        base_year = min(later)
    base = series[base_year]
    sign = -1 if base < 0 else 1

    if target is None:
        th = dict(GROWTH_THRESHOLDS, **(thresholds or {}))
        if limit is not None:
            b, lim = abs(base), abs(limit)
            if b >= 2 * lim:
                coeff = 1.0
            elif b <= lim:
                coeff = 1 - (b / lim) ** 4.44
            else:
                coeff = 1 - ((2 * lim - b) / lim) ** 4.44
            th = {k: v * coeff for k, v in th.items()}
    else:
        th = dict(TARGET_THRESHOLDS, **(thresholds or {}))
        achieved = current <= target if sign_of_direction == -1 else current >= target
        if achieved:
            return "target_achieved"

    if base == 0:
        base = 0.001
    if (base > 0 > current) or (base < 0 < current) or current_year - base_year < 1:
        return "not_available"
    observed = (current / base) ** (1 / (current_year - base_year)) - 1
    if target is None:
        value = sign * sign_of_direction * observed
    else:
        if target_year == base_year:
            return "error"
        required = (target / base) ** (1 / (target_year - base_year)) - 1
        if required == 0:
            value = float("nan") if observed == 0 else float("inf") * sign * sign_of_direction * observed
        else:
            value = sign * sign_of_direction * observed / abs(required)
    if value != value:
        return "not_available"
    if value >= th["high"]:
        return "substantial_progress"
    if value >= th["med"]:
        return "moderate_progress"
    if value >= th["low"]:
        return "limited_progress"
    return "deterioration"
