"""Which plan takes which unit when no plan names an area in the registry: by the names plans list
(``plan.assign``; with an area, ``places`` decides, tests/units/test_places.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import plan_text
from kpicheck.errors import DataError
from kpicheck.plan.assign import plan_units
from kpicheck.plan.catalog import Catalog

BODY = """\
indicators:
  - id: stunting_u5
    name: Tỷ lệ trẻ em dưới 5 tuổi bị suy dinh dưỡng thể chiều cao theo tuổi
    name_en: Stunting
    unit: percent
    direction: lower
    targets: [{year: 2025, op: "<", value: 25, quote: "dưới 25%"}]
"""


def _catalog(folder: Path, plans: dict[str, tuple[str, tuple[str, ...]]]) -> Catalog:
    """Plans of the given level listing the given units, and nothing else (no shipped plan)."""
    catalog = Catalog([folder])
    for plan_id, (level, units) in plans.items():
        text = plan_text(plan_id, BODY, start=2024, end=2030, baseline=2024, units=units)
        path = folder / f"{plan_id}.yaml"
        path.write_text(text.replace("level: province", f"level: {level}"), encoding="utf-8")
        catalog.files[plan_id] = path
    return catalog


def test_the_most_specific_plan_listing_a_unit_takes_it_and_a_unit_none_lists_is_a_located_problem(
    tmp_path: Path,
) -> None:
    catalog = _catalog(tmp_path, {"tinh": ("province", ("Xã A", "Xã B")), "huyen": ("district", ("xã a",))})
    where = {"Xã Lạ": ("data.csv", 4)}
    assignments, problems = plan_units(catalog, ["Xã A", "Xã B", "Xã Lạ"], None, lambda u: where[u])
    assert sorted((plan.id, units) for plan, units in assignments) == [
        ("huyen", ["Xã A"]),
        ("tinh", ["Xã B"]),
    ]
    assert [(p.code, p.file, p.line, p.args["unit"]) for p in problems] == [
        ("data.no-plan-for-unit", "data.csv", 4, "Xã Lạ")
    ]


def test_units_no_plan_lists_are_told_ten_then_counted(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path, {"tinh": ("province", ("Xã A",))})
    _, problems = plan_units(catalog, [f"Xã {n:02}" for n in range(25)], None)
    assert [p.code for p in problems] == ["data.no-plan-for-unit"] * 10 + ["data.more-units-without-plan"]
    assert problems[-1].args["count"] == 15


def test_two_plans_of_one_level_listing_a_unit_are_refused(tmp_path: Path) -> None:
    catalog = _catalog(tmp_path, {"mot": ("district", ("Xã A",)), "hai": ("district", ("Xã A",))})
    with pytest.raises(DataError) as caught:
        plan_units(catalog, ["Xã A"], None)
    (problem,) = caught.value.problems
    assert (problem.code, problem.args["plans"]) == ("data.ambiguous-plan", "hai, mot")
