"""Problems as data: every code comes from the one catalogue, is used, is documented, and reads the same.

Each plan rule and each refusal of the plan loader is triggered on a small
plan file: ``kpicheck validate`` exits 2 with one exact line, and the Python
side (``read_plan_file``) raises ``PlanError`` whose problem has the code and
the line.
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import kpicheck
from helpers import ROOT, run_cli
from kpicheck.errors import PlanError, Problem
from kpicheck.messages import ENGLISH, LANGUAGES, fields, readme_block, readme_section, render
from kpicheck.plan.catalog import Catalog, read_plan_file
from kpicheck.read.actuals import read_actuals

SRC = ROOT / "src" / "kpicheck"
CODE = re.compile(r"^(plan|data|output|usage|warning)\.[a-z0-9]+(-[a-z0-9]+)*$")

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
    goals:
      - {id: g1, name: Mục tiêu 1, name_en: Goal 1}
    indicators:
      - id: stunting_u5
        goal: g1
        name: Tỷ lệ suy dinh dưỡng thấp còi
        name_en: Stunting
        unit: percent
        direction: lower
        targets:
          - {year: 2025, op: "<", value: 25, quote: "xuống dưới 25%"}
    milestones:
      - {id: report, name: Báo cáo, name_en: Report, owner: UBND, due: 2025-12-31, quote: "trước 31/12/2025"}
    """
)
TARGET = '{year: 2025, op: "<", value: 25, quote: "xuống dưới 25%"}'
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 10)}]\n" for prev, name in zip("abcde", "bcdef", strict=True)
)

# code; the edits of VALID (old, new), or the whole text; line; key; what the CLI prints after the place.
PLAN_CASES = [
    # The reason is the YAML parser's own (libyaml's or PyYAML's): "…" ends a prefix.
    ("plan.yaml-syntax", [("title: Kế hoạch mẫu", "title: [Kế hoạch mẫu")], 3, None, "not valid YAML: …"),
    ("plan.empty", "# nothing yet\n", None, None, "the file is empty"),
    ("plan.not-mapping", "- id: demo\n", 1, None, "a plan file must be a mapping of keys (id:, title:, ...)"),
    (
        "plan.too-many-values",
        ALIAS_BOMB,
        1,  # the line of the node that was one too many: an 'x' of the first line, through the aliases
        None,
        "more than 200,000 values (an alias bomb?); write the plan without YAML aliases",
    ),
    (
        "plan.tag-not-allowed",
        [("area: Huyện A", "area: !!python/object:os.system Huyện A")],
        6,
        "area",
        "the tag 'tag:yaml.org,2002:python/object:os.system' is not allowed in a plan file; remove it",
    ),
    (
        "plan.tag-not-allowed",  # on a key: refused as on a value, not a crash in PyYAML's constructor
        [("area: Huyện A", "? !!python/object:os.system area\n: Huyện A")],
        6,
        None,
        "the tag 'tag:yaml.org,2002:python/object:os.system' is not allowed in a plan file; remove it",
    ),
    (
        "plan.merge-key",
        [("source: {document: Kế hoạch số 1}", "base: &doc {document: Kế hoạch số 1}\nsource:\n  <<: *doc")],
        11,
        "source",
        "a YAML merge key ('<<') is not supported in a plan file; write the keys out, or build on another "
        "plan with 'extends'",
    ),
    (
        "plan.bad-date",
        [("due: 2025-12-31", "due: 2024-02-30")],
        22,
        "milestones[0].due",
        "'2024-02-30' is not a date; write a real date as YYYY-MM-DD",
    ),
    (
        "plan.invalid-value",  # an explicit tag PyYAML cannot construct: at its line, not a crash
        [("baseline_year: 2024", "baseline_year: !!int twenty")],
        8,
        "baseline_year",
        "cannot be read as a YAML int (got 'twenty')",
    ),
    (
        "plan.not-finite",  # .nan passed validate and .inf made every value met (issue 12)
        [('op: "<", value: 25,', 'op: "<", value: .nan,')],
        20,
        "indicators[0].targets[0].value",
        "nan is not a finite number; write the number the plan states, e.g. 23.2",
    ),
    (
        "plan.not-finite",
        [('op: "<", value: 25,', 'op: "<", value: -.inf,')],
        20,
        "indicators[0].targets[0].value",
        "-inf is not a finite number; write the number the plan states, e.g. 23.2",
    ),
    (
        "plan.duplicate-key",
        [("unit: percent", "unit: percent\n    unit: count")],
        18,
        "indicators[0].unit",
        "duplicate key 'unit' (first on line 17); keep only one",
    ),
    (
        "plan.unknown-key",
        [("name_en: Stunting", "name_en: Stunting\n    colour: red")],
        17,
        "indicators[0].colour",
        "unknown key; check its spelling against `kpicheck schema`",
    ),
    ("plan.missing-key", [("issuer: UBND huyện\n", "")], 1, "issuer", "required key is missing"),
    (
        "plan.invalid-value",
        [("level: district", "level: village")],
        5,
        "level",
        "Input should be 'province', 'district' or 'commune' (got 'village')",
    ),
    (
        "plan.invalid-structure",
        [("source: {document: Kế hoạch số 1}", "source: [Kế hoạch số 1]")],
        9,
        "source",
        "Input should be a valid dictionary or instance of Source",
    ),
    (
        "plan.period-reversed",
        [("start: 2024, end: 2030", "start: 2026, end: 2025"), ("2025-12-31", "2026-12-31")],
        7,
        "period",
        "the period starts in 2026 but ends in 2025",
    ),
    (
        "plan.baseline-after-period",
        [("baseline_year: 2024", "baseline_year: 2031")],
        8,
        "baseline_year",
        "baseline year 2031 is after the period 2024–2030",
    ),
    (
        "plan.duplicate-id",
        [("Goal 1}", "Goal 1}\n  - {id: g1, name: Mục tiêu 2, name_en: Goal 2}")],
        12,
        "goals[1].id",
        "duplicate goal 'g1' (also item 1)",
    ),
    (
        "plan.unknown-goal",
        [("goal: g1", "goal: g9")],
        14,
        "indicators[0].goal",
        "goal 'g9' is not among the plan's goals (g1)",
    ),
    (
        "plan.mixed-standing-target",
        [(TARGET, TARGET + '\n      - {op: "<", value: 30, quote: "dưới 30%"}')],
        19,
        "indicators[0].targets",
        "mixes a standing target (no year) with other targets; keep one kind",
    ),
    (
        "plan.duplicate-target-year",
        [(TARGET, TARGET + '\n      - {year: 2025, op: "<", value: 20, quote: "dưới 20%"}')],
        21,
        "indicators[0].targets[1].year",
        "a second target for 2025 (first is item 1)",
    ),
    (
        "plan.target-year-outside-period",
        [("year: 2025, op", "year: 2035, op")],
        20,
        "indicators[0].targets[0].year",
        "year 2035 is outside the plan period 2024–2030",
    ),
    (
        "plan.op-contradicts-direction",
        [('op: "<"', 'op: ">="')],
        20,
        "indicators[0].targets[0].op",
        "operator '>=' contradicts direction 'lower' (use one of <, <=, ==)",
    ),
    (
        "plan.change-below-minus-100",
        [("value: 25,", "value: -120, basis: relative,")],
        20,
        "indicators[0].targets[0].value",
        "a change cannot be below -100%",
    ),
    (
        "plan.relative-without-baseline",
        [("baseline_year: 2024\n", ""), ("value: 25,", "value: -10, basis: relative,")],
        19,
        "indicators[0].targets[0]",
        "a relative target needs 'baseline_year' (here or on the plan)",
    ),
    (
        "plan.relative-without-year",
        [('year: 2025, op: "<", value: 25,', 'op: "<", value: -10, basis: relative,')],
        20,
        "indicators[0].targets[0].year",
        "a relative target needs the year it is due",
    ),
    (
        "plan.negative-target",
        [("value: 25,", "value: -5,")],
        20,
        "indicators[0].targets[0].value",
        "-5 is negative",
    ),
    (
        "plan.target-above-maximum",
        [("value: 25,", "value: 125,")],
        20,
        "indicators[0].targets[0].value",
        "125 is above the unit's maximum 100",
    ),
    (
        "plan.baseline-on-absolute",
        [("value: 25,", "value: 25, baseline_year: 2024,")],
        20,
        "indicators[0].targets[0].baseline_year",
        "only a relative target has a baseline year",
    ),
    (
        "plan.alias-taken",
        [
            (
                TARGET,
                TARGET + "\n  - {id: wasting_u5, name: Gầy còm, name_en: Wasting, aliases: [Thấp còi, "
                "STUNTING_U5], unit: percent, direction: lower}",
            )
        ],
        21,
        "indicators[1].aliases[1]",
        "the alias 'STUNTING_U5' already names indicator 'stunting_u5'; remove it or write another",
    ),
    (
        "plan.milestone-due-ambiguous",
        [("due: 2025-12-31,", 'due: 2025-12-31, due_each_year: "12-14",')],
        22,
        "milestones[0]",
        "give exactly one of 'due' (a date) or 'due_each_year' (MM-DD)",
    ),
    (
        "plan.share-not-percent",
        [("unit: percent", "unit: count\n    share_of: commune")],
        17,
        "indicators[0].unit",
        "a share of units ('share_of') is a percent, not count; write 'unit: percent'",
    ),
    (
        "plan.share-level",
        [("unit: percent", "unit: percent\n    share_of: district")],
        18,
        "indicators[0].share_of",
        "a district plan cannot count shares of district units; "
        "name a level below the plan's ('share_of: commune' in a district plan)",
    ),
    (
        "plan.binds-above-plan",
        [("owner: UBND,", "owner: UBND, binds: [commune, province],")],
        22,
        "milestones[0].binds",
        "a district plan cannot bind the province level; bind the plan's own level or one below it",
    ),
    (
        "plan.milestone-due-outside-period",
        [("due: 2025-12-31", "due: 2035-12-31")],
        22,
        "milestones[0].due",
        "due 2035-12-31 is outside the period 2024–2030",
    ),
]


def _plan_file(tmp_path: Path, edits: str | list[tuple[str, str]] | bytes, name: str = "demo.yaml") -> Path:
    path = tmp_path / name
    if isinstance(edits, bytes):
        path.write_bytes(edits)
        return path
    text = VALID
    if isinstance(edits, str):
        text = edits
    else:
        for old, new in edits:
            assert text.count(old) == 1, old
            text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path


def _cli_line(problem: Problem) -> str:
    return f"kpicheck: {problem.severity}: {problem}" + (f"; {problem.hint}" if problem.hint else "")


def test_the_valid_plan_of_these_cases_is_valid(tmp_path: Path) -> None:
    run = run_cli("validate", _plan_file(tmp_path, []), "--lang", "en")
    assert (run.exit_code, run.stderr) == (0, "1 plan file(s) OK\n")


@pytest.mark.parametrize(
    ("code", "edits", "line", "key", "shown"),
    PLAN_CASES,
    ids=[f"{case[0]}-{i}" for i, case in enumerate(PLAN_CASES)],
)
def test_each_plan_rule_has_its_code_line_and_one_line_of_stderr(
    tmp_path: Path,
    code: str,
    edits: str | list[tuple[str, str]],
    line: int | None,
    key: str | None,
    shown: str,
) -> None:
    path = _plan_file(tmp_path, edits)
    with pytest.raises(PlanError) as caught:
        read_plan_file(path)
    (problem,) = [p for p in caught.value.problems if p.code == code]
    assert (problem.file, problem.line, problem.column, problem.severity) == (str(path), line, key, "error")
    where = ": ".join(p for p in (str(path) + (f":{line}" if line else ""), key) if p)
    expected = f"kpicheck: error: {where}: {shown}"
    if shown.endswith("…"):
        assert _cli_line(problem).startswith(expected[:-1])
        expected = _cli_line(problem)
    assert _cli_line(problem) == expected
    # The API's text is the place and the message; the hint, rendered from the same arguments, is apart.
    assert str(problem) == f"{where}: {problem.message}"
    assert (problem.message, problem.hint) == render(code, **problem.args)
    assert not problem.hint or problem.hint not in str(problem)
    run = run_cli("validate", path, "--lang", "en")
    assert run.exit_code == 2
    lines = run.stderr.splitlines()
    assert expected in lines
    assert lines == [_cli_line(p) for p in caught.value.problems]


def _refused(code: str, call: Callable[[], object], args: list[str | Path], expected: list[str]) -> None:
    """``call`` raises PlanError with ``code`` once per line, and the CLI prints exactly those lines."""
    with pytest.raises(PlanError) as caught:
        call()
    assert [p.code for p in caught.value.problems] == [code] * len(expected)
    assert [_cli_line(p) for p in caught.value.problems] == expected
    if not args:
        return
    run = run_cli(*args, "--lang", "en")
    assert (run.exit_code, run.stderr.splitlines()) == (2, expected)


def test_a_plan_that_is_not_utf8(tmp_path: Path) -> None:
    path = _plan_file(tmp_path, VALID.encode().replace("Kế hoạch mẫu".encode(), b"K\xe1 ho\xe1ch"))
    expected = [f"kpicheck: error: {path}:2: not UTF-8; save the plan as UTF-8"]
    _refused("plan.not-utf8", lambda: read_plan_file(path), ["validate", path], expected)


def test_a_plan_too_large(tmp_path: Path) -> None:
    path = _plan_file(tmp_path, b"#" * 2_000_001)
    expected = [f"kpicheck: error: {path}: the file is too large to be a plan"]
    _refused("plan.too-large", lambda: read_plan_file(path), ["validate", path], expected)


def test_a_plan_that_cannot_be_read(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.mkdir()
    expected = [f"kpicheck: error: {broken}: cannot read the file: Is a directory"]
    _refused("plan.unreadable", lambda: read_plan_file(broken), ["validate", tmp_path], expected)


def test_a_plan_path_that_does_not_exist(tmp_path: Path) -> None:
    from kpicheck.plan.catalog import plan_files

    path = tmp_path / "missing.yaml"
    expected = [f"kpicheck: error: {path}: no such file or folder"]
    _refused("plan.no-such-path", lambda: plan_files([path]), ["validate", path], expected)


def test_a_targets_folder_that_does_not_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "nowhere"
    expected = [f"kpicheck: error: --targets: {folder} is not a folder of plans"]
    _refused(
        "plan.targets-not-folder",
        lambda: Catalog.discover(folder),
        ["validate", "--targets", folder],
        expected,
    )
    monkeypatch.setenv("KPICHECK_TARGETS", str(folder))
    expected = [f"kpicheck: error: {folder} is not a folder (set by $KPICHECK_TARGETS)"]
    _refused("plan.env-not-folder", lambda: Catalog.discover(), ["validate"], expected)


def test_a_plan_that_extends_an_unknown_plan(tmp_path: Path) -> None:
    path = _plan_file(tmp_path, VALID + "extends: nowhere\n")
    folder = tmp_path / "plans"
    folder.mkdir()
    expected = [f"kpicheck: error: {path}: extends: extends 'nowhere', which is not a known plan"]
    _refused(
        "plan.unknown-parent",
        lambda: Catalog.discover(folder).resolve(read_plan_file(path), path),
        ["validate", "--targets", folder, path],
        expected,
    )


def test_plans_that_extend_each_other(tmp_path: Path) -> None:
    for this, other in (("a", "b"), ("b", "a")):
        text = VALID.replace("id: demo", f"id: {this}") + f"extends: {other}\n"
        _plan_file(tmp_path, text, f"{this}.yaml")
    expected = [
        "kpicheck: error: plans extend each other in a cycle: a -> b -> a",
        "kpicheck: error: plans extend each other in a cycle: b -> a -> b",
    ]
    _refused("plan.extends-cycle", lambda: Catalog.discover(tmp_path).get("a"), [], expected[:1])
    run = run_cli("validate", "--targets", tmp_path, tmp_path, "--lang", "en")
    assert (run.exit_code, run.stderr.splitlines()) == (2, expected)


def test_a_plan_named_by_an_id_that_is_not_its_file_name_or_by_nothing_known(tmp_path: Path) -> None:
    path = _plan_file(tmp_path, VALID.replace("id: demo", "id: other"))
    expected = [
        f"kpicheck: error: {path}: id: the plan id 'other' must match the file name; "
        "rename the file other.yaml, or change the id"
    ]
    catalog = Catalog.discover(tmp_path)
    _refused(
        "plan.id-mismatch", lambda: catalog.get("demo"), ["targets", "demo", "--targets", tmp_path], expected
    )
    # validate refuses it as evaluate does: a plan is found by its file name, so this one never would be.
    run = run_cli("validate", path, "--lang", "en")
    assert (run.exit_code, run.stderr.splitlines()) == (2, expected)
    known = ", ".join(catalog.ids())
    expected = [f"kpicheck: error: no plan with id 'nope' (known: {known})"]
    _refused(
        "plan.not-found", lambda: catalog.get("nope"), ["targets", "nope", "--targets", tmp_path], expected
    )
    missing = str(tmp_path / "missing.yaml")
    expected = [
        f"kpicheck: error: {missing}: --plan: no such plan file; give a plan id (known: {known}) or a plan file"
    ]
    _refused(
        "plan.no-such-file",
        lambda: catalog.load(missing),
        ["targets", missing, "--targets", tmp_path],
        expected,
    )


def _constants(source: Path | ast.AST) -> list[ast.Constant]:
    tree = ast.parse(source.read_text(encoding="utf-8")) if isinstance(source, Path) else source
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value)
    ]


def _sources() -> list[Path]:
    return [p for p in sorted(SRC.rglob("*.py")) if p.name != "messages.py"]


def test_every_plan_code_is_triggered_by_a_test_here() -> None:
    mentioned = {node.value for node in _constants(Path(__file__))}
    assert {c for c in ENGLISH if c.startswith("plan.")} <= mentioned


def test_every_code_in_the_catalogue_is_used_and_every_code_used_is_in_it() -> None:
    used = {node.value for path in _sources() for node in _constants(path)}
    assert sorted(used - set(ENGLISH)) == [], "codes used in src/ but missing from kpicheck.messages"
    assert sorted(set(ENGLISH) - used) == [], "codes in kpicheck.messages that nothing in src/ raises"


def test_each_site_gives_exactly_the_arguments_its_templates_use() -> None:
    """A missing argument would turn a user's mistake into a KeyError: checked here, for every site."""
    reserved = {"code", "file", "line", "column", "lang"}
    checked = 0
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        at_call: set[int] = set()
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
            codes = [a for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            codes = [a for a in codes if CODE.match(a.value)]
            if name not in ("of", "_finding") or not codes:
                continue
            code = codes[0].value
            at_call.add(id(codes[0]))
            given = {k.arg for k in call.keywords} - reserved
            assert None not in given, f"{path}:{call.lineno}: {code} given **arguments"
            assert given == fields(code), f"{path}:{call.lineno}: {code}"
            checked += 1
        for node in _constants(tree):
            if id(node) not in at_call:  # a code kept in a table or a field, rendered without arguments
                assert fields(node.value) == set(), f"{path}:{node.lineno}: {node.value}"
    assert checked > 80
    for code in ENGLISH:
        assert not fields(code) & reserved, code


def test_codes_are_dotted_and_warnings_are_the_warning_family() -> None:
    for code in ENGLISH:
        assert CODE.match(code), code
        assert Problem.of(code, **dict.fromkeys(fields(code), 1)).severity == (
            "warning" if code.startswith("warning.") else "error"
        )


def test_every_language_is_keyed_by_the_same_codes() -> None:
    for lang, table in LANGUAGES.items():
        assert set(table) <= set(ENGLISH), lang
        for code, entry in table.items():
            assert fields(code) == {
                f for t in (entry.message, entry.hint) for f in re.findall(r"\{(\w+)", t)
            }, (lang, code)
    # A language without a code says it in English.
    assert render("data.percent-sign", "xx", text="24%", number="24") == render(
        "data.percent-sign", text="24%", number="24"
    )


def test_the_readme_lists_every_code_as_the_catalogue_has_it() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # After a change to kpicheck.messages: .venv/bin/python scripts/error_catalogue.py
    assert readme_section(readme) == readme_block()
    for code in ENGLISH:
        assert f"| `{code}` |" in readme, code


def test_the_api_leaves_the_hint_out_and_the_cli_prints_it(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"unit": ["Xã A"], "indicator": ["stunting_u5"], "year": ["2025"], "value": ["1.000"]}
    )
    with pytest.raises(kpicheck.KpicheckError) as caught:
        kpicheck.evaluate(frame, plan="muong-te-ct28", lang="en")
    (problem,) = caught.value.problems
    assert problem.code == "data.ambiguous-number"
    assert (problem.file, problem.line, problem.column, problem.args) == (
        "<DataFrame>",
        1,
        "value",
        {"text": "1.000"},
    )
    assert (
        str(caught.value)
        == "<DataFrame>:1: value: '1.000' is ambiguous (decimal mark or thousands separator?)"
    )
    assert "--decimal" in problem.hint
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    run = run_cli("evaluate", path, "--plan", "muong-te-ct28", "--lang", "en")
    assert (run.exit_code, run.stderr) == (
        2,
        f"kpicheck: error: {path}:2: value: '1.000' is ambiguous (decimal mark or thousands separator?); "
        "pass --decimal . if the file writes decimal points (1.000 is one), or --decimal , if it writes "
        "decimal commas and thousands dots (1.000 is a thousand)\n",
    )


def test_read_warnings_are_coded_problems_printed_as_before(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text(
        "unit,indicator,year,value,extra\nXã Bum Nưa,stunting_u5,năm 2025,24,x\n", encoding="utf-8"
    )
    warnings = read_actuals([path]).warnings
    assert [(w.code, w.severity, w.file, w.line) for w in warnings] == [
        ("warning.unknown-columns", "warning", str(path), None),
        ("warning.year-with-word", "warning", str(path), None),
    ]
    run = run_cli("evaluate", path, "--plan", "muong-te-ct28", "--format", "json", "--lang", "en")
    assert run.stderr.splitlines() == [
        f"kpicheck: warning: {path}: ignoring unknown column(s) 'extra'",
        f"kpicheck: warning: {path}: 1 year(s) written with the word 'năm' (first on line 2: 'năm 2025'); "
        "read as the number alone",
    ]


MT_PA_VE_SU = "Xã Pa Vệ Sủ (03448, until 30 Jun 2025, Huyện Mường Tè)"
# code; what replaces "area: Huyện A"; line; key; what the CLI prints after the place. Checked against the
# unit registry by `kpicheck validate` (and by read_plan_file(official=True)), not on every load.
OFFICIAL_CASES = [
    (
        "plan.unknown-area",
        'area: Huyện A\narea_unit: "99999"',
        7,
        "area_unit",
        "no administrative unit is named or coded '99999' in 2024; "
        "give the code of the area on the map of that year (kpicheck units NAME); close: none",
    ),
    (
        "plan.ambiguous-area",
        "area: Huyện A\narea_unit: Mường Tè",
        7,
        "area_unit",
        "'Mường Tè' names several units: Huyện Mường Tè (107, until 30 Jun 2025, Tỉnh Lai Châu), "
        "Thị trấn Mường Tè (03433, until 30 Jun 2025, Huyện Mường Tè), "
        "Xã Mường Tè (03445, until 30 Jun 2025, Huyện Mường Tè), "
        "Xã Mường Tè (04021, until 30 Jun 2025, Huyện Vân Hồ); give the area's code",
    ),
    (
        "plan.unit-not-in-area",
        'area: Huyện A\narea_unit: "107"\nunits: [Xã Pa Vệ Sử]',
        8,
        "units[0]",
        f"'Xã Pa Vệ Sử' is no official unit of Huyện Mường Tè; write the official name; close: {MT_PA_VE_SU}",
    ),
    (
        "plan.ambiguous-unit",
        'area: Huyện A\narea_unit: "107"\nunits: [Mường Tè]',
        8,
        "units[0]",
        "'Mường Tè' names several units: Huyện Mường Tè (107, until 30 Jun 2025, Tỉnh Lai Châu), "
        "Thị trấn Mường Tè (03433, until 30 Jun 2025, Huyện Mường Tè), "
        "Xã Mường Tè (03445, until 30 Jun 2025, Huyện Mường Tè); write the full official name, with its type",
    ),
    (
        # A plan without an area: a misspelt official name is refused, a name of its own making is not.
        "plan.misspelt-unit",
        "area: Huyện A\nunits: [Xã Pa Vệ Sử, Huyện Bắc]",
        7,
        "units[0]",
        f"'Xã Pa Vệ Sử' is no official unit; did you mean {MT_PA_VE_SU}?",
    ),
]


def _csv(text: str) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / "data.csv"
        path.write_text("unit,indicator,year,value,numerator,denominator\n" + text, encoding="utf-8")
        return path

    return write


def _workbook(rows: list[list[object]], far: str | None = None) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        import openpyxl

        book = openpyxl.Workbook()
        for row in [["unit", "indicator", "year", "value"], *rows]:
            book.active.append(row)
        if far:
            book.active[far] = 1
        path = folder / "data.xlsx"
        book.save(path)
        return path

    return write


def _socket(folder: Path) -> Path:
    """A socket under a data file's name: refused without being opened (as a named pipe or a device)."""
    import socket

    path = folder / "data.csv"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
    return path


# The reading codes of issue 12: code; the file; --decimal; (line, column, what the CLI prints after the place).
DATA_CASES = [
    (
        "data.not-a-file",
        _socket,
        None,
        [(None, None, "not a regular file but a socket; give a CSV, .xlsx or .parquet file")],
    ),
    (
        "data.year-out-of-range",
        _csv("Xã A,stunting_u5,20255,24,,\n"),
        None,
        [(2, "year", "year 20255 is outside 1945–2100; write the year the figure is for, e.g. 2025")],
    ),
    (
        "data.comma-in-number",
        _csv('Xã A,stunting_u5,2025,"24,5",,\n'),
        ".",
        [
            (
                2,
                "value",
                "'24,5' has a comma where a number with a decimal point is read; write it with a decimal point "
                "and no thousands separator, or pass --decimal , if the file writes decimal commas and "
                "thousands dots",
            )
        ],
    ),
    (
        "data.point-in-number",
        _csv("Xã A,stunting_u5,2025,24.6,,\n"),
        ",",
        [
            (
                2,
                "value",
                "'24.6' has a point, but with decimal commas a point only groups thousands (1.000); write it as "
                "24,6, or pass --decimal . if the file writes decimal points",
            )
        ],
    ),
    (
        "data.not-finite",
        _csv("Xã A,stunting_u5,2025,24,inf,1000\n"),
        None,
        [(2, "numerator", "'inf' is not a finite number; write a plain number or leave it blank")],
    ),
    (
        "data.formula-without-result",
        _workbook([["Xã A", "stunting_u5", 2025, "=24*1"]]),
        None,
        [
            (
                2,
                "value",
                "cell D2 of sheet 'Sheet' holds a formula saved without its result; open the workbook in Excel "
                "or LibreOffice and save it, so that each formula's result is stored",
            )
        ],
    ),
    (
        "data.sheet-too-large",
        _workbook([["Xã A", "stunting_u5", 2025, 24]], far="ZZ400000"),
        None,
        [
            (
                None,
                None,
                "sheet 'Sheet' reaches cell ZZ400000: a table of 400,000 rows × 702 columns, more than kpicheck "
                "reads (10,000,000 cells); delete the stray cells (Ctrl+End goes to the last one) or copy the "
                "table to a new sheet",
            )
        ],
    ),
    (
        "data.more-problems",
        _csv("".join(f"Xã {i},stunting_u5,năm,24,,\n" for i in range(52))),
        None,
        [(i + 2, "year", "year is 'năm'; write the year as four digits, e.g. 2025") for i in range(50)]
        + [(None, None, "and 2 more problem(s) not listed; correct these and run again")],
    ),
]


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("code", "area", "line", "key", "shown"), OFFICIAL_CASES, ids=[c[0] for c in OFFICIAL_CASES]
)
def test_each_official_unit_rule_has_its_code_line_and_one_line_of_stderr(
    tmp_path: Path, code: str, area: str, line: int, key: str, shown: str
) -> None:
    path = _plan_file(tmp_path, [("area: Huyện A", area)])
    read_plan_file(path)  # loading for evaluate does not read the registry
    with pytest.raises(PlanError) as caught:
        read_plan_file(path, official=True)
    (problem,) = caught.value.problems
    assert (problem.code, problem.file, problem.line, problem.column) == (code, str(path), line, key)
    expected = f"kpicheck: error: {path}:{line}: {key}: {shown}"
    assert _cli_line(problem) == expected
    run = run_cli("validate", path)
    assert (run.exit_code, run.stderr.splitlines()) == (2, [expected])


def test_the_shipped_plans_name_official_units() -> None:
    """Seed 003 lists "Xã Pa Vệ Sử" as some lists spell it; the plan file writes the official name."""
    run = run_cli("validate")
    assert (run.exit_code, run.stderr) == (0, "4 tệp kế hoạch hợp lệ\n")


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("code", "make", "decimal", "expected"), DATA_CASES, ids=[case[0] for case in DATA_CASES]
)
def test_each_reading_code_has_its_place_and_one_line_of_stderr(
    tmp_path: Path,
    code: str,
    make: Callable[[Path], Path],
    decimal: str | None,
    expected: list[tuple[int | None, str | None, str]],
) -> None:
    from kpicheck.errors import DataError
    from kpicheck.read.actuals import ReadOptions

    path = make(tmp_path)
    with pytest.raises(DataError) as caught:
        read_actuals([path], ReadOptions(decimal=decimal))
    problems = caught.value.problems
    assert problems[-1].code == code
    lines = []
    for problem, (line, column, shown) in zip(problems, expected, strict=True):
        file = None if problem.code == "data.more-problems" else str(path)
        assert (problem.file, problem.line, problem.column, problem.severity) == (file, line, column, "error")
        assert (problem.message, problem.hint) == render(problem.code, **problem.args)
        where = ": ".join(p for p in (file and file + (f":{line}" if line else ""), column) if p)
        lines.append(f"kpicheck: error: {where}: {shown}" if where else f"kpicheck: error: {shown}")
        assert _cli_line(problem) == lines[-1]
    args = ["--decimal", decimal] if decimal else []
    run = run_cli("evaluate", path, "--plan", "muong-te-ct28", *args)
    assert (run.exit_code, run.stderr.splitlines()) == (2, lines)


def test_every_reading_code_of_issue_12_is_triggered_by_a_test_here() -> None:
    mentioned = {node.value for node in _constants(Path(__file__))}
    reading = {
        "data.not-a-file",
        "data.sheet-too-large",
        "data.workbook-too-large",  # tests/test_actuals.py: a part past a lowered limit
        "data.formula-without-result",
        "data.year-out-of-range",
        "data.comma-in-number",
        "data.point-in-number",
        "data.not-finite",
        "data.more-problems",
    }
    assert reading <= set(ENGLISH)
    assert reading - {"data.workbook-too-large"} <= {case[0] for case in DATA_CASES}
    assert reading <= mentioned
