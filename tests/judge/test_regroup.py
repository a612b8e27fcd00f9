"""Roll-ups by the registry's hierarchy, across the reform, and shares of communes
(``kpicheck.regroup``, ``judge.rollup``, ``judge.shares``)."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import kpicheck
from helpers import SAMPLES, run_cli

# The messages these tests quote are the English ones; Vietnamese is tested in test_languages.py.
pytestmark = pytest.mark.usefixtures("english")

SAMPLE_2025 = SAMPLES / "muong-te-2025.csv"
WHOLE_2025 = ["03433", "03439", "03442", "03445", "03451", "03463", "03466"]  # on the old district's land
OLD_14 = [
    "03433", "03436", "03439", "03440", "03442", "03445", "03448",
    "03451", "03454", "03457", "03463", "03466", "03467", "03469",
]  # fmt: skip


def evaluate(path: Path, *args: str) -> tuple[dict[tuple[str, str, int], dict[str, Any]], str]:
    run = run_cli("evaluate", path, "--format", "json", *args)
    assert run.exit_code in (0, 1), run.stderr
    results = run.json()["results"]
    keyed = {(r["unit"], r["indicator"], r["year"]): r for r in results}
    # One verdict per unit, indicator and year: a share counted for the district was also told
    # missing (met and no_data for the same figure) before this was checked here.
    twice = Counter((r["unit"], r["indicator"], r["year"]) for r in results) - Counter(keyed.keys())
    assert not twice, twice
    return keyed, run.stderr


def sample() -> pd.DataFrame:
    return pd.read_csv(SAMPLE_2025, dtype={"ma_dvhc": str})


# -- roll-up by the hierarchy, across the reform ---------------------------------------------


def test_rollup_plan_gives_the_old_district_a_2025_figure_from_its_seven_whole_communes() -> None:
    got, stderr = evaluate(SAMPLE_2025, "--rollup", "plan")
    rows = sample()
    whole = rows[
        (rows["year"] == 2025) & rows["ma_dvhc"].isin(WHOLE_2025) & (rows["indicator"] == "stunting_u5")
    ]
    row = got[("Huyện Mường Tè", "stunting_u5", 2025)]
    assert (row["numerator"], row["denominator"]) == (whole["numerator"].sum(), whole["denominator"].sum())
    assert row["value"] == pytest.approx(100 * whole["numerator"].sum() / whole["denominator"].sum())
    assert row["built_from"] == ", ".join(WHOLE_2025)
    # Hua Bum lies only partly on the old district's land: not summed, and named.
    assert row["partial"] == "03460" and "03460" not in row["built_from"]
    assert (row["unit_code"], row["area_dissolved"]) == ("107", True)
    assert "Xã Hua Bum (03460) lie(s) only partly in Huyện Mường Tè: left out of its figures" in stderr
    # 2024, on the old map: all fourteen communes, none partial.
    before = got[("Huyện Mường Tè", "stunting_u5", 2024)]
    assert before["built_from"] == ", ".join(OLD_14) and before["partial"] is None
    assert before["area_dissolved"] is False


def test_partial_include_counts_the_straddling_commune_and_says_so() -> None:
    got, stderr = evaluate(SAMPLE_2025, "--rollup", "plan", "--partial", "include")
    row = got[("Huyện Mường Tè", "stunting_u5", 2025)]
    rows = sample()
    eight = rows[(rows["year"] == 2025) & (rows["indicator"] == "stunting_u5")]
    assert row["denominator"] == eight["denominator"].sum()
    assert "03460" in row["built_from"] and row["partial"] == "03460"
    assert "counted in full, as --partial include asks" in stderr


def test_rollup_district_places_new_communes_on_the_old_districts() -> None:
    got, _ = evaluate(SAMPLE_2025, "--rollup", "district")
    assert got[("Huyện Mường Tè", "stunting_u5", 2025)]["built_from"] == ", ".join(WHOLE_2025)
    # Hua Bum lies partly in huyện Nậm Nhùn too; with nothing else there, Nậm Nhùn has no figure.
    assert not any(unit == "Huyện Nậm Nhùn" for unit, _, _ in got)


def test_rollup_province_keeps_the_plans_map() -> None:
    got, _ = evaluate(SAMPLE_2025, "--rollup", "province")
    rows = {
        year: r for (unit, ind, year), r in got.items() if ind == "stunting_u5" and unit == "Tỉnh Lai Châu"
    }
    assert set(rows) == {2024, 2025} and rows[2025]["unit_code"] == "12"
    assert rows[2025]["partial"] is None  # Hua Bum lies wholly in Lai Châu


def test_a_figure_given_for_the_district_itself_is_judged_as_given(write_csv: Any) -> None:
    path = write_csv(
        "unit,indicator,year,value,numerator,denominator\n"
        "Xã Bum Nưa,stunting_u5,2024,30,30,100\n"
        "Xã Mù Cả,stunting_u5,2024,20,20,100\n"
        "Huyện Mường Tè,stunting_u5,2024,27,270,1000\n"
    )
    got, _ = evaluate(path, "--rollup", "plan")
    row = got[("Huyện Mường Tè", "stunting_u5", 2024)]
    assert (row["value"], row["denominator"], row["built_from"]) == (27.0, 1000.0, None)


def test_rollup_by_the_hierarchy_needs_official_units(write_csv: Any, tmp_path: Path) -> None:
    from helpers import without_area

    path = write_csv("unit,indicator,year,value\nXã 00001,stunting_u5,2024,27\n")
    run = run_cli("evaluate", path, "--plan", without_area(tmp_path), "--rollup", "district")
    assert run.exit_code == 2
    assert "the data has no 'district' column, and 'Xã 00001' is no official unit" in run.stderr
    run = run_cli("evaluate", path, "--plan", without_area(tmp_path), "--rollup", "plan")
    assert run.exit_code == 2 and "--rollup plan needs a plan whose area is an official unit" in run.stderr


# -- rolling up then judging equals judging the hand-summed figures ----------------------------

COUNTS = st.tuples(st.integers(0, 400), st.integers(1, 400)).map(lambda p: (min(p), max(p)))
# 2024 on the old communes, 2025 on the new ones (Hua Bum, partly outside, left out by default).
UNITS_BY_YEAR = st.one_of(
    st.tuples(st.sampled_from(OLD_14), st.just(2024)),
    st.tuples(st.sampled_from([*WHOLE_2025, "03460"]), st.just(2025)),
)


@settings(max_examples=25, deadline=None)
@given(
    figures=st.lists(
        st.tuples(UNITS_BY_YEAR, COUNTS, st.sampled_from(["stunting_u5", "underweight_u5"])),
        min_size=1,
        max_size=30,
        unique_by=lambda f: (f[0], f[2]),
    )
)
def test_rolling_up_then_judging_equals_judging_the_hand_summed_figures(
    figures: list[tuple[tuple[str, int], tuple[int, int], str]],
) -> None:
    frame = pd.DataFrame(
        [
            {"unit_code": code, "indicator": ind, "year": year, "value": 100 * num / den,
             "numerator": num, "denominator": den}
            for (code, year), (num, den), ind in figures
        ]
    )  # fmt: skip
    rolled = kpicheck.evaluate(frame, rollup="plan")
    summed = frame[frame["unit_code"] != "03460"]  # what the district's figures are built from
    assume(len(summed))
    sums = summed.groupby(["indicator", "year"])[["numerator", "denominator"]].sum().reset_index()
    by_hand = sums.assign(unit="Huyện Mường Tè", value=100 * sums["numerator"] / sums["denominator"])
    judged = kpicheck.evaluate(by_hand)
    keep = ["unit", "unit_code", "indicator", "year", "status", "target", "numerator", "denominator"]

    def district(results: pd.DataFrame) -> pd.DataFrame:
        mine = results[(results["unit"] == "Huyện Mường Tè") & results["value"].notna()]
        return mine.sort_values(["indicator", "year"]).reset_index(drop=True)

    mine, theirs = district(rolled), district(judged)
    assert mine[keep].astype(object).equals(theirs[keep].astype(object))
    for col in ("value", "gap", "projected_value"):
        for a, b in zip(mine[col], theirs[col], strict=True):
            assert (pd.isna(a) and pd.isna(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    assert list(mine["outlook"].astype(object)) == list(theirs["outlook"].astype(object))
    # Hua Bum is never in a district figure, and every 2025 figure says it lies partly inside.
    assert not mine["built_from"].astype(str).str.contains("03460").any()
    said = {
        (ind, year): None if pd.isna(flag) else flag
        for ind, year, flag in zip(
            mine["indicator"], mine["year"], mine["partial"].astype(object), strict=True
        )
    }
    for (_, year), _, ind in figures:
        if (ind, year) in said and year == 2025:
            hua_bum = any(c == "03460" and i == ind for (c, _), _, i in figures)
            assert said[(ind, year)] == ("03460" if hua_bum else None)


# -- history rebuilt onto new communes ----------------------------------------------------------


def test_old_commune_history_continues_on_the_new_commune(tmp_path: Path) -> None:
    """New xã Bum Nưa is old Bum Nưa and Pa Vệ Sủ: its 2024 is their summed figures, so its 2025
    outlook is what it would be had the office reported that sum for it."""
    got, stderr = evaluate(SAMPLE_2025)
    assert "history before 2025 rebuilt for 7 new unit(s)" in stderr
    rebuilt = got[("Xã Bum Nưa", "stunting_u5", 2025)]
    rows = sample()
    old = rows[
        (rows["year"] == 2024)
        & rows["ma_dvhc"].isin(["03466", "03448"])
        & (rows["indicator"] == "stunting_u5")
    ]
    new = rows[(rows["year"] == 2025) & (rows["ma_dvhc"] == "03466") & (rows["indicator"] == "stunting_u5")]
    by_hand = tmp_path / "by_hand.csv"
    pd.DataFrame(
        {
            "unit_code": ["03466", "03466"],
            "indicator": ["stunting_u5"] * 2,
            "year": [2024, 2025],
            "value": [100 * old["numerator"].sum() / old["denominator"].sum(), float(new["value"].iloc[0])],
        }
    ).to_csv(by_hand, index=False)
    # 03466 on the new map for 2024 too: the rebuilt figure as if the office had reported it.
    hand, _ = evaluate(by_hand, "--unit-map", "new")
    expected = hand[("Xã Bum Nưa", "stunting_u5", 2025)]
    assert (rebuilt["outlook"], rebuilt["projected_value"]) == (
        expected["outlook"],
        expected["projected_value"],
    )
    assert rebuilt["outlook"] != "not_available"
    # Hua Bum holds old Hua Bum of Nậm Nhùn, which reported nothing: no history, no outlook.
    assert got[("Xã Hua Bum", "stunting_u5", 2025)]["outlook"] == "not_available"
    # The rebuilt 2024 figures feed the series; they are no results of their own.
    assert not any(unit == "Xã Bum Nưa" and year == 2024 and r["unit_code"] == "03466" and r["area_dissolved"]
                   for (unit, _, year), r in got.items())  # fmt: skip


# -- shares of communes -----------------------------------------------------------------------


def share_file(tmp_path: Path, answers: dict[str, str], year: int = 2024) -> Path:
    path = tmp_path / "share.csv"
    path.write_text(
        "unit_code,indicator,year,value\n"
        + "".join(f"{code},child_friendly_communes,{year},{said}\n" for code, said in answers.items()),
        encoding="utf-8",
    )
    return path


def test_a_share_is_counted_over_all_communes_a_missing_one_included(tmp_path: Path) -> None:
    """Thirteen of fourteen communes answer, seven of them yes (1, đạt, có, in any case): the share
    is 7 of 14, not 7 of 13, and the fourteenth is no_data."""
    words = ["1", "đạt", "Có", "ĐẠT", "có", "1", "đạt", "0", "không đạt", "Không", "KHÔNG ĐẠT", "0", "không"]
    answers = dict(zip(OLD_14[:13], words, strict=True))
    got, _ = evaluate(share_file(tmp_path, answers))
    share = got[("Huyện Mường Tè", "child_friendly_communes", 2024)]
    assert (share["value"], share["numerator"], share["denominator"]) == (50.0, 7.0, 14.0)
    assert share["small_numerator"] is False  # communes counted, not events
    assert share["built_from"] == ", ".join(OLD_14[:13])
    missing = got[("Xã Kan Hồ", "child_friendly_communes", 2024)]
    assert (missing["status"], missing["unit_code"], missing["note"]) == (
        "no_data",
        "03469",
        "no figure submitted",
    )
    # No commune is judged against the share's target.
    communes = [r for (unit, ind, _), r in got.items() if unit != "Huyện Mường Tè"]
    assert [r["status"] for r in communes] == ["no_data"]


def test_a_commune_answering_something_else_is_invalid_and_still_counted(tmp_path: Path) -> None:
    answers = dict.fromkeys(OLD_14, "đạt")
    answers["03448"] = "48"  # a commune cannot be 48% of communes
    got, _ = evaluate(share_file(tmp_path, answers))
    bad = got[("Xã Pa Vệ Sủ", "child_friendly_communes", 2024)]
    assert bad["status"] == "invalid" and "reports yes (1, đạt, có) or no" in bad["note"]
    share = got[("Huyện Mường Tè", "child_friendly_communes", 2024)]
    assert (share["numerator"], share["denominator"]) == (13.0, 14.0)


def test_a_share_on_the_new_map_counts_the_communes_of_the_land_and_flags_the_partial(tmp_path: Path) -> None:
    answers = dict.fromkeys([*WHOLE_2025, "03460"], "đạt")
    got, stderr = evaluate(share_file(tmp_path, answers, 2025))
    share = got[("Huyện Mường Tè", "child_friendly_communes", 2025)]
    assert (share["value"], share["denominator"], share["partial"]) == (100.0, 7.0, "03460")
    assert "Xã Hua Bum (03460) lie(s) only partly in Huyện Mường Tè" in stderr
    include, _ = evaluate(share_file(tmp_path, answers, 2025), "--partial", "include")
    assert include[("Huyện Mường Tè", "child_friendly_communes", 2025)]["denominator"] == 8.0


def test_the_districts_own_share_is_judged_as_given(write_csv: Any) -> None:
    path = write_csv(
        "unit,indicator,year,value\n"
        "Huyện Mường Tè,child_friendly_communes,2025,60\n"
        "Xã Bum Nưa,child_friendly_communes,2025,đạt\n"
    )
    got, _ = evaluate(path)
    row = got[("Huyện Mường Tè", "child_friendly_communes", 2025)]
    assert (row["value"], row["status"], row["built_from"]) == (60.0, "met", None)
    assert ("Xã Bum Nưa", "child_friendly_communes", 2025) not in got


def test_a_plan_without_an_area_cannot_count_shares(write_csv: Any, tmp_path: Path) -> None:
    from helpers import without_area

    path = write_csv(
        "unit_code,indicator,year,value\n03466,child_friendly_communes,2024,đạt\n03466,stunting_u5,2024,27\n"
    )
    run = run_cli("evaluate", path, "--plan", without_area(tmp_path), "--format", "json")
    assert "shares of its communes cannot be counted; their rows are left out" in run.stderr
    assert {r["indicator"] for r in run.json()["results"] if r["value"] is not None} == {"stunting_u5"}


@pytest.mark.parametrize(
    ("plan", "shares"),
    [
        (
            "province-ct28",
            {("Chỉ tiêu 1", "child_friendly_communes"), ("Chỉ tiêu 20", "communes_with_play_spaces")},
        ),
        ("soc-trang-ct20", {("2.3(6)", "child_friendly_communes"), ("2.3(6)", "communes_with_play_spaces")}),
        ("muong-te-ct28", {("(1)", "child_friendly_communes"), ("(1)", "communes_with_play_spaces")}),
    ],
)
def test_the_seed_plans_mark_their_shares_of_communes(plan: str, shares: set[tuple[str, str]]) -> None:
    loaded = kpicheck.load_plan(plan)
    marked = {(i.code, i.id) for i in loaded.indicators if i.share_of is not None}
    assert marked == shares
    assert {i.share_of.value for i in loaded.indicators if i.share_of is not None} == {"commune"}
