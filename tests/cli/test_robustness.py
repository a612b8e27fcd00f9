"""Issue 12, the output half: what kpicheck writes, refuses and says when the input or the command line
is hostile or merely tricky.

Each class of the issue is a section below. Every refusal is checked for its
exit code, its one line on stderr, that no report or temporary file is left
where none should be, and that the inputs are unchanged (md5).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from junitparser import JUnitXml

import kpicheck
from helpers import SAMPLES, TARGETS, plan_text, run_cli, without_area
from kpicheck.report import strict_json

SAMPLE = SAMPLES / "muong-te-ct28.csv"

# The checks below quote kpicheck's English wording; the Vietnamese default has its own section at the end.
pytestmark = pytest.mark.usefixtures("english")


def md5s(*paths: Path) -> dict[Path, str]:
    return {p: hashlib.md5(p.read_bytes()).hexdigest() for p in paths}


def hidden(folder: Path) -> list[str]:
    """Temporary files (``.report.csv.XXXX``) left in ``folder``."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# The installed command, so that messages name it as a user types it (not "python -m kpicheck").
COMMAND = [str(Path(sys.executable).with_name("kpicheck"))]
if not Path(COMMAND[0]).exists():
    COMMAND = [sys.executable, "-m", "kpicheck"]


def kpicheck_process(*args: str | Path, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """The real command in a child process: what ``main()`` does (one-line usage errors, signals)."""
    return subprocess.run(
        [*COMMAND, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        **kwargs,
    )


def refused(run: Any, line: str) -> None:
    """Exit 2 and exactly ``line`` on stderr."""
    stderr = run.stderr
    code = run.exit_code if hasattr(run, "exit_code") else run.returncode
    assert (code, stderr) == (2, line + "\n")


# --- 1. Two plans that both name a unit -----------------------------------------------------------


def _copy_plan(folder: Path, new_id: str, source: str = "muong-te-ct28") -> None:
    text = (TARGETS / f"{source}.yaml").read_text(encoding="utf-8")
    (folder / f"{new_id}.yaml").write_text(text.replace(f"id: {source}", f"id: {new_id}"), encoding="utf-8")


def test_two_plans_of_one_level_naming_a_unit_are_refused_and_named(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    _copy_plan(plans, "muong-te-ct28")
    _copy_plan(plans, "muong-te-copy")
    data = tmp_path / "data.csv"
    shutil.copy(SAMPLE, data)
    before = md5s(data, *plans.iterdir())
    out = tmp_path / "out.json"
    run = run_cli("evaluate", data, "--targets", plans, "-o", out)
    refused(
        run,
        f"kpicheck: error: {data}:2: unit: plans muong-te-copy, muong-te-ct28 each name the unit "
        "'Thị trấn Mường Tè'; choose one with --plan ID, or remove the unit from all but one plan",
    )
    assert not out.exists() and hidden(tmp_path) == []
    assert md5s(data, *plans.iterdir()) == before
    # --plan answers the question.
    chosen = run_cli("evaluate", data, "--targets", plans, "--plan", "muong-te-copy", "--format", "json")
    assert chosen.exit_code == 1
    assert {r["plan"] for r in chosen.json()["results"]} == {"muong-te-copy"}


@pytest.mark.parametrize(("level", "wins"), [("province", "muong-te-ct28"), ("commune", "xa-bum-nua")])
def test_the_most_specific_plan_still_wins(tmp_path: Path, level: str, wins: str) -> None:
    """A district plan beats a province plan naming the same commune; a commune plan beats both."""
    plans = tmp_path / "plans"
    plans.mkdir()
    _copy_plan(plans, "muong-te-ct28")
    body = """\
        indicators:
          - id: stunting_u5
            name: Suy dinh dưỡng thấp còi
            name_en: Stunting
            unit: percent
            direction: lower
            targets: [{year: 2025, op: "<", value: 30, quote: "dưới 30%"}]
        """
    text = plan_text("xa-bum-nua", body, start=2021, end=2030, baseline=2021, units=("Xã Bum Nưa",))
    (plans / "xa-bum-nua.yaml").write_text(
        text.replace("level: province", f"level: {level}"), encoding="utf-8"
    )
    data = tmp_path / "data.csv"
    data.write_text("unit,indicator,year,value\nXã Bum Nưa,stunting_u5,2025,27.9\n", encoding="utf-8")
    run = run_cli("evaluate", data, "--targets", plans, "--format", "json")
    assert run.stderr == ""
    assert {r["plan"] for r in run.json()["results"]} == {wins}


# --- 2. Filters that match nothing ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--unit", ""], "kpicheck: error: --unit: the value is empty; give a unit's name or code"),
        (
            ["--unit", "Xa Bum Nua"],
            "kpicheck: error: --unit: 'Xa Bum Nua' is not a unit of the data read; "
            "the closest units in the data: 'Xã Bum Nưa', 'Xã Bum Tở', 'Xã Mù Cả'",
        ),
        (
            ["--year", "99999999999"],
            "kpicheck: error: --year: 99999999999 is not a year of the data read; "
            "its years: 2023, 2024, 2025, 2026, 2027",
        ),
        (["--year", "abc"], "kpicheck: error: --year: 'abc' is not a valid integer"),
    ],
)
def test_a_filter_naming_nothing_in_the_data_is_refused_with_the_closest(
    tmp_path: Path, args: list[str], line: str
) -> None:
    data = tmp_path / "data.csv"
    shutil.copy(SAMPLE, data)
    before = md5s(data)
    out = tmp_path / "out.csv"
    refused(run_cli("evaluate", data, *args, "--format", "csv", "-o", out), line)
    assert not out.exists() and hidden(tmp_path) == []
    assert md5s(data) == before


def test_filters_that_exist_apart_but_match_nothing_together_say_so() -> None:
    run = run_cli("evaluate", SAMPLE, "--unit", "xã bum nưa", "--year", "2027", "--format", "json")
    assert (run.exit_code, run.json()["results"]) == (0, [])
    assert run.stderr == (
        "kpicheck: warning: no result matches --unit 'xã bum nưa' --year 2027; "
        "years before a plan's baseline year are history: they get no status\n"
    )


def test_a_unit_filter_names_the_units_a_rollup_reports(tmp_path: Path) -> None:
    body = """\
        indicators:
          - id: child_marriage
            name: Số vụ tảo hôn
            name_en: Child marriages
            unit: count
            direction: lower
            targets: [{op: "==", value: 0, quote: "không để xảy ra tảo hôn"}]
        """
    plan = tmp_path / "rollplan.yaml"
    plan.write_text(plan_text("rollplan", body, start=2024, end=2030, baseline=2024), encoding="utf-8")
    data = tmp_path / "data.csv"
    data.write_text(
        "unit,indicator,year,value,parent\nXã A,child_marriage,2025,1,Huyện X\nXã B,child_marriage,2025,2,Huyện X\n",
        encoding="utf-8",
    )
    args = ["evaluate", data, "--plan", plan, "--rollup", "parent", "--format", "json"]
    run = run_cli(*args, "--unit", "huyện x")
    assert (run.exit_code, run.stderr) == (1, "")
    assert [(r["unit"], r["value"]) for r in run.json()["results"]] == [("Huyện X", 3.0)]
    refused(
        run_cli(*args, "--unit", "Huyện Y"),
        "kpicheck: error: --unit: 'Huyện Y' is not a unit of the data read; "
        "the closest units in the data: 'Huyện X', 'Xã B', 'Xã A'",
    )


# --- 3. A signal while writing leaves nothing behind ------------------------------------------------


@pytest.fixture(scope="module")
def any_unit_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """muong-te-ct28 without its area: a plan that takes any unit name, as synthetic data needs."""
    return without_area(tmp_path_factory.mktemp("plan"))


@pytest.fixture(scope="module")
def large_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """400,000 rows: long enough to write that a signal reliably arrives mid-write."""
    path = tmp_path_factory.mktemp("large") / "national.csv"
    indicators = ("stunting_u5", "underweight_u5", "child_friendly_communes", "communes_with_play_spaces")
    with path.open("w", encoding="utf-8") as handle:
        handle.write("unit,indicator,year,value\n")
        for unit in range(25_000):
            for ind in indicators:
                handle.writelines(
                    f"Xã {unit},{ind},{year},{(unit + year) % 30}.5\n" for year in range(2024, 2028)
                )
    return path


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGUSR1])
def test_a_signal_during_csv_output_leaves_no_file(
    tmp_path: Path, large_input: Path, any_unit_plan: Path, signum: int
) -> None:
    before = md5s(large_input)
    out = tmp_path / "report.csv"
    child = subprocess.Popen(
        [*COMMAND, "evaluate", large_input, "--plan", str(any_unit_plan), "-f", "csv", "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        # As a terminal starts it: under nohup (a CI job started so) SIGHUP is ignored and stays ignored.
        preexec_fn=lambda: signal.signal(signum, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while not hidden(tmp_path) and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert hidden(tmp_path), "the report was never being written: make the input larger"
    child.send_signal(signum)
    _, stderr = child.communicate(timeout=120)
    name = signal.Signals(signum).name
    if signum == signal.SIGINT:  # Ctrl-C: Python's KeyboardInterrupt, as before
        assert child.returncode == 130
    else:
        assert (child.returncode, stderr) == (128 + signum, f"kpicheck: stopped by {name}\n")
    assert list(tmp_path.iterdir()) == [], "a partial or temporary report was left"
    assert md5s(large_input) == before


def test_a_signal_ignored_by_the_parent_stays_ignored(tmp_path: Path) -> None:
    """``nohup kpicheck ...`` must survive the terminal closing: SIGHUP stays ignored."""
    out = tmp_path / "out.json"
    run = kpicheck_process(
        "evaluate",
        SAMPLE,
        "-f",
        "json",
        "-o",
        out,
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN),
    )
    assert run.returncode == 1 and out.exists()
    code = (
        "import signal, kpicheck.cli as c; c._handle_signals(); print(signal.getsignal(signal.SIGHUP) == 1)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN),
    )
    assert shown.stdout.strip() == "True"  # SIG_IGN, as the parent left it


# --- 4. Exit 3 on user input, now one line and exit 2 -------------------------------------------------


def test_o_naming_a_folder_or_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    shutil.copy(SAMPLE, data)
    before = md5s(data)
    folder = tmp_path / "reports"
    folder.mkdir()
    refused(
        run_cli("evaluate", data, "-o", folder),
        f"kpicheck: error: {folder}: this is a folder, not a file; give the name of the file to write the report to",
    )
    refused(
        run_cli("evaluate", data, "-o", ""),
        "kpicheck: error: -o: the value is empty; give the name of the file to write the report to",
    )
    refused(
        run_cli("template", "muong-te-ct28", "-o", ""),
        "kpicheck: error: -o: the value is empty; give the name of the file to write the report to",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv", "reports"]
    assert list(folder.iterdir()) == []
    assert md5s(data) == before


# Devices. As root, a kpicheck that replaced what -o names (the bug these tests guard against) would
# replace the system's /dev/null or /dev/stdout, for every process on the machine: running these tests
# on such a version as root did exactly that once. So root's tests write to private twins of the
# devices, which behave the same (a node made with mknod with the same device number, a symbolic link
# to /proc/self/fd/1) and which nothing else uses; other users, who cannot replace anything in /dev,
# use the real ones.
_DEVICES = {"null": (1, 3), "full": (1, 7)}  # Linux's device numbers


@pytest.fixture
def device(tmp_path: Path) -> Any:
    def made(name: str) -> Path:
        real = Path("/dev") / name
        if not sys.platform.startswith("linux") or not real.exists():
            pytest.skip(f"needs Linux's /dev/{name}")
        if os.geteuid() != 0:
            return real
        twin = tmp_path / "dev" / name
        twin.parent.mkdir(exist_ok=True)
        if name == "stdout":
            twin.symlink_to("/proc/self/fd/1")
        else:
            os.mknod(twin, stat.S_IFCHR | 0o666, os.makedev(*_DEVICES[name]))
        return twin

    return made


def test_o_on_a_full_device(device: Any) -> None:
    full = device("full")
    refused(
        run_cli("evaluate", SAMPLE, "-f", "json", "-o", full),
        f"kpicheck: error: {full}: cannot write the report: No space left on device; "
        "choose another place with -o",
    )
    assert stat.S_ISCHR(os.stat(full).st_mode)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_o_in_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        refused(
            run_cli("evaluate", SAMPLE, "-o", folder / "out.json"),
            f"kpicheck: error: {folder / 'out.json'}: cannot write the report: Permission denied; "
            "choose another place with -o",
        )
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize("failing", ["open", "replace"])
def test_o_where_the_system_refuses_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """A read-only folder (or a rename refused), as root cannot see it: one line, no file left."""
    real = getattr(os, failing)

    def refuse(path: Any, *args: Any, **kwargs: Any) -> Any:
        if ".out.json." in str(path):  # the report's temporary file, nothing else
            raise PermissionError(13, "Permission denied")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, failing, refuse)
    out = tmp_path / "out.json"
    refused(
        run_cli("evaluate", SAMPLE, "-f", "json", "-o", out),
        f"kpicheck: error: {out}: cannot write the report: Permission denied; choose another place with -o",
    )
    assert list(tmp_path.iterdir()) == []


# --- 5. -o writes through links and into devices ----------------------------------------------------


def test_o_on_a_symlink_writes_its_target_atomically(tmp_path: Path) -> None:
    elsewhere = tmp_path / "reports"
    elsewhere.mkdir()
    real = elsewhere / "latest.json"
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "report.json"
    link.symlink_to(Path("reports") / "latest.json")
    run = run_cli("evaluate", SAMPLE, "-f", "json", "-o", link)
    assert run.exit_code == 1, run.stderr
    assert link.is_symlink() and os.readlink(link) == str(Path("reports") / "latest.json")
    assert json.loads(real.read_text(encoding="utf-8"))["summary"]["met"] == 11
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # the file's own permissions kept
    assert hidden(tmp_path) == [] and hidden(elsewhere) == []


def test_o_on_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "report.md"
    link.symlink_to(tmp_path / "made.md")
    assert run_cli("evaluate", SAMPLE, "-f", "markdown", "-o", link).exit_code == 1
    assert link.is_symlink() and (tmp_path / "made.md").read_text(encoding="utf-8").startswith("## kpicheck")


def test_o_on_a_symlink_to_an_input_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    shutil.copy(SAMPLE, data)
    before = md5s(data)
    link = tmp_path / "out.csv"
    link.symlink_to(data)
    refused(
        run_cli("evaluate", data, "-f", "csv", "-o", link),
        f"kpicheck: error: {link}: refusing to overwrite an input file; choose another -o",
    )
    assert md5s(data) == before and link.is_symlink() and hidden(tmp_path) == []


@pytest.mark.parametrize("fmt", ["json", "csv"])  # csv streams: another way of writing
def test_o_dev_stdout_writes_to_standard_output(device: Any, fmt: str) -> None:
    stdout = device("stdout")
    run = kpicheck_process("evaluate", SAMPLE, "-f", fmt, "-o", stdout)
    assert (run.returncode, run.stderr) == (1, "")
    expected = run_cli("evaluate", SAMPLE, "-f", fmt).stdout
    assert run.stdout == expected
    assert stdout.is_symlink() and os.readlink(stdout) == "/proc/self/fd/1"


def test_o_dev_stdout_into_a_pipe_closed_early_is_quiet_as_without_o(
    device: Any, tmp_path: Path, any_unit_plan: Path
) -> None:
    """`kpicheck ... -o /dev/stdout | head`: the reader leaving is no error to report."""
    data = tmp_path / "data.csv"  # a report of about 1 MB: more than a pipe holds
    rows = "".join(f"Xã {n},stunting_u5,2025,{n % 40}\n" for n in range(2000))
    data.write_text("unit,indicator,year,value\n" + rows, encoding="utf-8")
    child = subprocess.Popen(
        [*COMMAND, "evaluate", data, "--plan", any_unit_plan, "-f", "json", "-o", device("stdout")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    assert child.stdout.read(20).startswith(b'{"errors": []')
    child.stdout.close()
    stderr = child.stderr.read().decode()
    assert child.wait(timeout=120) == 1 and "error" not in stderr, stderr


def test_o_dev_stdout_redirected_to_a_file_writes_into_that_file(device: Any, tmp_path: Path) -> None:
    stdout = device("stdout")
    out = tmp_path / "out.json"
    with out.open("w") as handle:
        inode = os.fstat(handle.fileno()).st_ino
        run = subprocess.run(
            [*COMMAND, "evaluate", str(SAMPLE), "-f", "json", "-o", str(stdout)],
            stdout=handle,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert (run.returncode, run.stderr) == (1, "")
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["met"] == 11
    assert out.stat().st_ino == inode  # the file the shell opened, written through, not replaced
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "dev") == ["out.json"]


def test_o_dev_null_is_written_never_replaced(device: Any) -> None:
    null = device("null")
    before = os.stat(null)
    assert run_cli("evaluate", SAMPLE, "-f", "csv", "-o", null).exit_code == 1
    assert run_cli("evaluate", SAMPLE, "-f", "html", "-o", null).exit_code == 1
    after = os.stat(null)
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_o_on_a_fifo_writes_into_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    run = run_cli("evaluate", SAMPLE, "-f", "csv", "-o", fifo)
    reader.join(timeout=30)
    assert run.exit_code == 1
    assert received[0].decode() == run_cli("evaluate", SAMPLE, "-f", "csv").stdout
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and [p.name for p in tmp_path.iterdir()] == ["pipe"]


# --- 6. Messages: one line each -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["evaluate", SAMPLE, "--year", "abc"], "kpicheck: error: --year: 'abc' is not a valid integer"),
        (
            ["template", "muong-te-ct28", "--year", "20x5"],
            "kpicheck: error: --year: '20x5' is not a valid integer",
        ),
        (
            ["evaluate", SAMPLE, "--zzzz"],
            "kpicheck: error: no such option: --zzzz; see 'kpicheck evaluate --help'",
        ),
        (["template"], "kpicheck: error: missing argument 'plan'; see 'kpicheck template --help'"),
        (["frobnicate"], "kpicheck: error: no such command 'frobnicate'; see 'kpicheck --help'"),
        (
            ["evaluate", "/no/such/file.csv"],
            "kpicheck: error: /no/such/file.csv: cannot read the file: No such file or directory",
        ),
    ],
)
def test_usage_errors_are_one_line_not_clicks_box(args: list[str | Path], line: str) -> None:
    refused(kpicheck_process(*args), line)


def test_no_arguments_still_shows_the_help() -> None:
    run = kpicheck_process()
    assert run.returncode == 2 and "Usage: kpicheck" in run.stdout + run.stderr


def test_a_unit_not_found_is_located_and_its_invisible_characters_shown(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_text(
        "unit,indicator,year,value\nXã Bum Nưa,stunting_u5,2025,20\nXã\u200bLạ,stunting_u5,2024,21\n",
        encoding="utf-8",
    )
    before = md5s(data)
    out = tmp_path / "out.json"
    run = run_cli("evaluate", data, "-f", "json", "-o", out)
    refused(
        run,
        f"kpicheck: error: {data}:3: unit: 'Xã\\u200bLạ' is no official unit; "
        "write the official name or the unit's code (kpicheck units NAME); close: none",
    )
    # The unit is set aside: the rest is judged and the report written, the error listed first.
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [(e["code"], e["line"]) for e in report["errors"]] == [("data.unknown-unit", 3)]
    assert {r["unit"] for r in report["results"]} == {"Xã Bum Nưa"}
    assert md5s(data) == before
    # The Python API refuses it.
    with pytest.raises(kpicheck.KpicheckError) as caught:
        kpicheck.evaluate(data)
    assert [p.code for p in caught.value.problems] == ["data.unknown-unit"]


INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\xa0", "\u202f", "\u00ad", "\u2028"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    parts=st.lists(
        st.tuples(
            st.sampled_from(["Xã", "Lạ", "Nậm", "Ủ", "Pa", "Vệ"]), st.sampled_from(["", " ", *INVISIBLE])
        ),
        min_size=1,
        max_size=4,
    )
)
def test_an_unknown_unit_is_always_one_line_with_nothing_invisible(
    tmp_path: Path, parts: list[tuple[str, str]]
) -> None:
    name = "Zz" + "".join(word + gap for word, gap in parts)  # "Zz": never a unit of a plan
    data = tmp_path / "data.csv"
    data.write_text(f"unit,indicator,year,value\n{name},stunting_u5,2025,20\n", encoding="utf-8")
    run = run_cli("evaluate", data, "--format", "json")
    (line,) = run.stderr.splitlines()
    assert run.exit_code == 2 and run.stderr.count("\n") == 1
    # No plan names it (or the reader refuses it, a soft hyphen being a legacy font's letter): located.
    assert line.startswith(f"kpicheck: error: {data}:2: unit: ")
    assert not set(line) & set(INVISIBLE), ascii(line)


def test_many_units_not_found_are_counted_after_ten(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    rows = "".join(f"Xã Lạ {n:02},stunting_u5,2025,20\n" for n in range(25))
    data.write_text("unit,indicator,year,value\n" + rows, encoding="utf-8")
    # The registry in play (the plans name their areas): no official units, told as units without a plan.
    run = run_cli("evaluate", data, "--format", "json")
    lines = run.stderr.splitlines()
    assert run.exit_code == 2 and len(lines) == 11
    assert lines[0].startswith(f"kpicheck: error: {data}:2: unit: 'Xã Lạ 00' is no official unit")
    assert lines[-1].startswith("kpicheck: error: and 15 more unit(s) like those above")


def test_a_folder_without_data_files_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "submissions"
    folder.mkdir()
    (folder / "notes.docx").write_bytes(b"PK")
    refused(
        run_cli("evaluate", folder),
        f"kpicheck: error: {folder}: no data file (.csv, .tsv, .txt, .xlsx, .parquet) in this folder; "
        "give at least one data file, or --milestones FILE",
    )


def test_validate_refuses_a_plan_whose_id_is_not_its_file_name(tmp_path: Path) -> None:
    _copy_plan(tmp_path, "muong-te-ct28")
    (tmp_path / "muong-te-ct28.yaml").rename(tmp_path / "muong-te.yaml")
    path = tmp_path / "muong-te.yaml"
    refused(
        run_cli("validate", path),
        f"kpicheck: error: {path}: id: the plan id 'muong-te-ct28' must match the file name; "
        "rename the file muong-te-ct28.yaml, or change the id",
    )


# --- 7. A report even when one file is bad --------------------------------------------------------------

BAD_LINE = "'1.000' is ambiguous (decimal mark or thousands separator?)"


@pytest.fixture
def submissions(tmp_path: Path) -> Path:
    """A folder of two good files and one bad one (line 3 of bad.csv)."""
    folder = tmp_path / "submissions"
    folder.mkdir()
    lines = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "a-good.csv").write_text("".join(lines[:30]), encoding="utf-8")
    (folder / "bad.csv").write_text(
        "unit,indicator,year,value\nXã Ka Lăng,stunting_u5,2025,24\nXã Ka Lăng,stunting_u5,2026,1.000\n",
        encoding="utf-8",
    )
    (folder / "c-good.csv").write_text(lines[0] + "".join(lines[30:]), encoding="utf-8")
    return folder


def _bad_line(folder: Path) -> str:
    return (
        f"kpicheck: error: {folder / 'bad.csv'}:3: value: {BAD_LINE}; pass --decimal . if the file writes "
        "decimal points (1.000 is one), or --decimal , if it writes decimal commas and thousands dots (1.000 is a thousand)"
    )


def test_json_report_of_the_good_files_with_the_errors_first(submissions: Path, tmp_path: Path) -> None:
    before = md5s(*submissions.iterdir())
    out = tmp_path / "report.json"
    run = run_cli("evaluate", submissions, "-f", "json", "-o", out)
    refused(run, _bad_line(submissions))
    report = json.loads(out.read_text(encoding="utf-8"))
    assert next(iter(report)) == "errors"
    assert report["errors"] == [
        {
            "file": str(submissions / "bad.csv"),
            "line": 3,
            "column": "value",
            "code": "data.ambiguous-number",
            "message": BAD_LINE,
            "hint": "pass --decimal . if the file writes decimal points (1.000 is one), or --decimal , "
            "if it writes decimal commas and thousands dots (1.000 is a thousand)",
        }
    ]
    # Exactly the results of the good files judged on their own.
    alone = run_cli("evaluate", submissions / "a-good.csv", submissions / "c-good.csv", "-f", "json").json()
    assert (report["summary"], report["results"]) == (alone["summary"], alone["results"])
    assert md5s(*submissions.iterdir()) == before and hidden(tmp_path) == []


def test_markdown_report_for_the_ci_recipe(submissions: Path, tmp_path: Path) -> None:
    """The README's recipe: `-o summary.md --quiet`, then `cat summary.md` must find a file."""
    out = tmp_path / "summary.md"
    run = run_cli("evaluate", submissions, "--format", "markdown", "-o", out, "--quiet", "--lang", "en")
    assert run.exit_code == 2
    assert run.stderr.splitlines()[0] == _bad_line(submissions)
    text = out.read_text(encoding="utf-8")
    assert text.startswith(
        "## kpicheck\n\n### ⚠️ Errors: data left out of this report (1)\n\n"
        "| File | Line | Column | Code | Message |\n| --- | ---: | --- | --- | --- |\n"
        f"| {submissions / 'bad.csv'} | 3 | value | `data.ambiguous-number` | {BAD_LINE}; "
    )
    assert "Xã Tá Bạ" in text  # the good files are judged


def test_junit_report_has_an_error_per_refused_file(submissions: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.xml"
    assert run_cli("evaluate", submissions, "--format", "junit", "-o", out).exit_code == 2
    xml = JUnitXml.fromfile(str(out))
    suites = list(xml)
    assert suites[0].name == "errors"
    (case,) = list(suites[0])
    assert case.name == str(submissions / "bad.csv")
    (error,) = case.result
    assert (error.type, error.message) == (
        "data.ambiguous-number",
        f"{submissions / 'bad.csv'}:3: value: {BAD_LINE}",
    )
    assert xml.errors == 1 and xml.tests == 1 + sum(len(list(s)) for s in suites[1:])


def test_html_report_leads_with_the_errors(submissions: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert run_cli("evaluate", submissions, "--format", "html", "-o", out).exit_code == 2
    page = out.read_text(encoding="utf-8")
    assert page.index('<section class="errors"') < page.index('<section id="summary">')
    assert "data.ambiguous-number" in page and "bad.csv" in page


@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_csv_and_table_reports_keep_their_shape_and_the_errors_go_to_stderr(
    submissions: Path, tmp_path: Path, fmt: str
) -> None:
    good = [submissions / "a-good.csv", submissions / "c-good.csv"]
    out = tmp_path / f"report.{fmt}"
    run = run_cli("evaluate", submissions, "--format", fmt, "-o", out)
    refused(run, _bad_line(submissions))
    alone = tmp_path / f"alone.{fmt}"
    assert run_cli("evaluate", *good, "--format", fmt, "-o", alone).exit_code == 1
    assert out.read_bytes() == alone.read_bytes()


def test_every_file_bad_still_writes_a_report_of_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("unit,indicator,year,value\nXã Ka Lăng,stunting_u5,2025,1.000\n", encoding="utf-8")
    out = tmp_path / "report.json"
    assert run_cli("evaluate", bad, "-f", "json", "-o", out).exit_code == 2
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [e["code"] for e in report["errors"]] == ["data.ambiguous-number"] and report["results"] == []


def test_the_python_api_stays_strict(submissions: Path) -> None:
    with pytest.raises(kpicheck.KpicheckError) as caught:
        kpicheck.evaluate(submissions)
    assert [(p.code, p.line) for p in caught.value.problems] == [("data.ambiguous-number", 3)]


# --- 8. JSON is JSON -----------------------------------------------------------------------------------


def _strict(text: str) -> Any:
    def refuse(token: str) -> None:
        raise AssertionError(f"{token} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_non_finite_values_are_never_json_tokens(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_text(
        "unit,indicator,year,value\n"
        "Xã Bum Nưa,stunting_u5,2025,inf\n"
        "Xã Ka Lăng,stunting_u5,2025,-inf\n"
        "Xã Tá Bạ,stunting_u5,2025,1e400\n"
        "Thị trấn Mường Tè,stunting_u5,2025,nan\n",
        encoding="utf-8",
    )
    run = run_cli("evaluate", data, "--format", "json")
    report = _strict(run.stdout)
    values = {r["unit"]: r["value"] for r in report["results"] if r["indicator"] == "stunting_u5"}
    assert values == dict.fromkeys(("Xã Bum Nưa", "Xã Ka Lăng", "Xã Tá Bạ", "Thị trấn Mường Tè"))
    assert all(r["gap"] is None for r in report["results"] if r["indicator"] == "stunting_u5")


def test_targets_json_is_strict(tmp_path: Path) -> None:
    rows = _strict(run_cli("targets", "--format", "json").stdout)  # every bundled plan
    assert len(rows) > 100 and all(isinstance(r["value"], int | float) for r in rows)
    body = textwrap.dedent(
        """\
        indicators:
          - id: stunting_u5
            name: Suy dinh dưỡng thấp còi
            name_en: Stunting
            unit: count
            direction: lower
            targets: [{year: 2025, op: "<", value: .inf, quote: "dưới vô cùng"}]
        """
    )
    (tmp_path / "inf.yaml").write_text(
        plan_text("inf", body, start=2021, end=2030, baseline=2021), encoding="utf-8"
    )
    run = run_cli("targets", "inf", "--targets", tmp_path, "--format", "json")
    # A count has no maximum, so only finiteness refuses it: never printed as Infinity, never met by all.
    assert (run.exit_code, run.stdout) == (2, "")
    assert "value: inf is not a finite number" in run.stderr


JSON_LIKE = st.recursive(
    st.floats() | st.integers() | st.text(max_size=5) | st.none() | st.booleans(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4),
    max_leaves=20,
)


@given(JSON_LIKE)
def test_strict_json_is_json_whatever_the_floats(value: Any) -> None:
    parsed = _strict(strict_json.dumps(value))

    def same(a: Any, b: Any) -> bool:  # finite numbers kept exactly, the rest null
        if isinstance(a, float):
            return b == a if a == a and abs(a) != float("inf") else b is None
        if isinstance(a, dict):
            return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
        if isinstance(a, list):
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
        return a == b

    assert same(value, parsed)


def test_strict_json_writes_null_for_what_json_cannot_spell() -> None:
    payload = {"a": float("inf"), "b": [float("-inf"), float("nan"), 1.5], "c": ({"d": float("nan")},)}
    assert _strict(strict_json.dumps(payload, indent=None)) == {
        "a": None,
        "b": [None, None, 1.5],
        "c": [{"d": None}],
    }


# --- 9. In Vietnamese, the default -------------------------------------------------------------------


@pytest.fixture
def vietnamese(english: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KPICHECK_LANG", raising=False)  # undoes the module's ``english``, set first


@pytest.mark.usefixtures("vietnamese")
@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["evaluate", SAMPLE, "--year", "abc"], "kpicheck: lỗi: --year: 'abc' không phải là số nguyên"),
        (
            ["evaluate", SAMPLE, "--zzzz"],
            "kpicheck: lỗi: dòng lệnh không hợp lệ (chi tiết kỹ thuật: no such option: --zzzz); "
            "xem 'kpicheck evaluate --help'",
        ),
        (
            ["evaluate", SAMPLE, "--unit", " "],
            "kpicheck: lỗi: --unit: giá trị trống; hãy đưa vào tên hoặc mã của đơn vị",
        ),
        (
            ["evaluate", SAMPLE, "--zzzz", "--lang", "en"],
            "kpicheck: error: no such option: --zzzz; see 'kpicheck evaluate --help'",
        ),
    ],
)
def test_usage_errors_are_one_line_in_the_runs_language(args: list[str | Path], line: str) -> None:
    refused(kpicheck_process(*args), line)


@pytest.mark.usefixtures("vietnamese")
def test_the_errors_section_is_in_the_runs_language(submissions: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    run = run_cli("evaluate", submissions, "-f", "json", "-o", out)
    assert run.exit_code == 2 and run.stderr.startswith(
        f"kpicheck: lỗi: {submissions / 'bad.csv'}:3: value: "
    )
    (error,) = json.loads(out.read_text(encoding="utf-8"))["errors"]
    assert error["code"] == "data.ambiguous-number" and error["message"] in run.stderr
    assert error["message"] != BAD_LINE and error["hint"].startswith("hãy ")
    md = tmp_path / "report.md"
    assert run_cli("evaluate", submissions, "-o", md).exit_code == 2
    assert md.read_text(encoding="utf-8").startswith(
        "## kpicheck\n\n### ⚠️ Lỗi: số liệu không có trong báo cáo (1)\n\n| Tệp | Dòng | Cột | Mã lỗi | Lỗi |\n"
    )


@pytest.mark.parametrize(
    ("lang", "sheet", "title"), [("vi", "Lỗi", "Lỗi: số liệu"), ("en", "Errors", "Errors:")]
)
def test_the_workbook_opens_on_its_errors_sheet(
    submissions: Path, tmp_path: Path, lang: str, sheet: str, title: str
) -> None:
    import openpyxl

    out = tmp_path / "report.xlsx"
    assert run_cli("evaluate", submissions, "-o", out, "--lang", lang).exit_code == 2
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == sheet and len(book.sheetnames) > 1
    rows = list(book[sheet].iter_rows(values_only=True))
    assert str(rows[0][0]).startswith(title)
    assert rows[3][:4] == (str(submissions / "bad.csv"), 3, "value", "data.ambiguous-number")
    good = tmp_path / "good.xlsx"
    assert run_cli("evaluate", submissions / "a-good.csv", "-o", good, "--lang", lang).exit_code == 1
    assert sheet not in openpyxl.load_workbook(good).sheetnames  # no errors, no sheet
