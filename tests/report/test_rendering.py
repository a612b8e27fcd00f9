"""Each output format rendered from a report built here by hand, not by a run of the CLI.

Two results of one indicator, one met and one not, so a change in a format
shows as a small, readable difference; tests/golden/ holds the whole outputs
of a real run.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
from typing import Any

import openpyxl
import pandas as pd
import pytest

from kpicheck.judge import RESULT_COLUMNS
from kpicheck.plan.model import Plan
from kpicheck.report.formats import FORMATS, renderer
from kpicheck.report.labels import Lang
from kpicheck.report.report import Report

PLAN = Plan.model_validate(
    {
        "id": "p",
        "title": "Kế hoạch thử",
        "title_en": "Test plan",
        "issuer": "UBND huyện",
        "level": "district",
        "area": "Huyện A",
        "period": {"start": 2024, "end": 2030},
        "baseline_year": 2024,
        "source": {"document": "Kế hoạch thử"},
        "indicators": [
            {
                "id": "stunting",
                "code": "(1)",
                "name": "Tỷ lệ thấp còi",
                "name_en": "Stunting",
                "unit": "percent",
                "direction": "lower",
                "targets": [{"year": 2025, "op": "<", "value": 25, "quote": "dưới 25%"}],
            }
        ],
    }
)


def result(unit: str, value: float, status: str, gap: float, line: int) -> dict[str, Any]:
    numbers = ("baseline_value", "change", "path_value", "projected_value", "numerator", "denominator")
    return {
        **dict.fromkeys(RESULT_COLUMNS),
        **dict.fromkeys(numbers, math.nan),
        "plan": "p",
        "unit": unit,
        "indicator": "stunting",
        "code": "(1)",
        "year": 2025,
        "value": value,
        "status": status,
        "op": "<",
        "target": 25.0,
        "target_year": 2025,
        "basis": "absolute",
        "gap": gap,
        "expired": False,
        "small_numerator": False,
        "file": "data.csv",
        "line": line,
    }


ROWS = [result("Xã A", 20.0, "met", 5.0, 2), result("Xã B", 27.5, "not_met", -2.5, 3)]


def report(lang: Lang = "en") -> Report:
    return Report(
        results=pd.DataFrame(ROWS, columns=RESULT_COLUMNS),
        plans={"p": PLAN},
        lang=lang,
        generated=dt.datetime(2025, 12, 1, 9, 30),  # the pages and workbooks say when they were made
    )


def rendered(fmt: str, lang: Lang = "en") -> str:
    out = io.StringIO()
    renderer(fmt)(report(lang), out, False)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _fixed_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")  # the table's width whatever terminal runs the tests


def test_table_in_vietnamese() -> None:
    lines = [line.rstrip() for line in rendered("table", "vi").splitlines()]
    assert lines == [
        "Kế hoạch thử",
        "Đơn vị   Năm  Giá trị  Mục tiêu  Kết quả    Chênh lệch",
        "(1) Tỷ lệ thấp còi · mục tiêu < 25% (2025)",
        "Xã A    2025      20%  < 25%     Đạt                +5",
        "Xã B    2025    27,5%  < 25%     Không đạt        -2,5",
        "Theo đơn vị",
        "       Cần",
        "        xử     Không",
        "Đơn vị  lý Đạt   đạt",
        "Xã B     1   ·     1",
        "Xã A     0   1     ·",
        "Cần xử lý = số kết quả Không hợp lệ, Không đạt, Chậm lộ trình, Quá hạn",
        "Tổng hợp: 1 Đạt · 1 Không đạt",
    ]


def test_csv() -> None:
    assert rendered("csv") == (
        '"plan","goal","unit","indicator","code","year","value","status","op","target","target_year",'
        '"basis","baseline_year","baseline_value","change","path_value","gap","projected_value","outlook",'
        '"expired","numerator","denominator","small_numerator","note","file","line","indicator_name","user_note",'
        '"unit_code","built_from","partial","area_dissolved"\n'
        '"p",,"Xã A","stunting","(1)",2025,20,"met","<",25,2025,"absolute",,,,,5,,,false,,,false,,"data.csv",2,,,,,,\n'
        '"p",,"Xã B","stunting","(1)",2025,27.5,"not_met","<",25,2025,"absolute",,,,,-2.5,,,false,,,false,,"data.csv",3,,,,,,\n'
    )


def test_json() -> None:
    text = rendered("json")
    payload = json.loads(text)
    assert list(payload) == ["errors", "results", "summary", "units"]
    assert payload["errors"] == []  # every file was read
    assert payload["summary"] == {
        "met": 1,
        "not_met": 1,
        "on_track": 0,
        "off_track": 0,
        "not_due": 0,
        "no_baseline": 0,
        "no_data": 0,
        "invalid": 0,
        "unknown_indicator": 0,
    }
    # Every result as it is, in the column order of the CSV output; missing numbers are null.
    assert [list(r) for r in payload["results"]] == [RESULT_COLUMNS, RESULT_COLUMNS]
    assert payload["results"] == [
        {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in row.items()} for row in ROWS
    ]
    assert payload["units"] == [
        {"plan": "p", "unit": "Xã B", "failed": 1, "met": 0, "not_met": 1},
        {"plan": "p", "unit": "Xã A", "failed": 0, "met": 1, "not_met": 0},
    ]
    assert '"unit":"Xã A"' in text  # Vietnamese as it is, not \u escapes


def test_markdown() -> None:
    assert rendered("markdown") == (
        "## kpicheck\n"
        "\n"
        "- **Test plan** (`p`): Kế hoạch thử\n"
        "\n"
        "**Summary:** 1 Met · 1 Not met\n"
        "\n"
        "**Failing: 1** (Failing = results that are Invalid, Not met, Off track, Overdue)\n"
        "\n"
        "### What failed (1)\n"
        "\n"
        "| Unit | Indicator | Year | Value | Target | Status | Gap |\n"
        "| --- | --- | ---: | ---: | --- | --- | ---: |\n"
        "| Xã B | (1) Stunting | 2025 | 27.5% | < 25% | Not met | -2.5 |\n"
        "\n"
        "### By unit\n"
        "\n"
        "| Unit | Failing | Met | Not met |\n"
        "| --- | ---: | ---: | ---: |\n"
        "| Xã B | **1** | · | 1 |\n"
        "| Xã A | **0** | 1 | · |\n"
        "\n"
        "<details><summary>Details: 2</summary>\n"
        "\n"
        "| Unit | Indicator | Year | Value | Target | Status | Gap | Projection |\n"
        "| --- | --- | ---: | ---: | --- | --- | ---: | --- |\n"
        "| Xã A | (1) Stunting | 2025 | 20% | < 25% | Met | +5 |  |\n"
        "| Xã B | (1) Stunting | 2025 | 27.5% | < 25% | Not met | -2.5 |  |\n"
        "\n"
        "</details>\n"
    )


def test_junit() -> None:
    assert rendered("junit") == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<testsuites name="kpicheck" tests="2" failures="1" skipped="0" errors="0">\n'
        '  <testsuite name="p" tests="2" failures="1" skipped="0" errors="0">\n'
        '    <testcase classname="p.stunting" name="Xã A / stunting / 2025" file="data.csv" line="2">\n'
        "      <system-out>Met: 20% · target &lt; 25% · gap +5</system-out>\n"
        "    </testcase>\n"
        '    <testcase classname="p.stunting" name="Xã B / stunting / 2025" file="data.csv" line="3">\n'
        '      <failure message="Not met: 27.5% · target &lt; 25% · gap -2.5" type="not_met">'
        "Not met: 27.5% · target &lt; 25% · gap -2.5</failure>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        "</testsuites>\n"
    )


def section(page: str, start: str, end: str) -> str:
    found = re.search(re.escape(start) + ".*?" + re.escape(end), page, re.S)
    assert found is not None, start
    return found.group(0)


def test_html_sections() -> None:
    """The page's own text, section by section; the charts are checked for their caption and legend."""
    page = rendered("html")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n')
    assert section(page, "<header>", "</header>") == (
        '<header><h1>Test plan</h1><dl class="meta"><dt>Plan</dt><dd>p · UBND huyện · Huyện A</dd>'
        "<dt>Document</dt><dd>Kế hoạch thử</dd><dt>Generated</dt><dd>01/12/2025 09:30</dd></dl></header>"
    )
    assert section(page, '<section id="summary">', "</section>") == (
        '<section id="summary"><p class="chips"><b>Summary:</b> <span style="background:#c8e6c9">1 Met</span>'
        '<span style="background:#ffcdd2">1 Not met</span></p><p><b>Failing: 1</b> <span class="note">'
        "(Failing = results that are Invalid, Not met, Off track, Overdue)</span></p></section>"
    )
    assert section(page, '<section id="failed">', "</section>") == (
        '<section id="failed"><h2>What failed (1)</h2><table><thead><tr><th>Unit</th><th>Indicator</th>'
        "<th>Year</th><th>Value</th><th>Target</th><th>Status</th><th>Gap</th></tr></thead><tbody>"
        '<tr><td class="u">Xã B</td><td>(1) Stunting</td><td class="n">2025</td><td class="n">27.5%</td>'
        '<td class="n">&lt; 25%</td><td style="background:#ffcdd2">Not met</td><td class="n">-2.5</td></tr>'
        "</tbody></table></section>"
    )
    assert section(page, '<section id="units">', "</section>") == (
        '<section id="units"><h2>By unit</h2><table><thead><tr><th>Unit</th><th>Failing</th><th>Met</th>'
        "<th>Not met</th></tr></thead><tbody>"
        '<tr><td class="u">Xã B</td><td class="n"><b>1</b></td><td class="n">·</td><td class="n">1</td></tr>'
        '<tr><td class="u">Xã A</td><td class="n"><b>0</b></td><td class="n">1</td><td class="n">·</td></tr>'
        "</tbody></table></section>"
    )
    assert section(page, '<table class="grid">', "</table>") == (
        '<table class="grid"><tr><th>Unit</th><th class="y t" title="target year">2025 ◆</th></tr>'
        '<tr class="ind"><th colspan="2">(1) Stunting</th></tr>'
        '<tr><td class="u">Xã A</td><td class="s" style="background:#c8e6c9" title="Met: 20% (&lt; 25%)">20%</td></tr>'
        '<tr><td class="u">Xã B</td><td class="s" style="background:#ffcdd2" title="Not met: 27.5% (&lt; 25%)">'
        "27.5%</td></tr></table>"
    )
    chart = section(page, "<figure>", "</figure>")
    assert chart.startswith("<figure><figcaption>(1) Stunting</figcaption><svg")
    assert chart.endswith('<span style="color:#c62828">▬ Target</span></p></figure>')
    assert page.endswith("</body></html>\n")


def test_xlsx_cells() -> None:
    out = io.BytesIO()
    renderer("xlsx")(report(), out, False)
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    sheets = {
        ws.title: [tuple(c for c in row if c is not None) for row in ws.iter_rows(values_only=True)]
        for ws in book
    }
    assert sheets["Summary"] == [
        ("kpicheck – Summary",),
        (),
        ("Plan", "Test plan (p)"),
        ("Document", "Kế hoạch thử"),
        ("Generated", "01/12/2025 09:30"),
        (),
        ("Status", "Count"),
        ("Met", 1),
        ("Not met", 1),
        (),
        ("Failing = results that are Invalid, Not met, Off track, Overdue",),
        ("Unit", "Failing", "Met", "Not met", "Plan"),
        ("Xã B", 1, 0, 1, "p"),
        ("Xã A", 0, 1, 0, "p"),
    ]
    # Numbers stay numbers; the unit of measure has its own column. Empty cells left out.
    assert records(book["Results"]) == [
        {"Plan": "p", "Unit": "Xã A", "Code": "(1)", "Indicator": "Stunting", "Year": 2025, "Value": 20}
        | {"Unit of measure": "%", "Status": "Met", "Condition": "<", "Target": 25, "Target year": 2025}
        | {"Gap": 5, "File": "data.csv", "Line": 2, "Indicator id": "stunting", "Status code": "met"},
        {"Plan": "p", "Unit": "Xã B", "Code": "(1)", "Indicator": "Stunting", "Year": 2025, "Value": 27.5}
        | {"Unit of measure": "%", "Status": "Not met", "Condition": "<", "Target": 25, "Target year": 2025}
        | {"Gap": -2.5, "File": "data.csv", "Line": 3, "Indicator id": "stunting", "Status code": "not_met"},
    ]
    assert records(book["Failing"]) == [
        {"Unit": "Xã B", "Code": "(1)", "Indicator": "Stunting", "Year": 2025, "Value": 27.5}
        | {
            "Unit of measure": "%",
            "Target": "< 25%",
            "Status": "Not met",
            "Gap": -2.5,
            "File": "data.csv",
            "Line": 3,
        },
    ]


def records(sheet: Any) -> list[dict[str, Any]]:
    header, *rows = sheet.iter_rows(values_only=True)
    return [{k: v for k, v in zip(header, row, strict=True) if v is not None} for row in rows]


def test_every_registered_format_has_a_test_here() -> None:
    tested = {name.removeprefix("test_").split("_")[0] for name in globals() if name.startswith("test_")}
    assert set(FORMATS) <= tested
