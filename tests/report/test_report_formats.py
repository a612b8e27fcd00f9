"""Reports an official can file: the workbook cell by cell, the format taken from ``-o``, the table
at 80 and 120 columns, the markdown size cap, JUnit's file/line and messages, the CSV for Excel,
and the HTML page as headless Chromium shows it.

Golden files: ``KPICHECK_UPDATE_GOLDEN=1 pytest tests/report/test_report_formats.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
from rich.cells import cell_len

from helpers import GOLDEN, REPORT_DATA, ROOT, SAMPLES, run_cli, without_area

EPOCH = {"SOURCE_DATE_EPOCH": "1764547200"}  # 2025-12-01 00:00 UTC: the page's date, fixed
MUONG_TE = SAMPLES / "muong-te-ct28.csv"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "data.csv").write_text(REPORT_DATA, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def communes(path: Path, n: int) -> Path:
    """A national-size sample: ``n`` communes × 11 indicators × 3 years of Mường Tè's plan."""
    ids = [
        "child_friendly_communes",
        "communes_with_play_spaces",
        "schools_with_sanitation",
        "schools_with_counselling",
        "underweight_u5",
        "stunting_u5",
        "preschool_enrolment_5y",
        "primary_completion",
        "lower_secondary_graduation",
        "participation_awareness",
        "participation_models_11plus",
    ]
    lines = ["unit,indicator,year,value"]
    for u in range(n):
        for k, ind in enumerate(ids):
            for year in (2023, 2024, 2025):
                lines.append(f"Xã {u:05d},{ind},{year},{(u * 7 + k * 13 + year) % 97 + 0.5}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- the workbook -------------------------------------------------------------------------------


def workbook_text(path: Path) -> str:
    """Every sheet's cells as text, with what a reader sees of them: fills, frozen panes, filters."""
    book = openpyxl.load_workbook(path)
    out = []
    for sheet in book.worksheets:
        out.append(f"== {sheet.title} freeze={sheet.freeze_panes} filter={sheet.auto_filter.ref}")
        for row in sheet.iter_rows():
            cells = []
            for cell in row:
                if cell.value is None:
                    continue
                fill = cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None
                shown = f"{cell.coordinate}={cell.value!r}" + (f"[{fill}]" if fill else "")
                cells.append(shown)
            if cells:
                out.append(" ".join(cells))
    return "\n".join(out) + "\n"


def test_workbook_matches_golden(workdir: Path) -> None:
    path = workdir / "ketqua.xlsx"
    run = run_cli("evaluate", "data.csv", "-o", path, env=EPOCH)
    assert run.exit_code == 1, run.stderr
    text = workbook_text(path)
    golden = GOLDEN / "muong-te.xlsx.txt"
    if os.environ.get("KPICHECK_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_workbook_cell_by_cell(workdir: Path) -> None:
    path = workdir / "ketqua.xlsx"
    assert run_cli("evaluate", "data.csv", "-o", path).exit_code == 1  # the format from the extension
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Tổng hợp", "Kết quả", "Cần xử lý"]

    results = book["Kết quả"]
    heads = [c.value for c in results[1]]
    assert heads[:8] == [
        "Kế hoạch",
        "Đơn vị",
        "Số hiệu",
        "Chỉ tiêu",
        "Năm",
        "Giá trị",
        "Đơn vị đo",
        "Kết quả",
    ]
    assert results.freeze_panes == "A2"
    assert results.auto_filter.ref == f"A1:{results.cell(1, len(heads)).column_letter}{results.max_row}"
    col = {h: i + 1 for i, h in enumerate(heads)}
    rows = {
        (r[col["Đơn vị"] - 1].value, r[col["Mã chỉ tiêu"] - 1].value, r[col["Năm"] - 1].value): r
        for r in results.iter_rows(min_row=2)
    }
    stunting = rows[("Xã Bum Nưa", "stunting_u5", 2025)]
    assert stunting[col["Giá trị"] - 1].value == 24.3  # a number, not "24,3"
    assert stunting[col["Đơn vị đo"] - 1].value == "%"
    assert (
        stunting[col["Chỉ tiêu"] - 1].value
        == "Tỷ lệ trẻ em dưới 5 tuổi bị suy dinh dưỡng thể chiều cao theo tuổi"
    )
    assert stunting[col["Số hiệu"] - 1].value == "(3)"
    assert stunting[col["Kết quả"] - 1].value == "Đạt"
    assert stunting[col["Kết quả"] - 1].fill.fgColor.rgb == "FFC8E6C9"  # met: green
    assert stunting[col["Dự báo"] - 1].value == pytest.approx(14.348907)
    assert stunting[col["Năm dự báo"] - 1].value == 2030
    assert stunting[col["Triển vọng"] - 1].value == "Tiến bộ rõ rệt"
    underweight = rows[("Xã Bum Nưa", "underweight_u5", 2025)]
    assert underweight[col["Kết quả"] - 1].value == "Không đạt"
    assert underweight[col["Kết quả"] - 1].fill.fgColor.rgb == "FFFFCDD2"  # not met: red
    assert underweight[col["Mục tiêu"] - 1].value == 19 and underweight[col["Điều kiện"] - 1].value == "<"
    assert underweight[col["Chênh lệch"] - 1].value == 0
    invalid = rows[("Xã Ka Lăng", "preschool_enrolment_5y", 2025)]
    assert invalid[col["Giá trị"] - 1].value is None and invalid[col["Ghi chú"] - 1].value == "thiếu giá trị"
    assert invalid[col["Tệp"] - 1].value == "data.csv" and invalid[col["Dòng"] - 1].value == 8
    assert results.column_dimensions["D"].width > 40  # indicator names are not cut to Excel's 8.43

    failed = book["Cần xử lý"]
    assert [c.value for c in failed[1]][:8] == [
        "Đơn vị",
        "Số hiệu",
        "Chỉ tiêu",
        "Năm",
        "Giá trị",
        "Đơn vị đo",
        "Mục tiêu",
        "Kết quả",
    ]
    listed = [(r[0].value, r[3].value, r[7].value) for r in failed.iter_rows(min_row=2)]
    assert listed == [  # one failing result per unit: the units in the order of the summary
        ("Xã Bum Nưa", 2025, "Không đạt"),
        ("Huyện Mường Tè", 2027, "Chậm lộ trình"),
        ("Xã Ka Lăng", 2025, "Không hợp lệ"),
    ]
    summary = book["Tổng hợp"]
    pairs = {r[0].value: r[1].value for r in summary.iter_rows() if r[0].value}
    assert pairs["Tệp số liệu"] == "data.csv" and pairs["Không đạt"] == 1 and pairs["Đạt"] == 2


def test_workbook_in_english(workdir: Path) -> None:
    path = workdir / "results.xlsx"
    assert run_cli("evaluate", "data.csv", "-o", path, "--lang", "en").exit_code == 1
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Summary", "Results", "Failing"]
    assert [c.value for c in book["Results"][1]][:5] == ["Plan", "Unit", "Code", "Indicator", "Year"]


@pytest.mark.slow
def test_workbook_refuses_a_terminal_and_goes_down_a_pipe(workdir: Path) -> None:
    """Bytes of a workbook are for a file or a pipe; on a terminal, a clear error before any work."""
    leader, follower = pty.openpty()
    run = subprocess.run(
        [sys.executable, "-m", "kpicheck", "evaluate", "data.csv", "--format", "xlsx"],
        stdout=follower,
        stderr=subprocess.PIPE,
        timeout=120,
    )
    os.close(follower)
    os.close(leader)
    assert run.returncode == 2
    assert "xlsx là tệp nhị phân, không ghi ra màn hình; hãy thêm -o TỆP.xlsx" in run.stderr.decode()
    piped = subprocess.run(
        [sys.executable, "-m", "kpicheck", "evaluate", "data.csv", "--format", "xlsx"],
        capture_output=True,
        timeout=120,
    )
    assert piped.returncode == 1 and piped.stdout[:2] == b"PK"  # a zip: the workbook itself
    (workdir / "piped.xlsx").write_bytes(piped.stdout)
    assert openpyxl.load_workbook(workdir / "piped.xlsx").sheetnames[0] == "Tổng hợp"


@pytest.mark.parametrize(
    ("name", "starts"),
    [
        ("ketqua.xlsx", b"PK"),
        ("baocao.html", b"<!DOCTYPE html>"),
        ("ketqua.json", b"{"),
        ("ketqua.csv", b'"plan"'),
        ("ketqua.md", b"## kpicheck"),
        ("junit.xml", b"<?xml"),
        ("ketqua.txt", "Kế hoạch thực hiện Chỉ thị số 28-CT/TW".encode()),
    ],
)
def test_the_format_follows_the_extension_of_o(workdir: Path, name: str, starts: bytes) -> None:
    assert run_cli("evaluate", "data.csv", "-o", name).exit_code == 1
    assert (workdir / name).read_bytes().startswith(starts)


def test_an_explicit_format_wins_over_the_extension(workdir: Path) -> None:
    assert run_cli("evaluate", "data.csv", "--format", "csv", "-o", "odd.json").exit_code == 1
    assert (workdir / "odd.json").read_text(encoding="utf-8").startswith('"plan"')


# --- CSV for Excel ------------------------------------------------------------------------------


def test_csv_bom_for_excel_streamed_and_rendered(workdir: Path) -> None:
    assert run_cli("evaluate", "data.csv", "-o", "r.csv", "--bom").exit_code == 1
    written = (workdir / "r.csv").read_bytes()
    assert written.startswith(b'\xef\xbb\xbf"plan"') and written.count(b"\xef\xbb\xbf") == 1
    printed = run_cli("evaluate", "data.csv", "--format", "csv", "--bom").stdout
    assert printed.encode() == written
    plain = run_cli("evaluate", "data.csv", "--format", "csv").stdout
    assert not plain.startswith("\ufeff")


def test_csv_has_the_indicator_name_after_the_first_release_columns(workdir: Path) -> None:
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(run_cli("evaluate", "data.csv", "--format", "csv").stdout)))
    header = list(rows[0])
    # the first release's columns keep their order; the name, then the unit's own note, after them,
    # then the unit's code and what an aggregated figure was built from (issue 13)
    assert header[:6] == ["plan", "goal", "unit", "indicator", "code", "year"]
    units = ["unit_code", "built_from", "partial", "area_dissolved"]
    assert header[-8:] == ["file", "line", "indicator_name", "user_note", *units]
    named = {r["indicator"]: r["indicator_name"] for r in rows}
    assert named["stunting_u5"] == "Tỷ lệ trẻ em dưới 5 tuổi bị suy dinh dưỡng thể chiều cao theo tuổi"


# --- the terminal table -------------------------------------------------------------------------


def table(columns: int, *extra: str) -> list[str]:
    run = run_cli("evaluate", MUONG_TE, *extra, env={"COLUMNS": str(columns)})
    assert run.exit_code == 1, run.stderr
    return run.stdout.splitlines()


def test_table_at_80_columns_fits_and_never_breaks_a_name() -> None:
    lines = table(80)
    assert max(cell_len(line) for line in lines) <= 80
    text = "\n".join(lines)
    assert len(lines) < 130  # it was 300
    # every "Ka" is the start of "Ka Lăng": the name is never broken over two lines
    assert all(line.endswith("Ka Lăng") or "Ka Lăng" in line for line in lines if re.search(r"\bKa\b", line))
    assert not any(line.lstrip().startswith("Lăng") for line in lines)
    assert "Không đạt yêu cầu" not in text  # the failing count has its own word
    assert "Cần xử lý" in text
    assert "Dự báo 2030: 84% Tiến bộ rõ rệt" in text  # the projection says its year
    # the detail is long, so the per-unit summary comes first, worst unit first
    assert lines[0] == "Theo đơn vị"
    assert lines.index(next(line for line in lines if line.startswith("Xã Bum Nưa "))) < 10
    assert "Thiếu số liệu 2025: Xã Bum Nưa, Xã Ka Lăng, Xã Tá Bạ" in text


def test_table_at_120_columns_keeps_the_projection_on_the_line() -> None:
    lines = table(120)
    assert max(cell_len(line) for line in lines) <= 120
    line = next(
        line for line in lines if line.startswith("Huyện Mường Tè") and "2027" in line and "60%" in line
    )
    assert (
        "Đúng lộ trình" in line and "+1,44" in line and "58,56" in line and "2030: 84% Tiến bộ rõ rệt" in line
    )
    assert len(lines) < 100


def test_summary_first_and_last_on_request() -> None:
    last = table(80, "--summary-last")
    assert last.index("Theo đơn vị") > 20 and last[0].startswith("Kế hoạch thực hiện")
    first = table(200, "--summary-first", "--unit", "Xã Tá Bạ")
    assert first[0] == "Theo đơn vị"


def test_only_failed_shows_what_failed_and_the_counts() -> None:
    """What the pre-commit hook prints: the failing results, not just their number."""
    lines = table(100, "--only-failed")
    detail = "\n".join(lines[: lines.index(next(line for line in lines if line.startswith("Tổng hợp:")))])
    assert "Kết quả cần xử lý" in detail and "Xã Bum Nưa" in detail and "27,9%" in detail
    assert " Đạt " not in detail and "Chưa đến hạn" not in detail  # what passed is left out
    assert "Theo đơn vị" not in detail


def test_pre_commit_hook_ids_and_entry() -> None:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    ids = {h["id"]: h for h in hooks}
    assert set(ids) == {"kpicheck", "kpicheck-validate"}
    assert "--only-failed" in ids["kpicheck"]["entry"] and "--quiet" not in ids["kpicheck"]["entry"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for hook_id in ids:
        assert f"- id: {hook_id}" in readme


# --- markdown and JUnit for CI ------------------------------------------------------------------


@pytest.mark.slow
def test_markdown_of_2000_communes_stays_under_one_mib(tmp_path: Path) -> None:
    data = communes(tmp_path / "national.csv", 2000)
    out = tmp_path / "summary.md"
    plan = without_area(tmp_path)  # synthetic unit names: a plan taking any name
    run = run_cli("evaluate", data, "--plan", plan, "-o", out)
    assert run.exit_code == 1, run.stderr
    text = out.read_text(encoding="utf-8")
    assert len(text.encode()) < 1 << 20
    assert text.index("### Kết quả cần xử lý") < text.index("### Theo đơn vị")
    assert re.search(r"_Hiển thị [\d.]+ trên [\d.]+; danh sách đầy đủ: --format csv hoặc json\._", text)
    html_page = tmp_path / "baocao.html"
    assert run_cli("evaluate", data, "--plan", plan, "-o", html_page).exit_code == 1
    assert html_page.stat().st_size < 1_500_000  # the page a province prints, for 2,000 communes


def test_junit_cases_carry_file_line_and_readable_messages(workdir: Path) -> None:
    root = ET.fromstring(run_cli("evaluate", "data.csv", "--format", "junit").stdout)
    cases = {c.get("name"): c for c in root.iter("testcase")}
    failed = cases["Xã Bum Nưa / underweight_u5 / 2025"]
    assert (failed.get("file"), failed.get("line")) == ("data.csv", "5")
    assert failed.find("failure").get("message") == "Không đạt: 19% · mục tiêu < 19% · chênh lệch 0"
    off = cases["Huyện Mường Tè / child_friendly_communes / 2027"].find("failure").get("message")
    assert off.startswith("Chậm lộ trình: 58% · mục tiêu >= 71,4% (2030) · chênh lệch -0,56 (lộ trình 58,56)")
    invalid = cases["Xã Ka Lăng / preschool_enrolment_5y / 2025"].find("failure").get("message")
    assert invalid == "Không hợp lệ: thiếu giá trị · mục tiêu > 99,1%"
    every = " ".join(e.get("message") or e.text or "" for e in root.iter() if e.tag in ("failure", "skipped"))
    assert "nan" not in every and not re.search(r"\d[.,]\d{3,}", every)
    english = ET.fromstring(run_cli("evaluate", "data.csv", "--format", "junit", "--lang", "en").stdout)
    messages = [f.get("message") for f in english.iter("failure")]
    assert "Not met: 19% · target < 19% · gap 0" in messages


# --- the HTML page in headless Chromium -----------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Run in the browser on a copy of the page: what a reader sees, as data in the dumped DOM.
PROBE = """<script>
addEventListener('load', () => {
  const top = id => { const e = document.getElementById(id); return e ? e.getBoundingClientRect().top : -1; };
  const out = document.createElement('pre');
  out.id = 'probe';
  out.textContent = JSON.stringify({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: innerWidth,
    failed: top('failed'), units: top('units'), charts: top('charts'),
    failedText: document.getElementById('failed').innerText,
    charts_drawn: document.querySelectorAll('svg.chart circle').length,
    grid_heads: [...document.querySelectorAll('table.grid tr.ind th')].map(e => e.innerText),
  });
  document.body.appendChild(out);
});
</script>"""


def chromium(page: Path, workdir: Path, *args: str) -> str:
    assert CHROMIUM is not None
    run = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={workdir / 'profile'}",
            "--window-size=1280,2000",
            "--virtual-time-budget=3000",
            *args,
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return run.stdout.decode("utf-8", "replace")


def probe(page: Path, workdir: Path) -> dict[str, object]:
    copy = workdir / f"probe-{page.name}"
    copy.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = chromium(copy, workdir, "--dump-dom")
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    import html

    seen: dict[str, object] = json.loads(html.unescape(found.group(1)))
    return seen


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (installed by .ci/run)")
def test_html_in_chromium_leads_with_what_failed_and_fits_1280_px(tmp_path: Path) -> None:
    page = tmp_path / "baocao.html"
    assert run_cli("evaluate", MUONG_TE, "-o", page).exit_code == 1
    seen = probe(page, tmp_path)
    assert seen["scrollWidth"] <= seen["innerWidth"] == 1280  # no horizontal overflow
    assert 0 < seen["failed"] < seen["units"] < seen["charts"]  # what failed comes first
    failed = str(seen["failedText"])
    assert (
        "Xã Bum Nưa" in failed
        and "Tỷ lệ trẻ em dưới 5 tuổi bị suy dinh dưỡng thể chiều cao theo tuổi" in failed
    )
    assert "27,9%" in failed and "< 25%" in failed and "-2,9" in failed
    assert "(3) Tỷ lệ trẻ em dưới 5 tuổi bị suy dinh dưỡng thể chiều cao theo tuổi" in seen["grid_heads"]
    assert seen["charts_drawn"] > 20

    from PIL import Image

    shot = tmp_path / "shot.png"
    chromium(page, tmp_path, f"--screenshot={shot}")
    image = Image.open(shot).convert("RGB")
    pixels = {c for _, c in image.getcolors(maxcolors=1 << 20) or []}
    assert len(pixels) > 50
    assert (0xFF, 0xCD, 0xD2) in pixels  # a not_met cell in the first screen: what failed is visible


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (installed by .ci/run)")
def test_html_for_many_communes_stays_small_and_fits(tmp_path: Path) -> None:
    data = communes(tmp_path / "many.csv", 300)
    page = tmp_path / "many.html"
    assert run_cli("evaluate", data, "--plan", without_area(tmp_path), "-o", page).exit_code == 1
    text = page.read_text(encoding="utf-8")
    assert len(text.encode()) < 400_000
    assert "Hiển thị 200 trên" in text and "300 đơn vị" in text  # counted, not listed
    seen = probe(page, tmp_path)
    assert seen["scrollWidth"] <= 1280


@pytest.mark.slow
def test_a_table_piped_from_an_80_column_terminal_fits_it(tmp_path: Path) -> None:
    """``kpicheck evaluate … | less``: stdout is a pipe, the terminal is still on stderr."""
    import fcntl
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 80, 0, 0))
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    run = subprocess.run(
        [sys.executable, "-m", "kpicheck", "evaluate", str(MUONG_TE)],
        stdout=subprocess.PIPE,
        stderr=follower,
        env=env,
        timeout=120,
    )
    os.close(follower)
    os.close(leader)
    lines = run.stdout.decode().splitlines()
    assert run.returncode == 1 and lines[0] == "Theo đơn vị"
    assert max(cell_len(line) for line in lines) <= 80


def test_junit_past_its_cap_has_one_case_per_unit_counting_every_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kpicheck.report.formats import junit_format

    monkeypatch.setattr(junit_format, "CASES", 100)
    plan = without_area(tmp_path)  # synthetic unit names: a plan taking any name
    data = communes(tmp_path / "many.csv", 20)  # 20 communes × 11 indicators × 3 years
    root = ET.fromstring(run_cli("evaluate", data, "--plan", plan, "--format", "junit").stdout)
    cases = list(root.iter("testcase"))
    results = run_cli("evaluate", data, "--plan", plan, "--format", "json").json()
    assert len(cases) == len({r["unit"] for r in results["results"]}) == 20
    assert "one test case per unit" not in ET.tostring(root, encoding="unicode")  # Vietnamese by default
    assert "mỗi đơn vị một test case" in root.find("testsuite/system-out").text
    failing_units = {
        r["unit"] for r in results["results"] if r["status"] in ("not_met", "off_track", "invalid")
    }
    failed = {c.get("name"): c.find("failure") for c in cases if c.find("failure") is not None}
    assert set(failed) == failing_units
    assert int(root.get("failures")) == len(failing_units)
    # Each unit's failure counts its failing results out of all of them.
    unit = sorted(failing_units)[0]
    mine = [r for r in results["results"] if r["unit"] == unit]
    bad = sum(r["status"] in ("not_met", "off_track", "invalid") for r in mine)
    assert failed[unit].get("message").startswith(f"{bad}/{len(mine)} kết quả: ")


def test_workbook_past_its_caps_says_how_many_results_it_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kpicheck.report.formats import xlsx_format

    monkeypatch.setattr(xlsx_format, "RESULT_ROWS", 50)
    monkeypatch.setattr(xlsx_format, "FAILED_ROWS", 10)
    plan = without_area(tmp_path)  # synthetic unit names: a plan taking any name
    data = communes(tmp_path / "many.csv", 20)
    path = tmp_path / "ketqua.xlsx"
    assert run_cli("evaluate", data, "--plan", plan, "-o", path, env=EPOCH).exit_code == 1
    total = len(run_cli("evaluate", data, "--plan", plan, "--format", "json").json()["results"])
    book = openpyxl.load_workbook(path, read_only=True)
    results, failed = book.worksheets[1], book.worksheets[2]
    rows = [r for r in results.iter_rows(values_only=True) if any(v is not None for v in r)]
    assert len(rows) == 1 + 50 + 1  # header, the first 50 results, the line that says so
    assert rows[-1][0] == f"Hiển thị 50 trên {total}; danh sách đầy đủ: --format csv hoặc json"
    failed_rows = [r for r in failed.iter_rows(values_only=True) if any(v is not None for v in r)]
    assert len(failed_rows) == 1 + 10 + 1 and failed_rows[-1][0].startswith("Hiển thị 10 trên ")


def test_table_of_many_results_shows_the_first_lines_of_each_indicator_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kpicheck.report.formats import table_format

    monkeypatch.setattr(table_format, "DETAIL", 100)
    plan = without_area(tmp_path)  # synthetic unit names: a plan taking any name
    data = communes(tmp_path / "many.csv", 40)  # 40 communes × 11 indicators × 3 years
    out = run_cli("evaluate", data, "--plan", plan, env={"COLUMNS": "200"}).stdout
    limit = 100 // 11
    notes = re.findall(r"Hiển thị (\d+) trên (\d+); danh sách đầy đủ: --format csv hoặc json", out)
    assert notes and all(int(shown) == limit and int(total) > limit for shown, total in notes)
    assert "Tổng hợp:" in out  # the counts still cover every result


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_the_runs_warnings_are_in_the_report_a_person_files(fmt: str) -> None:
    """A commune left out of a roll-up (it lies only partly in the district) is said on stderr and
    in the report itself, where the person reading the district's figure will look."""
    run = run_cli("evaluate", SAMPLES / "muong-te-2025.csv", "--rollup", "plan", "--format", fmt)
    warning = (
        "Xã Hua Bum (03460) chỉ nằm một phần trong Huyện Mường Tè: không cộng vào số liệu "
        "(xem cột 'partial'); thêm --partial include để cộng toàn bộ"
    )
    assert run.exit_code == 1 and warning in run.stderr
    assert "Cảnh báo (1)" in run.stdout
    assert (warning if fmt == "markdown" else warning.replace("'", "&#x27;")) in run.stdout
    quiet = run_cli("evaluate", MUONG_TE, "--format", fmt)  # a run without warnings has no such section
    assert quiet.stderr == "" and "Cảnh báo" not in quiet.stdout
