"""The plan file format, as pydantic models.

A plan is what a province or district commits to: indicators with targets per
year, standing targets, targets relative to a baseline, and milestones. The
models check shape and types; ``rules.py`` checks what needs the whole plan.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80)]
IndicatorId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=80)]
Text = Annotated[str, Field(min_length=1)]
Finite = Annotated[float, Field(allow_inf_nan=False)]


def _empty() -> list[Any]:
    """The default of the list fields.

    Not ``default_factory=list``: pydantic reads the factory's signature, and
    for a built-in that means parsing its text signature with ``tokenize``,
    about 3 ms of every start-up. A plain function has a real signature.
    """
    return []


class Strict(BaseModel):
    """Unknown keys are errors: a typo in a hand-edited plan must not vanish."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class Op(StrEnum):
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    EQ = "=="


class Basis(StrEnum):
    ABSOLUTE = "absolute"
    RELATIVE = "relative"


class MeasureUnit(StrEnum):
    """Units of measure; each knows its range and how to rebuild a rate."""

    PERCENT = "percent"
    PER_1000 = "per_1000"
    PER_100000 = "per_100000"
    COUNT = "count"

    @property
    def factor(self) -> float | None:
        """Multiplier that turns numerator/denominator into this unit (None: a count)."""
        return _FACTORS[self]

    @property
    def maximum(self) -> float | None:
        """Largest value that can be true in this unit (None: no upper bound)."""
        return _FACTORS[self]


_FACTORS: dict[MeasureUnit, float | None] = {
    MeasureUnit.PERCENT: 100.0,
    MeasureUnit.PER_1000: 1000.0,
    MeasureUnit.PER_100000: 100000.0,
    MeasureUnit.COUNT: None,
}


class Level(StrEnum):
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


class Period(Strict):
    start: int = Field(ge=1945, le=2100)
    end: int = Field(ge=1945, le=2100)


class Source(Strict):
    document: Text
    file: str | None = None
    url: str | None = None


class Goal(Strict):
    """A heading of the plan ("2.1. Đến năm 2025"), used to group indicators."""

    id: Text
    name: Text
    name_en: Text


class Target(Strict):
    """One commitment: ``op value`` in ``year`` (or every year when ``year`` is absent)."""

    year: int | None = Field(default=None, ge=1945, le=2100)
    op: Op
    value: Finite
    basis: Basis = Basis.ABSOLUTE
    baseline_year: int | None = Field(default=None, ge=1945, le=2100)
    section: str | None = None
    quote: Text
    note: str | None = None


class ProgressThresholds(Strict):
    """Where the progress value (observed growth over required growth) changes outlook.

    open-sdg's ``progress_thresholds``, with its defaults: a value of at least
    ``high`` is substantial progress, ``med`` moderate, ``low`` limited, below
    ``low`` deterioration. They apply to indicators heading for a numeric
    target; the growth-rate method (no target ahead) keeps sdg-build's own.
    """

    high: Finite = 0.95
    med: Finite = 0.6
    low: Finite = 0.0

    @model_validator(mode="after")
    def _ordered(self) -> ProgressThresholds:
        if not self.high >= self.med >= self.low:
            raise ValueError(
                f"thresholds must run high >= med >= low (got {self.high:g}, {self.med:g}, {self.low:g})"
            )
        return self


class Indicator(Strict):
    id: IndicatorId
    code: str | None = None
    goal: str | None = None
    name: Text
    name_en: Text
    # Other ways offices write the indicator (a national statistical code, an old name):
    # a row naming one of them is this indicator's.
    aliases: list[Text] = Field(default_factory=_empty)
    unit: MeasureUnit
    direction: Direction
    # A share of sub-units ("tỷ lệ xã ... đạt chuẩn"): a unit of this level reports yes or no, and
    # the share is computed for the area over all its units of that level, never judged per unit.
    share_of: Level | None = None
    targets: list[Target] = Field(default_factory=_empty)
    # The plan's thresholds for this indicator alone.
    progress_thresholds: ProgressThresholds | None = None
    # sdg-build's ``limit``: a value the indicator cannot pass (100 for a coverage rate); the
    # growth-rate method asks less growth of a unit the closer it starts to it.
    limit: Finite | None = Field(default=None, ge=0)
    note: str | None = None

    def target_for(self, year: int) -> Target | None:
        """The target that judges ``year``: the standing one, its own, the next one ahead, or the last.

        The same rule as the engine's, for one year at a time (templates, reports).
        """
        standing = [t for t in self.targets if t.year is None]
        if standing:
            return standing[0]
        dated = sorted((t for t in self.targets if t.year is not None), key=lambda t: t.year or 0)
        ahead = [t for t in dated if (t.year or 0) >= year]
        return ahead[0] if ahead else (dated[-1] if dated else None)


_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


class Milestone(Strict):
    """A task with a deadline: once (``due``) or every year (``due_each_year: MM-DD``)."""

    id: IndicatorId
    name: Text
    name_en: Text
    owner: Text
    due: dt.date | None = None
    due_each_year: str | None = None
    first_year: int | None = Field(default=None, ge=1945, le=2100)
    # The levels whose units carry the task (a district body's report is not due from each
    # commune); absent: every unit named in the milestone file.
    binds: Level | list[Level] | None = None
    section: str | None = None
    quote: Text
    note: str | None = None

    def bound_levels(self) -> set[str] | None:
        """The levels that carry the task, or None for every unit."""
        if self.binds is None:
            return None
        levels = self.binds if isinstance(self.binds, list) else [self.binds]
        return {level.value for level in levels}

    @field_validator("due_each_year")
    @classmethod
    def _month_day(cls, value: str | None) -> str | None:
        if value is None:
            return value
        match = _MONTH_DAY.match(value)
        if not match:
            raise ValueError("write the yearly deadline as MM-DD, for example 12-14")
        dt.date(2000, int(match[1]), int(match[2]))  # raises on 02-30
        return value

    def due_in(self, year: int) -> dt.date | None:
        """The deadline that falls in ``year``, if the milestone has one that year."""
        if self.due is not None:
            return self.due if self.due.year == year else None
        if self.due_each_year is None:
            return None
        if self.first_year is not None and year < self.first_year:
            return None
        month, day = (int(p) for p in self.due_each_year.split("-"))
        return dt.date(year, month, day)


class Plan(Strict):
    """One plan file. ``extends`` names a plan whose indicators this one inherits."""

    schema_: str | None = Field(default=None, alias="$schema")
    id: Slug
    title: Text
    title_en: Text
    issuer: Text
    level: Level
    area: Text  # as the plan says it ("Huyện Mường Tè, tỉnh Lai Châu"), for people
    # The area as an official unit: its code, or its official name, on the map in force when the
    # plan was issued. Absent: the plan covers the units it lists (or any unit when it lists none).
    area_unit: str | None = Field(default=None, min_length=1)
    # When the plan was issued (a date, or only the year when the text leaves the day blank); it
    # decides the map ``area_unit`` is read on. Absent: the period's first year.
    issued: dt.date | Annotated[int, Field(ge=1945, le=2100)] | None = None
    units: list[Text] = Field(default_factory=_empty)
    period: Period
    baseline_year: int | None = Field(default=None, ge=1945, le=2100)
    source: Source
    progress_thresholds: ProgressThresholds | None = None
    extends: Slug | None = None
    goals: list[Goal] = Field(default_factory=_empty)
    indicators: list[Indicator] = Field(default_factory=_empty)
    milestones: list[Milestone] = Field(default_factory=_empty)
    note: str | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def indicator(self, indicator_id: str) -> Indicator | None:
        return next((i for i in self.indicators if i.id == indicator_id), None)

    @property
    def issued_year(self) -> int:
        """The year the plan was issued, or its first year when it does not say."""
        if isinstance(self.issued, dt.date):
            return self.issued.year
        return self.issued if self.issued is not None else self.period.start
