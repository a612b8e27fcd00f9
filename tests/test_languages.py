"""Vietnamese first, everywhere: every problem, warning, hint and note in Vietnamese by default and in
English with ``--lang en`` or ``KPICHECK_LANG=en``, on stderr and in every format."""

from __future__ import annotations

import json
import re
import string
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from helpers import SAMPLES, run_cli
from kpicheck.cli import app
from kpicheck.errors import Problem
from kpicheck.judge import notes as judge_notes
from kpicheck.messages import ENGLISH, LANGUAGES, VIETNAMESE, fields, render

CORPUS = Path(__file__).resolve().parent / "corpus"
CASES: dict[str, list[dict[str, Any]]] = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))

# Words of English sentences; none may reach a Vietnamese run outside the user's own text.
ENGLISH_WORDS = re.compile(
    r"\b(the|is|are|not|file|files|line|lines|column|columns|write|missing|ignoring|read as|"
    r"value|values|with|which|has|have|cannot|should|error|warning|no such)\b",
    re.IGNORECASE,
)
# What a message may quote that is not kpicheck's wording: text in quotes (the user's, or a
# header to write), file paths, `commands`, CSV headers kpicheck reads, the header found, encodings'
# names, and what a library or the system said ("chi tiết kỹ thuật").
QUOTED = re.compile(
    r"'[^']*'|\"[^\"]*\"|`[^`]*`|/\S+|\bunit,\S+|Vietnamese ANSI|Unicode text|CSV UTF-8|unknown_indicator"
    r"|hiện có: [^)]*|chi tiết kỹ thuật: [^)]*"
)
# The place a line names: ``FILE:LINE: COLUMN:``, the column as the file's header writes it.
PLACE = re.compile(r"^(:\d+)?(: (unit|indicator|year|value|numerator|denominator|[A-Z]+\d+))?: ")


def english_words(text: str) -> list[str]:
    return ENGLISH_WORDS.findall(QUOTED.sub(" ", text))


def sample_args(code: str) -> dict[str, Any]:
    """Arguments that every template of ``code`` can be rendered with."""
    numeric = {
        "limit",
        "value",
        "maximum",
        "byte",
        "count",
        "first",
        "last",
        "got",
        "expected",
        "size",
        "rows",
        "columns",
    }
    return {name: (7 if name in numeric else "x") for name in fields(code)}


def test_vietnamese_and_english_have_every_code_with_the_same_arguments() -> None:
    assert set(LANGUAGES) == {"vi", "en"}
    assert set(VIETNAMESE) == set(ENGLISH)  # the same codes
    for code in ENGLISH:
        for lang, table in LANGUAGES.items():
            entry = table[code]
            used = {n.split(".")[0].split("[")[0] for t in (entry.message, entry.hint) if t
                    for _, n, _, _ in string.Formatter().parse(t) if n}  # fmt: skip
            assert used == fields(code), (lang, code)
            assert bool(entry.hint) == bool(ENGLISH[code].hint), (lang, code)
            assert entry.title and entry.message, (lang, code)


@pytest.mark.parametrize("code", list(ENGLISH))
def test_each_code_renders_in_both_languages_and_the_vietnamese_has_no_english_sentence(code: str) -> None:
    args = sample_args(code)
    english = render(code, "en", **args)
    vietnamese = render(code, "vi", **args)
    assert english == render(code, **args)  # English is what Problem.of makes
    assert vietnamese != english
    for text in (*vietnamese, VIETNAMESE[code].title):
        assert unicodedata.normalize("NFC", text) == text
        assert english_words(text) == [], (code, text)
    problem = Problem.of(code, "data.csv", 3, "value", **args)
    said = problem.in_language("vi")
    assert (said.code, said.file, said.line, said.column, said.severity, said.args) == (
        code, "data.csv", 3, "value", problem.severity, problem.args
    )  # fmt: skip
    assert (said.message, said.hint) == vietnamese
    assert said.in_language("en") == problem


def test_words_that_are_not_the_users_are_said_in_vietnamese() -> None:
    assert render("data.no-rows", "vi", container="sheet").message.startswith("trang tính có dòng tiêu đề")
    assert render("data.bad-year", "vi", shown="blank").message == "năm không hợp lệ: ô trống"
    assert render("data.bad-year", "vi", shown="'blank'").message == "năm không hợp lệ: 'blank'"
    assert render("data.blank-name", "en", name="unit").message.startswith("unit is blank")


def test_kpicheck_notes_have_both_languages_and_user_text_is_never_translated() -> None:
    assert set(judge_notes.TEMPLATES_VI) == set(judge_notes.TEMPLATES)
    for code, template in judge_notes.TEMPLATES.items():
        args = {n: "'abc'" for _, n, _, _ in string.Formatter().parse(template) if n}
        english = judge_notes.text(code, **args)
        assert judge_notes.translate(english, "vi") == judge_notes.TEMPLATES_VI[code].format(**args)
        assert english_words(judge_notes.TEMPLATES_VI[code]) == []
    assert judge_notes.translate("above 5", "vi") == "above 5"  # a user's own text, left alone


def _run(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args, env=env, catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


CORPUS_RUNS = [(name, case) for name, runs in CASES.items() for case in runs if "command" not in case]


@pytest.mark.parametrize(
    ("name", "case"), CORPUS_RUNS, ids=[f"{name}-{i}" for i, (name, _) in enumerate(CORPUS_RUNS)]
)
def test_no_english_sentence_reaches_a_vietnamese_run(
    name: str, case: dict[str, Any], tmp_path: Path
) -> None:
    """Each file of the hostile-input corpus, in Vietnamese (the default): every line on stderr is
    'kpicheck: lỗi:' or 'kpicheck: cảnh báo:', without English outside the quoted text."""
    path = CORPUS / name
    out = tmp_path / "out.json"
    args = ["evaluate", str(path), "--plan", "muong-te-ct28", "--format", "json", "-o", str(out)]
    code, _, stderr = _run([*args, *case.get("args", [])])
    assert code == case["exit"]
    for line in stderr.splitlines():
        prefix = "kpicheck: lỗi: " if line.startswith("kpicheck: lỗi: ") else "kpicheck: cảnh báo: "
        assert line.startswith(prefix), line
        text = PLACE.sub("", line[len(prefix) :].removeprefix(str(path)))
        assert english_words(text) == [], line
    if code != 2:
        for row in json.loads(out.read_text(encoding="utf-8"))["results"]:
            assert not row["note"] or english_words(row["note"]) == [], row["note"]


def test_english_with_lang_en_or_kpicheck_lang(write_csv: Any) -> None:
    path = write_csv('unit,indicator,year,value\nXã Bum Nưa,stunting_u5,2025,"24,5"\n')
    vi = run_cli("evaluate", path, "--plan", "muong-te-ct28")
    assert vi.stderr == (
        f"kpicheck: lỗi: {path}:2: value: '24,5' có dấu phẩy trong khi số được đọc theo dấu chấm thập phân; "
        "hãy ghi số với dấu chấm thập phân và không có dấu phân cách hàng nghìn, hoặc thêm --decimal , nếu "
        "tệp dùng dấu phẩy thập phân và dấu chấm phân cách hàng nghìn\n"
    )
    en = run_cli("evaluate", path, "--plan", "muong-te-ct28", "--lang", "en")
    assert en.stderr.startswith(f"kpicheck: error: {path}:2: value: '24,5' has a comma")
    assert (
        run_cli("evaluate", path, "--plan", "muong-te-ct28", env={"KPICHECK_LANG": "en"}).stderr == en.stderr
    )
    # --lang wins over the variable.
    assert (
        run_cli(
            "evaluate", path, "--plan", "muong-te-ct28", "--lang", "vi", env={"KPICHECK_LANG": "en"}
        ).stderr
        == vi.stderr
    )


def test_every_command_that_prints_speaks_both(tmp_path: Path) -> None:
    plan = tmp_path / "broken.yaml"
    plan.write_text("id: broken\n", encoding="utf-8")
    vi = run_cli("validate", plan)
    assert vi.exit_code == 2 and vi.stderr.startswith(f"kpicheck: lỗi: {plan}:1: title: thiếu khóa bắt buộc")
    en = run_cli("validate", plan, "--lang", "en")
    assert en.stderr.startswith(f"kpicheck: error: {plan}:1: title: required key is missing")
    assert run_cli("validate").stderr == "4 tệp kế hoạch hợp lệ\n"
    assert run_cli("validate", "--lang", "en").stderr == "4 plan file(s) OK\n"
    assert run_cli("targets", "nope").stderr.startswith("kpicheck: lỗi: không có kế hoạch mã 'nope'")
    assert run_cli("targets", "nope", "--lang", "en").stderr.startswith(
        "kpicheck: error: no plan with id 'nope'"
    )
    out = tmp_path / "t.csv"
    assert run_cli("template", "muong-te-ct28", "--unit", "Xã A", "-o", out).stderr.startswith(
        "đã ghi 14 dòng"
    )
    assert "Chưa đến hạn" not in run_cli("targets", "muong-te-ct28", "--lang", "en").stdout
    bad = run_cli("evaluate", SAMPLES / "muong-te-ct28.csv", "--lang", "fr")
    assert (bad.exit_code, bad.stderr) == (2, "kpicheck: lỗi: --lang: 'fr' không phải một trong vi, en\n")


def test_every_format_carries_kpicheck_notes_in_the_runs_language(write_csv: Any) -> None:
    path = write_csv("unit,indicator,year,value\nXã Bum Nưa,stunting_u5,2025,-3\nXã Bum Nưa,x_y,2025,1\n")
    for fmt in ("json", "csv", "markdown", "junit", "html", "table"):
        vi = run_cli(
            "evaluate", path, "--plan", "muong-te-ct28", "--format", fmt, env={"COLUMNS": "250"}
        ).stdout
        en = run_cli("evaluate", path, "--plan", "muong-te-ct28", "--format", fmt, "--lang", "en",
                     env={"COLUMNS": "250"}).stdout  # fmt: skip
        if fmt in ("json", "csv", "junit"):  # the formats that carry the note column itself
            assert "chưa có số liệu" in vi and "no figure submitted" not in vi, fmt
            assert "no figure submitted" in en and "chưa có số liệu" not in en, fmt
        if fmt in ("json", "csv", "junit"):
            assert "giá trị âm" in vi and "negative value" in en, fmt
    payload = run_cli("evaluate", path, "--plan", "muong-te-ct28", "--format", "json").json()
    assert {r["note"] for r in payload["results"] if r["status"] == "unknown_indicator"} == {
        "không phải chỉ tiêu của kế hoạch muong-te-ct28"
    }


def test_the_python_api_says_problems_and_notes_in_vietnamese_unless_asked(write_csv: Any) -> None:
    import pandas as pd

    import kpicheck

    frame = pd.DataFrame(
        {"unit": ["Xã Bum Nưa"], "indicator": ["stunting_u5"], "year": [2025], "value": [-1]}
    )
    assert kpicheck.evaluate(frame, plan="muong-te-ct28")["note"].iloc[0] == "giá trị âm"
    assert kpicheck.evaluate(frame, plan="muong-te-ct28", lang="en")["note"].iloc[0] == "negative value"
    with pytest.raises(kpicheck.KpicheckError) as caught:
        kpicheck.load_plan("nope")
    assert caught.value.problems[0].message.startswith("không có kế hoạch mã 'nope'")
    with pytest.raises(kpicheck.KpicheckError) as caught:
        kpicheck.load_plan("nope", lang="en")
    assert caught.value.problems[0].message.startswith("no plan with id 'nope'")


@pytest.mark.parametrize(
    ("lang", "until", "none"), [("vi", "đến 30/6/2025", "không có"), ("en", "until 30 Jun 2025", "none")]
)
def test_validate_lists_candidate_units_in_the_runs_language(
    tmp_path: Path, lang: str, until: str, none: str
) -> None:
    """The close units an unknown area is compared with are part of the message: its language too."""
    text = (Path(__file__).parent.parent / "targets" / "muong-te-ct28.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "muong-te-ct28.yaml"
    plan.write_text(re.sub(r"(?m)^area_unit: .*$", 'area_unit: "Huyện Mường Tèe"', text), encoding="utf-8")
    run = run_cli("validate", plan, "--lang", lang)
    assert run.exit_code == 2
    assert f"Huyện Mường Tè (107, {until}, Tỉnh Lai Châu)" in run.stderr
    assert ("until" in run.stderr) == (lang == "en")
    odd = tmp_path / "odd" / "muong-te-ct28.yaml"
    odd.parent.mkdir()
    odd.write_text(re.sub(r"(?m)^area_unit: .*$", 'area_unit: "Zzqx"', text), encoding="utf-8")
    assert run_cli("validate", odd, "--lang", lang).stderr.rstrip().endswith(none)


def test_levels_and_maps_are_said_in_vietnamese() -> None:
    """A level or a map given as an argument is a word of the message, not an English key."""
    assert render("plan.share-level", "vi", level="commune", share="district").message == (
        "kế hoạch cấp xã không thể tính tỷ lệ đơn vị cấp huyện"
    )
    assert render("plan.binds-above-plan", "vi", level="district", binds="province").message == (
        "kế hoạch cấp huyện không thể giao nhiệm vụ cho cấp tỉnh"
    )
    said = render(
        "data.unknown-unit-code",
        "vi",
        unit_code="03436",
        map="new",
        year=2025,
        other="old",
        other_map="old",
        elsewhere="",
    )
    assert "trong danh mục từ 1/7/2025 (năm 2025)" in said.message
    assert said.hint.startswith("trong danh mục trước 1/7/2025: ;") and "--unit-map old" in said.hint
