"""The facts of the 2025 reform that plans and data rest on, as data, checked against the registry.

Each fact is one row: the issue's account of huyện Mường Tè, huyện An Lão and the
provinces, and what follows from it for a plan issued for the old district.
"""

from __future__ import annotations

import datetime as dt

import pytest

from helpers import MUONG_TE_2024, MUONG_TE_2025
from kpicheck.units.registry import registry
from kpicheck.units.territory import Territory, parents, rebuilt_from

REG = registry()
MUONG_TE = REG.get("107", "old")

# From 1 July 2025: each new commune on the old district's land, the old units it was made of,
# and whether it lies wholly on that land: all but Hua Bum, old Vàng San with old Hua Bum of
# huyện Nậm Nhùn (the same code 03460 on both maps).
NEW_COMMUNES = [
    (code, name, made_of, "partial" if code == "03460" else "whole")
    for (code, name), made_of in MUONG_TE_2025.items()
]


def _same_name(a: str, b: str) -> bool:
    from kpicheck.names import fold

    return fold(a) == fold(b)


def test_the_old_district_had_fourteen_communes() -> None:
    got = {u.code: u.name for u in REG.area("107", dt.date(2024, 6, 1))}
    assert set(got) == set(MUONG_TE_2024)
    # The office's old list writes "Xã Pa ủ"; names are compared as fold compares them.
    assert all(_same_name(got[c], name) for c, name in MUONG_TE_2024.items())


@pytest.mark.parametrize(("code", "name", "made_of", "where"), NEW_COMMUNES, ids=[c[1] for c in NEW_COMMUNES])
def test_each_new_commune_on_the_old_districts_land(
    code: str, name: str, made_of: set[str], where: str
) -> None:
    unit = REG.get(code, "new")
    assert unit is not None and unit.name == name
    assert {link.old.code for link in REG.predecessors(unit)} == made_of
    assert Territory(REG, MUONG_TE).place(unit) == where


def test_the_old_districts_land_is_in_those_eight_communes_and_no_other() -> None:
    members = Territory(REG, MUONG_TE).members("new")
    assert {(u.code, whole) for u, whole in members} == {(c, w == "whole") for c, _, _, w in NEW_COMMUNES}
    assert len(Territory(REG, MUONG_TE).members("old")) == 14


@pytest.mark.parametrize(
    ("code", "before", "after"),
    [("03433", "Thị trấn Mường Tè", "Xã Bum Tở"), ("03439", "Xã Ka Lăng", "Xã Thu Lũm")],
)
def test_a_code_means_nothing_without_the_date(code: str, before: str, after: str) -> None:
    assert REG.by_code(code, dt.date(2025, 6, 30)).name == before  # type: ignore[union-attr]
    assert REG.by_code(code, dt.date(2025, 7, 1)).name == after  # type: ignore[union-attr]


def test_an_lao_became_five_communes_two_old_units_divided() -> None:
    an_lao = REG.get("313", "old")
    assert an_lao is not None and len(REG.communes(an_lao)) == 17
    land = Territory(REG, an_lao)
    whole = {u.code: u.name for u, inside in land.members("new") if inside}
    assert whole == {
        "11629": "Xã An Lão",
        "11635": "Xã An Trường",
        "11647": "Xã An Quang",
        "11668": "Xã An Khánh",
        "11674": "Xã An Hưng",
    }
    # Thị trấn Trường Sơn went partly into xã An Lão and partly into a ward of the old Kiến An.
    truong_son = {(link.new.name, link.partial) for link in REG.successors("11656")}
    assert truong_son == {("Xã An Lão", True), ("Phường Phù Liễn", True)}
    assert land.place(REG.get("11446", "new")) == "partial"  # type: ignore[arg-type]
    # Thái Sơn was divided between An Khánh and An Lão.
    assert {(link.new.name, link.partial) for link in REG.successors("11662")} == {
        ("Xã An Khánh", True),
        ("Xã An Lão", True),
    }


@pytest.mark.parametrize(("old", "new"), [("94", "Thành phố Cần Thơ"), ("30", "Thành phố Hải Phòng")])
def test_provinces_merged(old: str, new: str) -> None:
    (link,) = REG.successors(old)
    assert (link.new.name, link.partial) == (new, False)


@pytest.mark.parametrize(
    ("code", "dissolved"),
    [
        ("107", dt.date(2025, 7, 1)),  # every district
        ("94", dt.date(2025, 7, 1)),  # Sóc Trăng, merged into Cần Thơ
        ("12", None),  # Lai Châu: the same land on the new map
        ("03451", None),  # xã Mù Cả, unchanged
        ("03466", dt.date(2025, 7, 1)),  # xã Bum Nưa, enlarged: the old unit is gone
    ],
)
def test_which_areas_the_reform_dissolved(code: str, dissolved: dt.date | None) -> None:
    unit = REG.get(code, "old")
    assert unit is not None and Territory(REG, unit).dissolved() == dissolved


def test_parents_across_the_reform() -> None:
    bum_to = REG.get("03433", "new")
    hua_bum = REG.get("03460", "new")
    assert bum_to is not None and hua_bum is not None
    assert [(u.code, part) for u, part in parents(REG, bum_to, "district", "old")] == [("107", False)]
    # Hua Bum holds land of two old districts: partly in each.
    assert [(u.code, part) for u, part in parents(REG, hua_bum, "district", "old")] == [
        ("107", True),
        ("112", True),
    ]
    assert [u.code for u, _ in parents(REG, bum_to, "province", "new")] == ["12"]
    assert parents(REG, bum_to, "district", "new") == []  # no districts on the new map
    assert parents(REG, MUONG_TE, "district", "old") == []  # a district's figures are its own


def test_history_is_rebuilt_only_from_whole_predecessors() -> None:
    bum_nua = REG.get("03466", "new")
    assert bum_nua is not None
    assert {u.code for u in rebuilt_from(REG, bum_nua) or []} == {"03466", "03448"}
    assert rebuilt_from(REG, REG.get("11629", "new")) is None  # type: ignore[arg-type]  # part of Trường Sơn
    assert rebuilt_from(REG, MUONG_TE) is None  # an old unit has no history to rebuild
