"""The unit registry against the facts of the reform of 1 July 2025, with the office's real codes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import unicodedata

import pytest

from helpers import MUONG_TE_2024, MUONG_TE_2025
from kpicheck.units.registry import REFORM, Registry, Unit, registry

BEFORE = dt.date(2025, 6, 30)
AFTER = REFORM
Y2024 = dt.date(2024, 12, 31)


@pytest.fixture(scope="module")
def reg() -> Registry:
    return registry()


def names(units: list[Unit]) -> dict[str, str]:
    return {u.code: u.name for u in units}


# -- the two maps ------------------------------------------------------------------------------


def test_the_old_map_has_63_provinces_696_districts_10035_communes(reg: Registry) -> None:
    levels = [u.level for u in reg.units("old")]
    assert (levels.count("province"), levels.count("district"), levels.count("commune")) == (63, 696, 10_035)


def test_the_new_map_has_34_provinces_3321_communes_and_no_districts(reg: Registry) -> None:
    levels = [u.level for u in reg.units("new")]
    assert (levels.count("province"), levels.count("district"), levels.count("commune")) == (34, 0, 3_321)


def test_the_registry_is_read_once_per_process() -> None:
    assert registry() is registry()


def test_validity_old_map_until_30_june_new_map_from_1_july(reg: Registry) -> None:
    old, new = reg.get("03433", "old"), reg.get("03433", "new")
    assert old is not None and new is not None
    assert (old.valid_from, old.valid_to) == (None, dt.date(2025, 6, 30))
    assert (new.valid_from, new.valid_to) == (dt.date(2025, 7, 1), None)


# -- huyện Mường Tè (Lai Châu, 107) --------------------------------------------------------------
# The district's communes before and after the reform: MUONG_TE_2024, MUONG_TE_2025 (helpers).


def test_muong_te_district_had_14_units(reg: Registry) -> None:
    district = reg.by_code("107", Y2024)
    assert district is not None and district.name == "Huyện Mường Tè"
    assert names(reg.children("107", Y2024)) == MUONG_TE_2024
    assert names(reg.area("107", Y2024)) == MUONG_TE_2024
    assert reg.children("107", AFTER) == []  # no districts on the new map


@pytest.mark.parametrize(
    ("new", "olds"),
    list(MUONG_TE_2025.items()),
    ids=lambda v: str(sorted(v)) if isinstance(v, set) else str(v),  # a set prints in hash order
)
def test_each_new_muong_te_commune_holds_the_land_of_its_old_units(
    reg: Registry, new: tuple[str, str], olds: set[str]
) -> None:
    code, name = new
    unit = reg.by_code(code, AFTER)
    assert unit is not None and unit.name == name and unit.parent == "12"  # Tỉnh Lai Châu
    links = reg.predecessors(unit)
    assert {link.old.code for link in links} == olds
    assert not any(link.partial for link in links)  # none of them was divided


def test_hua_bum_holds_vang_san_of_muong_te_and_hua_bum_of_nam_nhun(reg: Registry) -> None:
    origins = {(link.old.name, reg.parent(link.old).name) for link in reg.predecessors("03460")}  # type: ignore[union-attr]
    assert origins == {("Xã Vàng San", "Huyện Mường Tè"), ("Xã Hua Bum", "Huyện Nậm Nhùn")}


def test_muong_te_land_is_now_in_eight_communes_and_only_hua_bum_lies_partly_outside(reg: Registry) -> None:
    district = reg.get("107", "old")
    assert district is not None
    overlaps = {o.unit.code: o.whole for o in reg.overlaps(district)}
    assert set(overlaps) == {code for code, _ in MUONG_TE_2025}
    assert [code for code, whole in overlaps.items() if not whole] == ["03460"]
    assert reg.successors(district) == []  # a district was abolished, not linked


def test_every_old_muong_te_unit_went_wholly_into_one_new_commune(reg: Registry) -> None:
    for code in MUONG_TE_2024:
        links = reg.successors(code)
        assert len(links) == 1 and not links[0].partial, code
        assert code in MUONG_TE_2025[(links[0].new.code, links[0].new.name)]


@pytest.mark.parametrize(
    ("code", "before", "after"),
    [("03433", "Thị trấn Mường Tè", "Xã Bum Tở"), ("03439", "Xã Ka Lăng", "Xã Thu Lũm")],
)
def test_a_code_means_another_unit_after_the_reform(
    reg: Registry, code: str, before: str, after: str
) -> None:
    old, new = reg.by_code(code, BEFORE), reg.by_code(code, AFTER)
    assert old is not None and new is not None
    assert (old.name, old.map, new.name, new.map) == (before, "old", after, "new")
    assert [u.name for u in reg.find(code, year=2024)] == [before]
    assert [u.name for u in reg.find(code, year=2025)] == [after]
    assert [u.name for u in reg.find(code)] == [before, after]


def test_hierarchy_of_a_commune_on_each_map(reg: Registry) -> None:
    old = reg.by_code("03466", Y2024)
    new = reg.by_code("03466", AFTER)
    assert old is not None and new is not None
    assert [u.name for u in reg.ancestors(old)] == ["Huyện Mường Tè", "Tỉnh Lai Châu"]
    assert [u.name for u in reg.ancestors(new)] == ["Tỉnh Lai Châu"]
    assert reg.parent(new) == reg.by_code("12", AFTER)
    assert len(reg.area("12", AFTER)) == len(reg.children("12", AFTER)) == 38
    assert reg.area("03466", AFTER) == [new]


# -- huyện An Lão (Hải Phòng, 313) ---------------------------------------------------------------

AN_LAO_NEW = {
    "11629": "Xã An Lão",
    "11635": "Xã An Trường",
    "11647": "Xã An Quang",
    "11668": "Xã An Khánh",
    "11674": "Xã An Hưng",
}


def test_an_lao_had_17_units_and_became_5_communes_with_two_divided(reg: Registry) -> None:
    district = reg.get("313", "old")
    assert district is not None and district.name == "Huyện An Lão"
    olds = reg.children("313", Y2024)
    assert len(olds) == 17
    divided = {
        u.name: {(link.new.code, link.new.name) for link in reg.successors(u)}
        for u in olds
        if any(link.partial for link in reg.successors(u))
    }
    assert divided == {
        "Thị trấn Trường Sơn": {
            ("11629", "Xã An Lão"),
            ("11446", "Phường Phù Liễn"),
        },  # a ward of the old Kiến An
        "Xã Thái Sơn": {("11629", "Xã An Lão"), ("11668", "Xã An Khánh")},
    }
    overlaps = {o.unit.code: (o.unit.name, o.whole) for o in reg.overlaps(district)}
    assert overlaps == {**{c: (n, True) for c, n in AN_LAO_NEW.items()}, "11446": ("Phường Phù Liễn", False)}


def test_a_new_commune_names_the_divided_units_it_holds_part_of(reg: Registry) -> None:
    links = {link.old.name: link.partial for link in reg.predecessors("11668")}
    assert links == {"Xã Tân Viên": False, "Xã Mỹ Đức": False, "Xã Thái Sơn": True}


# -- provinces -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("new", "olds"),
    [
        (("92", "Thành phố Cần Thơ"), {"Thành phố Cần Thơ", "Tỉnh Hậu Giang", "Tỉnh Sóc Trăng"}),
        (("31", "Thành phố Hải Phòng"), {"Thành phố Hải Phòng", "Tỉnh Hải Dương"}),
        (("12", "Tỉnh Lai Châu"), {"Tỉnh Lai Châu"}),
    ],
)
def test_provinces_merged_whole(reg: Registry, new: tuple[str, str], olds: set[str]) -> None:
    unit = reg.get(new[0], "new")
    assert unit is not None and unit.name == new[1]
    links = reg.predecessors(unit)
    assert {link.old.name for link in links} == olds
    assert not any(link.partial for link in links)


def test_soc_trang_and_hai_duong_went_into_can_tho_and_hai_phong(reg: Registry) -> None:
    assert [(link.new.name, link.partial) for link in reg.successors("94")] == [("Thành phố Cần Thơ", False)]
    assert [(link.new.name, link.partial) for link in reg.successors("30")] == [
        ("Thành phố Hải Phòng", False)
    ]


# -- the mapping as a whole ----------------------------------------------------------------------


def test_every_unit_is_linked_across_the_reform_and_divided_units_have_several_successors(
    reg: Registry,
) -> None:
    olds = [u for u in reg.units("old") if u.level == "commune"]
    divided = [u for u in olds if any(link.partial for link in reg.successors(u))]
    assert all(reg.successors(u) for u in olds)
    assert len(divided) == 471
    assert sum(len(reg.successors(u)) for u in divided) == 1_033
    assert all(
        len(reg.successors(u)) > 1 and all(link.partial for link in reg.successors(u)) for u in divided
    )
    assert all(reg.predecessors(u) for u in reg.units("new"))


# -- names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "Xã Bum Nưa",
        "Bum Nưa",
        "bum nưa",
        "XÃ BUM NƯA",
        "Xã  Bum\u00a0Nưa",
        " Bum Nưa\u200b ",
        unicodedata.normalize("NFD", "Xã Bum Nưa"),
    ],
)
def test_a_name_is_found_however_it_is_typed(reg: Registry, typed: str) -> None:
    assert [(u.code, u.map) for u in reg.find(typed)] == [("03466", "old"), ("03466", "new")]


@pytest.mark.parametrize(
    ("typed", "official"),
    [
        ("Tỉnh Khánh Hoà", "Tỉnh Khánh Hòa"),
        ("Khánh Hoà", "Tỉnh Khánh Hòa"),
        ("Huyện Yên Thuỷ", "Huyện Yên Thủy"),
        ("Pa Ủ", "Xã Pa ủ"),
        ("xã pa ủ", "Xã Pa ủ"),
        ("Pa Vệ Sủ", "Xã Pa Vệ Sủ"),
    ],
)
def test_tone_mark_place_and_case_do_not_matter(reg: Registry, typed: str, official: str) -> None:
    assert official in [u.name for u in reg.find(typed)]


def test_every_unit_is_found_by_its_name_with_and_without_its_type(reg: Registry) -> None:
    for m in ("old", "new"):
        for unit in reg.units(m):  # type: ignore[arg-type]
            assert unit in reg.find(unit.name), unit
            if not unit.bare_name.isdigit():  # digits alone are read as a code: "Phường 5" needs its type
                assert unit in reg.find(unit.bare_name), unit


def test_a_type_prefix_must_be_the_units_own(reg: Registry) -> None:
    assert [u.name for u in reg.find("Thị trấn Mường Tè")] == ["Thị trấn Mường Tè"]
    assert [u.name for u in reg.find("Huyện Mường Tè")] == ["Huyện Mường Tè"]
    assert reg.find("Phường Bum Nưa") == []


def test_a_name_without_type_gives_every_candidate(reg: Registry) -> None:
    found = [(u.code, u.name, u.map) for u in reg.find("Mường Tè")]
    assert found == [
        ("107", "Huyện Mường Tè", "old"),
        ("03433", "Thị trấn Mường Tè", "old"),
        ("03445", "Xã Mường Tè", "old"),
        ("04021", "Xã Mường Tè", "old"),  # in huyện Vân Hồ, Sơn La
        ("03445", "Xã Mường Tè", "new"),
    ]


def test_a_name_is_valid_in_any_year_its_unit_existed(reg: Registry) -> None:
    assert [u.map for u in reg.find("Bum Nưa", year=2024)] == ["old"]
    assert [u.map for u in reg.find("Bum Nưa", year=2025)] == ["old", "new"]  # both existed in 2025
    assert [u.map for u in reg.find("Bum Nưa", year=2026)] == ["new"]
    assert [u.name for u in reg.find("Pa Vệ Sủ", year=2026)] == []


def test_within_an_area_a_bare_name_narrows_to_the_units_on_its_land(reg: Registry) -> None:
    district = reg.get("107", "old")
    assert district is not None
    assert [u.code for u in reg.find("Mường Tè", year=2024, within=district)] == ["107", "03433", "03445"]
    assert [u.code for u in reg.find("Bum Nưa", year=2024, within=district)] == ["03466"]
    # Across the reform: a new commune on the district's land, even one lying there only partly.
    assert [(u.code, u.map) for u in reg.find("Hua Bum", year=2025, within=district)] == [("03460", "new")]
    assert reg.find("Lai Châu", year=2025, within=district) == []  # the new province is bigger


def test_a_code_that_lost_its_leading_zero_is_found(reg: Registry) -> None:
    assert [(u.name, u.map) for u in reg.find("3466", year=2025)] == [("Xã Bum Nưa", "new")]
    assert [u.name for u in reg.find("12", year=2025)] == ["Tỉnh Lai Châu"]


def test_suggestions_for_a_name_that_is_no_unit(reg: Registry) -> None:
    assert reg.find("Pa Vệ Sử") == []  # so spelt in some lists; the official name has ủ
    assert [(u.code, u.name) for u in reg.suggest("Pa Vệ Sử")] == [("03448", "Xã Pa Vệ Sủ")]
    assert ("03466", "Xã Bum Nưa") in [(u.code, u.name) for u in reg.suggest("xa bum nua")]
    assert reg.suggest("Hua Bun", year=2026)[0].name == "Xã Hua Bum"
    assert reg.suggest("qqqqqq") == []


def test_the_registry_never_imports_the_source_package_or_geometry() -> None:
    code = (
        "import sys\n"
        "from kpicheck.units.registry import registry\n"
        "r = registry(); r.find('Bum Nưa'); r.suggest('Muong Te'); r.overlaps(r.get('107', 'old'))\n"
        "bad = sorted(m for m in ('vietnamadminunits', 'shapely', 'geopy', 'pandas', 'numpy') if m in sys.modules)\n"
        "assert not bad, bad\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
