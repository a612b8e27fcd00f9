"""``kpicheck units``: what a user sees for a name or a code, whole outputs against golden files."""

from __future__ import annotations

import os

import pytest

from helpers import GOLDEN, run_cli


@pytest.mark.parametrize(
    ("args", "golden"),
    [
        (["Mường Tè"], "units-muong-te.table"),
        (["huyện an lão", "--year", "2024", "--lang", "en"], "units-an-lao-en.table"),
        (["03433", "--format", "json"], "units-03433.json"),
    ],
)
def test_units_output_matches_golden(args: list[str], golden: str) -> None:
    run = run_cli("units", *args, env={"COLUMNS": "160"})
    assert run.exit_code == 0, run.stderr
    path = GOLDEN / golden
    if os.environ.get("KPICHECK_UPDATE_GOLDEN"):
        path.write_text(run.stdout, encoding="utf-8")
    assert run.stdout == path.read_text(encoding="utf-8")


def test_a_district_shows_the_communes_its_land_is_now_in_and_which_lie_there_only_partly() -> None:
    run = run_cli("units", "107", "--year", "2024", env={"COLUMNS": "200"})
    assert run.exit_code == 0
    assert "→ Xã Hua Bum (03460), chỉ một phần thuộc địa bàn này" in run.stdout
    assert "→ Xã Bum Nưa (03466) " in run.stdout  # wholly inside: no flag
    en = run_cli("units", "107", "--year", "2024", "--lang", "en", env={"COLUMNS": "200"})
    assert "→ Xã Hua Bum (03460), only partly on this land" in en.stdout


def test_a_divided_commune_says_only_part_of_it_went_into_each_new_one() -> None:
    run = run_cli("units", "Thị trấn Trường Sơn", "--format", "json")
    assert run.exit_code == 0
    (unit,) = run.json()
    assert unit["successors"] == [
        {"code": "11446", "name": "Phường Phù Liễn", "partial": True},
        {"code": "11629", "name": "Xã An Lão", "partial": True},
    ]
    table = run_cli("units", "11629", "--year", "2025", env={"COLUMNS": "200"})
    assert "← Thị trấn Trường Sơn (11656, Huyện An Lão), một phần" in table.stdout


def test_json_of_a_new_province_lists_the_provinces_it_merged() -> None:
    run = run_cli("units", "Cần Thơ", "--year", "2026", "--format", "json")
    assert run.exit_code == 0
    (city,) = run.json()
    assert (city["code"], city["name"], city["level"], city["valid_from"]) == (
        "92",
        "Thành phố Cần Thơ",
        "province",
        "2025-07-01",
    )
    assert [(p["name"], p["partial"]) for p in city["predecessors"]] == [
        ("Thành phố Cần Thơ", False),
        ("Tỉnh Hậu Giang", False),
        ("Tỉnh Sóc Trăng", False),
    ]


def test_no_match_is_one_line_with_did_you_mean_and_exit_2() -> None:
    run = run_cli("units", "Pa Vệ Sử")
    assert run.exit_code == 2 and run.stdout == ""
    assert run.stderr == (
        "kpicheck: lỗi: không có đơn vị hành chính nào có tên hoặc mã 'Pa Vệ Sử'; "
        "có phải là Xã Pa Vệ Sủ (03448, đến 30/6/2025, Huyện Mường Tè)?\n"
    )
    english = run_cli("units", "Pa Vệ Sử", "--lang", "en")
    assert english.exit_code == 2
    assert english.stderr == (
        "kpicheck: error: no administrative unit is named or coded 'Pa Vệ Sử'; "
        "did you mean Xã Pa Vệ Sủ (03448, until 30 Jun 2025, Huyện Mường Tè)?\n"
    )
    plain = run_cli("units", "Muong Te", "--year", "2026", "--lang", "en")
    assert plain.exit_code == 2
    assert plain.stderr == (
        "kpicheck: error: no administrative unit is named or coded 'Muong Te'; "
        "did you mean Xã Mường Tè (03445, from 1 Jul 2025, Tỉnh Lai Châu)?\n"
    )
    nothing = run_cli("units", "qqqqqq")
    assert nothing.exit_code == 2
    assert nothing.stderr == (
        "kpicheck: lỗi: không có đơn vị hành chính nào có tên hoặc mã 'qqqqqq'; "
        "hãy kiểm tra chính tả, hoặc đưa vào mã của đơn vị\n"
    )
    nothing = run_cli("units", "qqqqqq", "--lang", "en")
    assert nothing.stderr == (
        "kpicheck: error: no administrative unit is named or coded 'qqqqqq'; "
        "check the spelling, or give the unit's code\n"
    )


def test_a_unit_asked_for_a_year_it_did_not_exist_in_says_when_it_did() -> None:
    run = run_cli("units", "Pa Vệ Sủ", "--year", "2026")
    assert run.exit_code == 2
    assert run.stderr == (
        "kpicheck: lỗi: không có đơn vị hành chính nào có tên hoặc mã 'Pa Vệ Sủ' vào năm 2026; "
        "nếu bỏ --year: Xã Pa Vệ Sủ (03448, đến 30/6/2025, Huyện Mường Tè)\n"
    )
    english = run_cli("units", "Pa Vệ Sủ", "--year", "2026", "--lang", "en")
    assert english.stderr == (
        "kpicheck: error: no administrative unit named or coded 'Pa Vệ Sủ' existed in 2026; "
        "without --year: Xã Pa Vệ Sủ (03448, until 30 Jun 2025, Huyện Mường Tè)\n"
    )


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["x", "--format", "csv"], "lỗi: --format: 'csv' không phải một trong table, json"),
        (["x", "--year", "3000"], "lỗi: --year: 3000 không phải một năm hợp lý; hãy đưa vào một năm từ 1945 đến 2100"),
        (["x", "--lang", "fr"], "lỗi: --lang: 'fr' không phải một trong vi, en"),  # a wrong --lang: Vietnamese
        (["x", "--year", "3000", "--lang", "en"], "error: --year: 3000 is not a plausible year; give a year from 1945 to 2100"),
        (["x", "--format", "csv", "--lang", "en"], "error: --format: 'csv' is not one of table, json"),
    ],
)  # fmt: skip
def test_bad_options_are_one_line_and_exit_2(args: list[str], line: str) -> None:
    run = run_cli("units", *args)
    assert run.exit_code == 2
    assert run.stderr == f"kpicheck: {line}\n"
