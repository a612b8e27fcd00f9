"""The command line as a user meets it: exit codes, output, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, SAMPLES, plan_text, run_cli

SAMPLE = SAMPLES / "muong-te-ct28.csv"


def test_evaluate_sample_table_in_vietnamese() -> None:
    run = run_cli("evaluate", SAMPLE, env={"COLUMNS": "260"})
    assert run.exit_code == 1  # the sample misses some targets on purpose
    out = run.stdout
    assert "Kế hoạch thực hiện Chỉ thị số 28-CT/TW" in out
    assert "Dinh dưỡng trẻ em dưới 5 tuổi" in out  # grouped by the plan's goals
    assert "Tỷ lệ trẻ em dưới 5 tuổi bị suy dinh dưỡng thể chiều cao theo tuổi" in out
    assert "Không đạt" in out and "Đạt" in out and "Đúng lộ trình" in out
    assert "< 25%" in out
    assert "+1,44" in out  # Vietnamese decimal comma in the table
    assert "Tổng hợp:" in out
    assert "\x1b[" not in out  # no colour when not a terminal


def test_evaluate_table_in_english() -> None:
    out = run_cli("evaluate", SAMPLE, "--lang", "en").stdout
    assert "Nutrition of children under 5" in out
    assert "Not met" in out and "On track" in out
    assert "+1.44" in out
    assert "Summary:" in out


def test_evaluate_json_contract() -> None:
    run = run_cli("evaluate", SAMPLE, "--format", "json")
    payload = run.json()
    assert set(payload) >= {"summary", "results"}
    assert payload["summary"]["met"] == sum(r["status"] == "met" for r in payload["results"])
    required = {
        "plan",
        "unit",
        "unit_code",
        "indicator",
        "year",
        "value",
        "status",
        "op",
        "target",
        "target_year",
        "gap",
    }
    for result in payload["results"]:
        assert required <= set(result)
    row = next(
        r
        for r in payload["results"]
        if (r["unit"], r["indicator"], r["year"]) == ("Huyện Mường Tè", "child_friendly_communes", 2027)
    )
    assert (row["status"], row["gap"], row["target"], row["target_year"]) == (
        "on_track",
        1.44,
        71.4,
        2030,
    )


def test_exit_code_zero_when_nothing_fails(write_csv) -> None:  # type: ignore[no-untyped-def]
    data = write_csv("unit,indicator,year,value\nXã Bum Nưa,stunting_u5,2025,20\n")
    run = run_cli("evaluate", data, "--fail-on", "not_met")
    assert run.exit_code == 0, run.stdout


def test_fail_on_no_data_when_asked(write_csv) -> None:  # type: ignore[no-untyped-def]
    data = write_csv("unit,indicator,year,value\nXã Bum Nưa,stunting_u5,2025,20\n")
    assert run_cli("evaluate", data).exit_code == 0  # no_data is reported, not failed
    assert run_cli("evaluate", data, "--fail-on", "no_data").exit_code == 1


def test_unknown_fail_on_status_is_a_usage_error() -> None:
    run = run_cli("evaluate", SAMPLE, "--fail-on", "bogus", "--lang", "en")
    assert run.exit_code == 2
    assert "unknown status bogus" in run.stderr


def test_bad_data_file_is_one_line_exit_2(write_csv) -> None:  # type: ignore[no-untyped-def]
    data = write_csv("unit,indicator,value\nXã Bum Nưa,stunting_u5,20\n")
    run = run_cli("evaluate", data, "--lang", "en")
    assert run.exit_code == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1
    assert str(data) in lines[0] and "missing column 'year'" in lines[0]
    assert "Traceback" not in run.stderr


def test_missing_file_is_exit_2(tmp_path: Path) -> None:
    run = run_cli("evaluate", tmp_path / "nope.csv")
    assert run.exit_code == 2
    assert "nope.csv" in run.stderr


def test_unknown_plan_is_exit_2() -> None:
    run = run_cli("evaluate", SAMPLE, "--plan", "nope", "--lang", "en")
    assert run.exit_code == 2
    assert "no plan with id 'nope'" in run.stderr


def test_unknown_option_is_exit_2() -> None:
    assert run_cli("evaluate", SAMPLE, "--bogus").exit_code == 2


def test_output_file_written_and_input_never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    run = run_cli("evaluate", SAMPLE, "--format", "json", "-o", out)
    assert run.exit_code == 1 and run.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["met"] > 0
    data = tmp_path / "copy.csv"
    data.write_bytes(SAMPLE.read_bytes())
    run = run_cli("evaluate", data, "-o", data, "--lang", "en")
    assert run.exit_code == 2 and "refusing to overwrite an input file" in run.stderr
    assert data.read_bytes() == SAMPLE.read_bytes()


@pytest.mark.parametrize("fmt", ["csv", "json"])  # csv -o streams, json is rendered whole
def test_a_file_found_in_a_folder_or_pattern_is_never_overwritten(tmp_path: Path, fmt: str) -> None:
    folder = tmp_path / "nop"
    folder.mkdir()
    data = folder / "xa.csv"
    data.write_bytes(SAMPLE.read_bytes())
    for given in (folder, folder / "*.csv"):
        run = run_cli("evaluate", given, "--format", fmt, "-o", data, "--lang", "en")
        assert run.exit_code == 2 and f"{data}: refusing to overwrite an input file" in run.stderr
        assert data.read_bytes() == SAMPLE.read_bytes()


def test_targets_json_contract() -> None:
    rows = run_cli("targets", "muong-te-ct28", "--format", "json").json()
    keys = {
        "plan",
        "indicator",
        "code",
        "name",
        "name_en",
        "unit",
        "direction",
        "year",
        "op",
        "value",
        "basis",
        "baseline_year",
        "quote",
    }
    assert all(keys <= set(r) for r in rows)
    stunting = [(r["year"], r["op"], r["value"]) for r in rows if r["indicator"] == "stunting_u5"]
    assert stunting == [(2025, "<", 25.0), (2030, "<", 20.0)]


def test_targets_table() -> None:
    out = run_cli("targets", "muong-te-ct28").stdout
    assert "Tỷ lệ huy động trẻ em 5 tuổi đi học mẫu giáo" in out
    assert "> 99,1%" in out


def test_targets_table_prints_plan_text_literally(tmp_path: Path) -> None:
    # Plan text is data, not Rich markup: "[sic]" must not vanish as a style tag.
    body = """\
    indicators:
      - id: stunting
        code: "[a]"
        name: "[sic] Tỷ lệ suy dinh dưỡng thấp còi"
        name_en: Stunting
        unit: percent
        direction: lower
        targets:
          - {year: 2025, op: "<", value: 20, quote: "dưới 20%"}
    milestones:
      - {id: m1, name: "[b] Ban hành kế hoạch", name_en: Plan, owner: "[UBND]", due: 2025-06-30, quote: x}
    """
    (tmp_path / "literal.yaml").write_text(
        plan_text("literal", body, start=2021, end=2030, baseline=2020), encoding="utf-8"
    )
    run = run_cli("targets", "literal", "--targets", tmp_path)
    assert run.exit_code == 0, run.stderr
    for text in ("[a]", "[sic] Tỷ lệ suy dinh dưỡng thấp còi", "[b] Ban hành kế hoạch", "[UBND]"):
        assert text in run.stdout


def test_validate_bundled_targets() -> None:
    run = run_cli("validate", ROOT / "targets")
    assert run.exit_code == 0, run.stderr


def test_schema_is_json_schema_of_plans() -> None:
    schema = run_cli("schema").json()
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"id", "indicators", "period"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False


@pytest.mark.slow
def test_installed_entry_point_runs_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("", encoding="utf-8")
    exe = Path(sys.executable).parent / "kpicheck"
    proc = subprocess.run(
        [str(exe), "evaluate", str(bad)],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("kpicheck: lỗi: ") and "tệp trống" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_help_and_version_do_not_import_pandas() -> None:
    code = (
        "import sys\n"
        "from kpicheck.cli import app\n"
        "from typer.testing import CliRunner\n"
        "for args in (['--help'], ['--version'], ['validate'], ['targets', '--format', 'json'], ['schema'],\n"
        "             ['units', 'Mường Tè', '--format', 'json']):\n"
        "    r = CliRunner().invoke(app, args)\n"
        "    assert r.exit_code == 0, (args, r.output)\n"
        "assert 'pandas' not in sys.modules and 'pyarrow' not in sys.modules, 'pandas or pyarrow imported'\n"
        "assert 'vietnamadminunits' not in sys.modules and 'shapely' not in sys.modules\n"
        # rich (~20 ms to import) is for the tables only: `targets` without --format json.
        "assert 'rich' not in sys.modules, 'rich imported'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr


def test_targets_tables_and_validating_files_do_not_import_pandas() -> None:
    """The plan commands a person types most, with the output they print, stay light."""
    code = (
        "import sys\n"
        "from kpicheck.cli import app\n"
        "from typer.testing import CliRunner\n"
        "for args in (['targets', 'muong-te-ct28'], ['targets'], ['validate', 'targets', 'samples/x.yaml']):\n"
        "    r = CliRunner().invoke(app, args)\n"
        "    assert r.exit_code in (0, 2) and 'Traceback' not in r.output, (args, r.output)\n"
        "    print(args[0], r.exit_code)\n"
        "assert 'pandas' not in sys.modules, 'pandas imported'\n"
        "assert 'pyarrow' not in sys.modules, 'pyarrow imported'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "targets 0\ntargets 0\nvalidate 2\n"  # a missing plan file is bad input


@pytest.mark.slow
def test_quiet_summary_in_a_pipe_is_plain_text_without_rich() -> None:
    """A CI log gets one uncoloured line, and the run does not pay for importing Rich."""
    code = (
        "import sys\n"
        "from kpicheck.cli import main\n"
        "sys.argv = ['kpicheck', 'evaluate', 'samples/muong-te-ct28.csv', '--quiet']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('rich' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout == "False\n", proc.stderr
    assert proc.stderr.startswith("Tổng hợp: ") and proc.stderr.count("\n") == 1
    assert "\x1b[" not in proc.stderr


def test_pre_commit_hooks_run_kpicheck_on_data_and_plan_files() -> None:
    import re

    import yaml

    hooks = {
        h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    }
    data_hook, plan_hook = hooks["kpicheck"], hooks["kpicheck-validate"]
    assert data_hook["entry"].split()[:2] == ["kpicheck", "evaluate"]
    assert re.search(data_hook["files"], "submissions/2025/muong-te.csv")
    assert re.search(data_hook["exclude"], "targets/x.csv")
    assert re.search(plan_hook["files"], "targets/muong-te-ct28.yaml")
    # The entry works as pre-commit calls it: the command plus the changed files.
    args = [*data_hook["entry"].split()[1:], str(SAMPLE)]
    run = run_cli(*args)
    # What failed, not just the counts: the failing results, then the summary line.
    assert run.exit_code == 1 and "Kết quả cần xử lý" in run.stdout and "27,9%" in run.stdout
    assert run.stdout.rstrip().splitlines()[-1].startswith("Tổng hợp:")


def test_whole_samples_folder_in_one_run() -> None:
    """Folders mix data and milestone files; each unit goes to the plan that names it."""
    run = run_cli("evaluate", SAMPLES, "--format", "json", "--as-of", "2024-12-20")
    assert run.exit_code == 1, run.stderr
    payload = run.json()
    assert {r["plan"] for r in payload["results"]} == {"muong-te-ct28", "province-ct28", "soc-trang-ct20"}
    assert {m["plan"] for m in payload["milestones"]} == {"an-lao-ct28"}
    assert payload["summary"]["overdue"] > 0 and payload["summary"]["done"] > 0


def test_shipped_schema_file_is_current() -> None:
    """Plan files point editors at plan.schema.json next to the targets folder; keep it in step.

    Regenerate with: kpicheck schema > src/kpicheck/plan.schema.json
    """
    shipped = ROOT / "src" / "kpicheck" / "plan.schema.json"
    assert json.loads(shipped.read_text(encoding="utf-8")) == run_cli("schema").json()
    for plan in (ROOT / "targets").glob("*.yaml"):
        assert plan.read_text(encoding="utf-8").startswith(
            "# yaml-language-server: $schema=../plan.schema.json"
        )


def test_a_bug_is_one_line_and_exit_3(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """An unexpected error is kpicheck's fault: said so, no traceback, a distinct exit code."""
    import pytest

    from kpicheck import cli

    def broken(**kwargs: object) -> None:
        raise KeyError("denominator")

    monkeypatch.setattr(cli, "app", broken)
    monkeypatch.delenv(cli.DEBUG_VAR, raising=False)
    monkeypatch.delenv(cli.LANG_VAR, raising=False)
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 3
    err = capsys.readouterr().err
    assert err.startswith("kpicheck: lỗi nội bộ (KeyError: 'denominator'); đây là lỗi của kpicheck")
    assert err.count("\n") == 1 and "Traceback" not in err
    monkeypatch.setenv(cli.LANG_VAR, "en")
    with pytest.raises(SystemExit):
        cli.main()
    err = capsys.readouterr().err
    assert err.startswith("kpicheck: internal error (KeyError: 'denominator'); this is a bug in kpicheck")
