"""The vocabulary of submitted tables, shared by every input format: column names and their
Vietnamese headers, the words offices write for "no figure", and the header layout rules."""

from __future__ import annotations

import re

from kpicheck.errors import DataError, Problem
from kpicheck.names import nfc

REQUIRED = ("unit", "indicator", "year", "value")


NAMES = ("unit", "indicator")


# Higher units a row belongs to, for ``--rollup``.
PARENT_COLUMNS = ("parent", "district", "province")


# The statistics office's code of the unit ("mã ĐVHC"), read as text: "03433" keeps its zero.
# A file may name its units by code alone.
CODE_COLUMNS = ("unit_code",)


# Columns of ``kpicheck template`` that help whoever fills it in; read and ignored.
TEMPLATE_COLUMNS = ("code", "name", "measure", "target")


OPTIONAL = ("numerator", "denominator", *PARENT_COLUMNS, "note", *TEMPLATE_COLUMNS, *CODE_COLUMNS)


NUMERIC = ("value", "numerator", "denominator")


# Written by offices for "no figure"; read as missing, judged ``invalid``. An empty cell is
# different: the figure is not submitted yet, as if the row were absent (``tidy.blank_values``).
MISSING_TOKENS = (
    "",
    "-",
    "--",
    "n/a",
    "na",
    "N/A",
    "NA",
    "null",
    "NULL",
    "không có số liệu",
    "Không có số liệu",
    "x",
    "X",
)


# "1.000" or "12.500.000": dots grouping thousands, as Vietnamese-locale Excel writes them.
THOUSANDS_DOT = re.compile(r"^\s*-?[1-9]\d{0,2}(\.\d{3})+\s*$")


# The years a figure can be for: the bounds the plan format puts on every year (plan/model.py).
FIRST_YEAR, LAST_YEAR = 1945, 2100


HEADER_ALIASES = {
    "don_vi": "unit",
    "đơn vị": "unit",
    "tên đơn vị": "unit",
    "ten_don_vi": "unit",
    "chi_tieu": "indicator",
    "chỉ tiêu": "indicator",
    "nam": "year",
    "năm": "year",
    "gia_tri": "value",
    "giá trị": "value",
    "ma_dvhc": "unit_code",
    "mã đvhc": "unit_code",
    "mã dvhc": "unit_code",
    "ma dvhc": "unit_code",
    "mã đơn vị": "unit_code",
    "ma_don_vi": "unit_code",
    "mã đơn vị hành chính": "unit_code",
    "unit code": "unit_code",
    # The helper columns of ``kpicheck template`` in Vietnamese.
    "số hiệu": "code",
    "tên chỉ tiêu": "name",
    "đơn vị đo": "measure",
    "mục tiêu": "target",
    # The user's own remark on a row: kept and shown in every format (``user_note``).
    "ghi_chu": "note",
    "ghi chu": "note",
    "ghi chú": "note",
}


def layout(header: list[str], name: str, line: int | None, notes: list[Problem]) -> tuple[list[str], bool]:
    """Canonical column names, and whether the table is wide (one column per indicator)."""
    columns = header_names(header, name, line)
    named = "unit" in columns or "unit_code" in columns  # by name, by code, or both
    wide = "indicator" not in columns and "value" not in columns and named and "year" in columns
    if wide:
        return columns, True
    missing = [c for c in REQUIRED if c not in columns and not (c == "unit" and named)]
    if missing:
        found = ", ".join(header)
        raise DataError(
            Problem.of(
                "data.missing-column",
                name,
                line,
                missing=", ".join(repr(m) for m in missing),
                found=shorten(found),
            )
        )
    extra = [
        repr(raw) if raw.strip() else f"#{i + 1}"  # a column without a name: its number, in any language
        for i, (raw, canon) in enumerate(zip(header, columns, strict=True))
        if canon not in (*REQUIRED, *OPTIONAL)
    ]
    if extra:
        notes.append(Problem.of("warning.unknown-columns", name, columns=", ".join(extra)))
    return columns, False


def header_names(header: list[str], name: str, line: int | None = 1) -> list[str]:
    names = []
    for raw in header:
        key = nfc(raw).strip().lower()
        names.append(HEADER_ALIASES.get(key, key))
    seen: set[str] = set()
    for raw, canon in zip(header, names, strict=True):
        if canon in seen:
            raise DataError(Problem.of("data.duplicate-column", name, line, raw, header=raw))
        if canon:  # columns without a name are ignored, however many
            seen.add(canon)
    return names


def ambiguous(raw: str, name: str, line: int, col: str) -> Problem:
    return Problem.of("data.ambiguous-number", name, line, col, text=raw)


def shorten(text: str, limit: int = 120) -> str:
    first = text.split("\n")[0].strip()
    return first if len(first) <= limit else first[: limit - 1] + "…"
