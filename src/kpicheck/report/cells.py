"""The text of a result's cells as every format shows them: one place for numbers with their unit,
targets with their year, gaps, projections with their year, and indicator names.

A ``row`` is one row of the results table as ``DataFrame.itertuples`` gives it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pandas as pd

from kpicheck.plan.model import Indicator, Plan, Target
from kpicheck.report.labels import UNIT_SUFFIX, Lang, label, note_text, number


def missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


class Cells:
    """Cell texts in one language for the plans of one report."""

    def __init__(self, plans: dict[str, Plan], lang: Lang) -> None:
        self.plans = plans
        self.lang = lang
        self._indicators = {(p.id, i.id): i for p in plans.values() for i in p.indicators}

    def indicator(self, row: Any) -> Indicator | None:
        return self._indicators.get((str(row.plan), str(row.indicator)))

    def name(self, row: Any, code: bool = True) -> str:
        """``(3) Tỷ lệ trẻ em …``: the plan's code and name; the id of an indicator not in the plan."""
        ind = self.indicator(row)
        if ind is None:
            return str(row.indicator)
        text = indicator_name(ind, self.lang)
        return f"{ind.code} {text}" if code and ind.code else text

    def suffix(self, row: Any) -> str:
        """The unit of measure after a number: ``%``, ``‰``, ``/100.000`` or nothing."""
        ind = self.indicator(row)
        return UNIT_SUFFIX[ind.unit.value] if ind is not None else ""

    def value(self, row: Any) -> str:
        """The figure with its unit, ``*`` when resting on few events; an invalid one's note; or —."""
        if not missing(row.value):
            return number(row.value, self.lang, self.suffix(row)) + ("*" if row.small_numerator else "")
        if row.status == "invalid" and not missing(row.note):
            return note_text(str(row.note), self.lang)
        return "—"

    def target(self, row: Any, year: bool = True, standing: bool = True) -> str:
        """``< 25%``, ``>= 71,4% (2030)`` when it is a later year's, ``(hằng năm)`` for a standing one."""
        if missing(row.target):
            return ""
        if row.basis == "relative":
            change = number(row.target, self.lang, "%", signed=True)
            text = f"{row.op} {change} ({label('change_vs', self.lang)} {row.baseline_year})"
        else:
            text = f"{row.op} {number(row.target, self.lang, self.suffix(row))}"
        if not year:
            return text
        if missing(row.target_year):
            return f"{text} ({label('every_year', self.lang)})" if standing else text
        if row.target_year != row.year:
            return f"{text} ({row.target_year})"
        return text

    def gap(self, row: Any, path: bool = True) -> str:
        """Signed, positive when better than required; ``(lộ trình 58,56)`` when measured to the path."""
        if missing(row.gap):
            return ""
        text = number(row.gap, self.lang, signed=True)
        if path and not missing(row.path_value):
            text += f" ({label('path', self.lang)} {number(row.path_value, self.lang)})"
        return text

    def projection_year(self, row: Any) -> int | None:
        """The year a projection is for: the next target year after the row's, else the end of the
        plan's period (a standing target, or none), as ``kpicheck.judge.projection`` chooses it."""
        ind = self.indicator(row)
        if ind is None:
            return None
        ahead = [t.year for t in ind.targets if t.year is not None and t.year > row.year]
        return min(ahead) if ahead else self.plans[str(row.plan)].period.end

    def projection(self, row: Any) -> str:
        """``2030: 84,68% Đúng hướng``: the projected value with its year, then the outlook."""
        if missing(row.outlook):
            return ""
        outlook = label(str(row.outlook), self.lang)
        if missing(row.projected_value):
            return outlook
        year = self.projection_year(row)
        value = number(row.projected_value, self.lang, self.suffix(row))
        return f"{year}: {value} {outlook}" if year else f"{value} {outlook}"

    def status(self, row: Any) -> str:
        return label(str(row.status), self.lang)

    def note(self, row: Any) -> str:
        """kpicheck's remark on the row in this report's language; "" when none. An invalid value's
        remark says what the value was, so a format that shows ``value`` first shows it there."""
        return "" if missing(row.note) else note_text(str(row.note), self.lang)

    def user_note(self, row: Any) -> str:
        """The unit's own note on the row (``user_note``), as it was written; "" when none."""
        note = getattr(row, "user_note", None)
        return "" if missing(note) else str(note)


def tuples(frame: pd.DataFrame, size: int = 2048) -> Iterator[Any]:
    """``frame.itertuples(index=False)``, converted a slice at a time: ``itertuples`` turns every
    column into Python objects first, which for 60,000 results of 30 columns took 100 MB, and a
    page that fills up stops long before its last row."""
    for start in range(0, len(frame), size):
        yield from frame.iloc[start : start + size].itertuples(index=False)


def has_user_notes(rows: pd.DataFrame) -> bool:
    """Whether any row carries a unit's own note: the formats that lay out columns for a person
    add the ``user_note`` column only then, so a report nobody annotated keeps its width."""
    return "user_note" in rows.columns and bool(rows["user_note"].notna().any())


def stated(target: Target, ind: Indicator, plan: Plan, lang: Lang) -> str:
    """A target as the plan states it: ``< 25% (2025)``, ``<= -20% (so với năm 2012, 2015)``,
    ``>= 100% (hằng năm)``."""
    when = str(target.year) if target.year is not None else label("every_year", lang)
    if target.basis.value == "relative":
        base = target.baseline_year or plan.baseline_year
        change = number(target.value, lang, "%", signed=True)
        return f"{target.op.value} {change} ({label('change_vs', lang)} {base}, {when})"
    return f"{target.op.value} {number(target.value, lang, UNIT_SUFFIX[ind.unit.value])} ({when})"


def indicator_name(ind: Indicator, lang: Lang) -> str:
    return ind.name if lang == "vi" else ind.name_en


def plan_title(plan: Plan, lang: Lang) -> str:
    return plan.title if lang == "vi" else plan.title_en
