"""Loading plans strictly: every problem named by file, line and key, all at once."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from helpers import run_cli

# The messages quoted here are the English ones (KPICHECK_LANG=en; test_languages.py has Vietnamese).
pytestmark = pytest.mark.usefixtures("english")

VALID = textwrap.dedent(
    """\
    id: demo
    title: Kế hoạch mẫu
    title_en: Demo plan
    issuer: UBND huyện
    level: district
    area: Huyện A
    period: {start: 2024, end: 2030}
    baseline_year: 2024
    source: {document: Kế hoạch số 1}
    indicators:
      - id: stunting_u5
        name: Tỷ lệ suy dinh dưỡng thấp còi
        name_en: Stunting
        unit: percent
        direction: lower
        targets:
          - {year: 2025, op: "<", value: 25, quote: "xuống dưới 25%"}
    """
)


def validate(tmp_path: Path, text: str, name: str = "demo.yaml") -> tuple[int, list[str]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    run = run_cli("validate", path)
    assert "Traceback" not in run.stderr
    return run.exit_code, run.stderr.strip().splitlines()


def test_valid_plan_passes(tmp_path: Path) -> None:
    assert validate(tmp_path, VALID) == (0, ["1 plan file(s) OK"])


@pytest.mark.parametrize(
    ("old", "new", "line", "key", "words"),
    [
        (
            "unit: percent",
            "unit: percent\n    unit: count",
            15,
            "indicators[0].unit",
            "duplicate key 'unit'",
        ),
        (
            "name_en: Stunting",
            "name_en: Stunting\n    colour: red",
            14,
            "indicators[0].colour",
            "unknown key",
        ),
        (
            "{year: 2025,",
            "{year: 2035,",
            17,
            "indicators[0].targets[0].year",
            "outside the plan period 2024–2030",
        ),
        ('op: "<"', 'op: ">="', 17, "indicators[0].targets[0].op", "contradicts direction 'lower'"),
        (
            "value: 25,",
            "value: 125,",
            17,
            "indicators[0].targets[0].value",
            "above the unit's maximum 100",
        ),
        ("level: district", "level: village", 5, "level", "province"),
        ("area: Huyện A", "area: !!python/object:os.system Huyện A", 6, "area", "tag"),
    ],
)
def test_plan_errors_name_line_and_key(
    tmp_path: Path, old: str, new: str, line: int, key: str, words: str
) -> None:
    code, lines = validate(tmp_path, VALID.replace(old, new))
    assert code == 2
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"kpicheck: error: {tmp_path / 'demo.yaml'}:{line}: {key}"), lines[0]
    assert words in lines[0]


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    text = VALID.replace("{year: 2025,", "{year: 2035,").replace(
        "name_en: Stunting", "name_en: Stunting\n    colour: red"
    )
    code, lines = validate(tmp_path, text)
    assert code == 2
    assert len(lines) == 1  # pydantic shape errors come first; rules run on a well-shaped plan
    text = VALID.replace("{year: 2025,", "{year: 2035,").replace('op: "<"', 'op: ">"')
    code, lines = validate(tmp_path, text)
    assert code == 2 and len(lines) == 2
    assert "outside the plan period" in lines[0] and "contradicts direction" in lines[1]


def test_tabs_are_refused_with_the_line(tmp_path: Path) -> None:
    code, lines = validate(tmp_path, VALID.replace("    unit: percent", "\tunit: percent"))
    assert code == 2
    assert ":14:" in lines[0] and "tabs" in lines[0]


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for name, prev in zip("bcdefghi", "abcdefgh", strict=True):
        bomb += f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
    code, lines = validate(tmp_path, bomb)
    assert code == 2
    assert "alias" in lines[0]


def test_extends_missing_parent_and_cycle(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(VALID.replace("id: demo", "id: a\nextends: b"), encoding="utf-8")
    run = run_cli("validate", tmp_path / "a.yaml", "--targets", tmp_path)
    assert run.exit_code == 2 and "extends 'b', which is not a known plan" in run.stderr
    (tmp_path / "b.yaml").write_text(VALID.replace("id: demo", "id: b\nextends: a"), encoding="utf-8")
    run = run_cli("validate", tmp_path, "--targets", tmp_path)
    assert run.exit_code == 2 and "cycle" in run.stderr


def test_district_plan_extends_and_overrides_parent(tmp_path: Path) -> None:
    (tmp_path / "parent.yaml").write_text(VALID.replace("id: demo", "id: parent"), encoding="utf-8")
    child = VALID.replace("id: demo", "id: child\nextends: parent").replace("value: 25,", "value: 22,")
    child = child.replace("id: stunting_u5", "id: stunting_u5").replace("level: district", "level: commune")
    (tmp_path / "child.yaml").write_text(child, encoding="utf-8")
    rows = run_cli("targets", "child", "--format", "json", "--targets", tmp_path).json()
    assert [(r["indicator"], r["value"]) for r in rows] == [("stunting_u5", 22.0)]


def test_plan_id_must_match_file_name(tmp_path: Path) -> None:
    (tmp_path / "other.yaml").write_text(VALID, encoding="utf-8")
    run = run_cli("targets", "other", "--targets", tmp_path)
    assert run.exit_code == 2 and "must match the file name" in run.stderr


def test_targets_folder_from_environment(tmp_path: Path) -> None:
    (tmp_path / "demo.yaml").write_text(VALID, encoding="utf-8")
    rows = run_cli("targets", "demo", "--format", "json", env={"KPICHECK_TARGETS": str(tmp_path)}).json()
    assert rows[0]["plan"] == "demo"
