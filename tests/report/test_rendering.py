"""Each output format rendered from a report built here by hand, not by a run of the CLI.

Two results of one indicator, one met and one not, so a change in a format
shows as a small, readable difference; tests/golden/ holds the whole outputs
of a real run.
"""

from __future__ import annotations

import io
import json
import math
import re
from typing import Any

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


def rendered(fmt: str, lang: Lang = "en") -> str:
    report = Report(results=pd.DataFrame(ROWS, columns=RESULT_COLUMNS), plans={"p": PLAN}, lang=lang)
    out = io.StringIO()
    renderer(fmt)(report, out, False)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _fixed_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)  # tables for a file or pipe: 160 columns


def test_table_in_vietnamese() -> None:
    lines = [line.rstrip() for line in rendered("table", "vi").splitlines()]
    assert lines == [
        "Kế hoạch thử",
        "┏━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━┳━━━━━━┳━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━┓",
        "┃ Chỉ tiêu           ┃ Đơn vị ┃  Năm ┃ Giá trị ┃ Mục tiêu ┃ Kết quả   ┃ Chênh lệch ┃ Dự báo ┃",
        "┡━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━╇━━━━━━╇━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━┩",
        "│ (1) Tỷ lệ thấp còi │ Xã A   │ 2025 │     20% │    < 25% │ Đạt       │         +5 │        │",
        "│                    │ Xã B   │ 2025 │   27,5% │    < 25% │ Không đạt │       -2,5 │        │",
        "└────────────────────┴────────┴──────┴─────────┴──────────┴───────────┴────────────┴────────┘",
        "Theo đơn vị",
        "┏━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━┳━━━━━━━━━━━┓",
        "┃ Đơn vị ┃ Không đạt yêu cầu ┃ Đạt ┃ Không đạt ┃",
        "┡━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━╇━━━━━━━━━━━┩",
        "│ Xã B   │                 1 │   · │         1 │",
        "│ Xã A   │                 0 │   1 │         · │",
        "└────────┴───────────────────┴─────┴───────────┘",
        "Tổng hợp: 1 Đạt · 1 Không đạt",
    ]


def test_csv() -> None:
    assert rendered("csv") == (
        '"plan","goal","unit","indicator","code","year","value","status","op","target","target_year",'
        '"basis","baseline_year","baseline_value","change","path_value","gap","projected_value","outlook",'
        '"expired","numerator","denominator","small_numerator","note","file","line"\n'
        '"p",,"Xã A","stunting","(1)",2025,20,"met","<",25,2025,"absolute",,,,,5,,,false,,,false,,"data.csv",2\n'
        '"p",,"Xã B","stunting","(1)",2025,27.5,"not_met","<",25,2025,"absolute",,,,,-2.5,,,false,,,false,,"data.csv",3\n'
    )


def test_json() -> None:
    text = rendered("json")
    payload = json.loads(text)
    assert list(payload) == ["summary", "results", "units"]
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
    assert '"unit": "Xã A"' in text  # Vietnamese as it is, not \u escapes


def test_markdown() -> None:
    assert rendered("markdown") == (
        "## kpicheck\n"
        "\n"
        "- **Test plan** (`p`)\n"
        "\n"
        "**Summary:** 1 Met · 1 Not met\n"
        "\n"
        "| Plan | Unit | ❌ | Met | Not met |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| p | Xã B | 1 | 0 | 1 |\n"
        "| p | Xã A | 0 | 1 | 0 |\n"
        "\n"
        "### Not met / Off track / Invalid\n"
        "\n"
        "| Unit | Indicator | Year | Value | Target | Status | Gap | Projection |\n"
        "| --- | --- | ---: | ---: | --- | --- | ---: | --- |\n"
        "| Xã B | `stunting` | 2025 | 27.5% | < 25% | Not met | -2.5 |  |\n"
        "\n"
        "<details><summary>results: 2</summary>\n"
        "\n"
        "| Unit | Indicator | Year | Value | Target | Status | Gap | Projection |\n"
        "| --- | --- | ---: | ---: | --- | --- | ---: | --- |\n"
        "| Xã A | `stunting` | 2025 | 20% | < 25% | Met | +5 |  |\n"
        "| Xã B | `stunting` | 2025 | 27.5% | < 25% | Not met | -2.5 |  |\n"
        "\n"
        "</details>\n"
    )


def test_junit() -> None:
    assert rendered("junit") == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<testsuites name="kpicheck" tests="2" failures="1" skipped="0" errors="0">\n'
        '  <testsuite name="p" tests="2" failures="1" skipped="0" errors="0">\n'
        '    <testcase classname="p.stunting" name="Xã A / stunting / 2025">\n'
        "      <system-out>met: value 20.0; target &lt; 25.0 (2025); gap 5.0</system-out>\n"
        "    </testcase>\n"
        '    <testcase classname="p.stunting" name="Xã B / stunting / 2025">\n'
        '      <failure message="not_met: value 27.5; target &lt; 25.0 (2025); gap -2.5" type="not_met">'
        "not_met: value 27.5; target &lt; 25.0 (2025); gap -2.5</failure>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        "</testsuites>\n"
    )


def test_html_summary_and_status_grid() -> None:
    """The page's own text; the chart around it is Plotly's (tests/report/test_formats.py opens it)."""
    page = rendered("html")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n')
    assert re.findall(r"<h[12]>.*?</h[12]>", page) == ["<h1>kpicheck</h1>", "<h2>Test plan</h2>"]
    summary = re.search(r'<p class="summary">.*?</p>', page)
    assert summary is not None and summary.group(0) == (
        '<p class="summary"><b>Summary:</b> <span style="color:#2e7d32">1 Met</span>'
        '<span style="color:#c62828">1 Not met</span></p>'
    )
    grid = re.search(r'<table class="grid">.*?</table>', page)
    assert grid is not None and grid.group(0) == (
        '<table class="grid"><tr><th>Unit</th><th title="Stunting">(1) stunting</th></tr>'
        '<tr><th>Xã A</th><td class="s" style="background:#2e7d32">Met 2025</td></tr>'
        '<tr><th>Xã B</th><td class="s" style="background:#c62828">Not met 2025</td></tr></table>'
    )
    assert page.endswith("</body></html>\n")


def test_every_registered_format_has_a_test_here() -> None:
    tested = {name.removeprefix("test_").split("_")[0] for name in globals() if name.startswith("test_")}
    assert set(FORMATS) <= tested
