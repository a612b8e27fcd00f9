"""Write the hostile-input corpus: one small file per case, what each must do is in cases.yaml.

    .venv/bin/python tests/corpus/make_corpus.py

The files are committed; this script says how each was made (the exact bytes
of every encoding) and makes them again. Large cases (a 100 MB line) are made
at test time in a temporary folder instead, never committed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
HEADER = "unit,indicator,year,value\n"
ROW = "Xã Bum Nưa,stunting_u5,2025,24\n"
FIXED = dt.datetime(2025, 1, 1)

# TCVN3 ("ABC", the .VnTime fonts): the bytes of the letters used below.
TCVN3 = {"ã": 0xB7, "ư": 0xAD, "ờ": 0xEA, "è": 0xCC, "ị": 0xDE, "Đ": 0xA7, "ơ": 0xAC}
# VNI: a base letter followed by a mark byte; ư and ơ have their own bytes.
VNI = {"ã": b"a\xf5", "ư": b"\xf6", "ờ": b"\xf4\xf8", "è": b"e\xf8"}
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def tcvn3(text: str) -> bytes:
    return b"".join(bytes([TCVN3[c]]) if c in TCVN3 else c.encode("ascii") for c in text)


def vni(text: str) -> bytes:
    return b"".join(VNI[c] if c in VNI else c.encode("ascii") for c in text)


def cp1258(text: str) -> bytes:
    """Windows-1258 as Windows writes it: precomposed where the code page has the letter,
    else the base letter and a combining tone mark."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
            tone = "".join(c for c in parts if c in _TONES)
            out.append(base.encode("cp1258") + tone.encode("cp1258"))
    return b"".join(out)


def text_files() -> dict[str, bytes]:
    rows = ROW + "Thị trấn Mường Tè,stunting_u5,2025,26\n"
    return {
        "csv-empty.csv": b"",
        "csv-only-blank-lines.csv": b"\n \r\n\t\n",
        "csv-header-only.csv": HEADER.encode(),
        "csv-missing-column.csv": "unit,indicator,value\nXã Bum Nưa,stunting_u5,24\n".encode(),
        "csv-duplicate-column.csv": "unit,indicator,year,value,value\nXã Bum Nưa,stunting_u5,2025,24,24\n".encode(),
        "csv-duplicate-column-alias.csv": (
            "unit,indicator,year,value,giá trị\nXã Bum Nưa,stunting_u5,2025,24,24\n".encode()
        ),
        "csv-unknown-column.csv": "unit,indicator,year,value,ghi_chu_khac\nXã Bum Nưa,stunting_u5,2025,24,x\n".encode(),
        "csv-trailing-delimiters.csv": "unit,indicator,year,value,,\nXã Bum Nưa,stunting_u5,2025,24,,\n".encode(),
        "csv-semicolon.csv": (HEADER + rows).replace(",", ";").encode(),
        "csv-tab.tsv": (HEADER + rows).replace(",", "\t").encode(),
        "csv-utf8-bom.csv": ("\ufeff" + HEADER + rows).encode(),
        # Excel's "Unicode text": UTF-16 little-endian with its mark, tab-separated, CRLF.
        "csv-utf16le-excel-unicode-text.txt": (
            ("\ufeff" + HEADER + rows).replace(",", "\t").replace("\n", "\r\n").encode("utf-16-le")
        ),
        "csv-utf16be.txt": ("\ufeff" + HEADER + rows).replace(",", "\t").encode("utf-16-be"),
        # Excel's plain "CSV" on a Vietnamese Windows; a Vietnamese header too.
        "csv-windows-1258.csv": cp1258("Đơn vị,Chỉ tiêu,Năm,Giá trị\n" + rows),
        "csv-tcvn3.csv": HEADER.encode()
        + tcvn3("Xã Bum Nưa,stunting_u5,2025,24\nMường Tè,stunting_u5,2025,26\n"),
        "csv-vni.csv": HEADER.encode()
        + vni("Xã Bum Nưa,stunting_u5,2025,24\nMường Tè,stunting_u5,2025,26\n"),
        # A .VnTime workbook saved as "CSV UTF-8": TCVN3 bytes shown as Windows-1252, in UTF-8.
        "csv-tcvn3-saved-as-utf8.csv": (
            HEADER + tcvn3("Xã Bum Nưa,stunting_u5,2025,24\n").decode("cp1252")
        ).encode(),
        "csv-utf8-damaged.csv": HEADER.encode() + ROW.encode() + b"X\xe3 Ka L\xff,stunting_u5,2025,26\n",
        "csv-decimal-comma.csv": (HEADER + 'Xã Bum Nưa,stunting_u5,2025,"24,5"\n').encode(),
        "csv-thousands-dot.csv": (
            "unit,indicator,year,value,numerator,denominator\nXã Bum Nưa,stunting_u5,2025,24,240,1.000\n".encode()
        ),
        "csv-thousands-comma.csv": (
            'unit,indicator,year,value,numerator,denominator\nXã Bum Nưa,stunting_u5,2025,24,240,"1,000"\n'.encode()
        ),
        "csv-numerator-alone.csv": (
            "unit,indicator,year,value,numerator\nXã Bum Nưa,stunting_u5,2025,24,240\n".encode()
        ),
        "csv-percent-sign.csv": (HEADER + "Xã Bum Nưa,stunting_u5,2025,92%\n").encode(),
        "csv-missing-values.csv": (
            HEADER
            + "Xã Bum Nưa,stunting_u5,2025,N/A\n"
            + "Xã Ka Lăng,stunting_u5,2025,-\n"
            + "Xã Mù Cả,stunting_u5,2025,\n"
            + "Xã Pa Ủ,stunting_u5,2025,không có số liệu\n"
        ).encode(),
        "csv-negative-rate.csv": (HEADER + "Xã Bum Nưa,stunting_u5,2025,-3\n").encode(),
        "csv-percent-above-100.csv": (HEADER + "Xã Bum Nưa,stunting_u5,2025,130\n").encode(),
        "csv-conflicting-duplicates.csv": (
            HEADER + ROW + "Xã Bum Nưa,stunting_u5,2024,29\nXã Bum Nưa,stunting_u5,2025,26\n"
        ).encode(),
        "csv-nfd-names.csv": unicodedata.normalize("NFD", HEADER + rows).encode(),
        "csv-nfd-nfc-conflict.csv": (
            HEADER + ROW + unicodedata.normalize("NFD", "Xã Bum Nưa,stunting_u5,2025,26\n")
        ).encode(),
        "csv-year-float.csv": (HEADER + "Xã Bum Nưa,stunting_u5,2025.0,24\n").encode(),
        "csv-year-word.csv": (HEADER + "Xã Bum Nưa,stunting_u5,năm 2025,24\n").encode(),
        "csv-year-range.csv": (HEADER + "Xã Bum Nưa,stunting_u5,2024-2025,24\n").encode(),
        "csv-binary.csv": bytes(range(256)) * 4,
        "csv-zip-renamed.csv": b"PK\x03\x04" + bytes(range(20, 120)),
        "csv-xls-renamed.csv": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
        "csv-ragged-row.csv": (HEADER + ROW + "Xã Ka Lăng,stunting_u5,2025,26,x\n").encode(),
        "csv-unclosed-quote.csv": (HEADER + ROW + '"Xã Ka Lăng,stunting_u5,2025,26\n').encode(),
        "csv-blank-unit.csv": (HEADER + ROW + ",stunting_u5,2025,26\n").encode(),
        # Numbers that read one way only once the decimal mark is declared.
        "csv-point-under-decimal-comma.csv": (
            HEADER + "Xã Bum Nưa,stunting_u5,2025,24.6\nXã Ka Lăng,underweight_u5,2025,8.5\n"
        ).encode(),
        "csv-three-decimals.csv": (HEADER + "Xã Bum Nưa,stunting_u5,2025,24.781\n").encode(),
        "csv-thousands-dots-and-comma.csv": (
            "unit,indicator,year,value,numerator,denominator\n"
            'Xã Bum Nưa,stunting_u5,2025,"24,5","3.062","12.500"\n'
        ).encode(),
        "csv-year-out-of-range.csv": (
            HEADER + "Xã Bum Nưa,stunting_u5,25,24\nXã Bum Nưa,stunting_u5,20255,24\n"
            "Xã Bum Nưa,stunting_u5,-2025,24\nXã Bum Nưa,stunting_u5,1800,24\n"
        ).encode(),
        "csv-non-finite.csv": (
            HEADER + "Xã Bum Nưa,stunting_u5,2025,inf\nXã Ka Lăng,stunting_u5,2025,-inf\n"
            "Xã Mù Cả,stunting_u5,2025,1e400\nXã Pa Ủ,stunting_u5,2025,nan\n"
        ).encode(),
        "csv-non-finite-denominator.csv": (
            "unit,indicator,year,value,numerator,denominator\nXã Bum Nưa,stunting_u5,2025,24,240,1e400\n"
        ).encode(),
        # One unit and one indicator, each written several ways a person reads as the same.
        "csv-names-look-alike.csv": (
            HEADER + "Xã Bum Nưa,stunting_u5,2025,24\n"
            "xã  bum nưa,STUNTING_U5,2024,26\n"
            "Xã\u00a0Bum\u200b Nưa,underweight_u5,2025,20\n"
            "Thị trấn Mường Tè,stunting_u5,2025,26\n"
        ).encode(),
        "csv-names-look-alike-conflict.csv": (
            HEADER + "Xã Bum Nưa,stunting_u5,2025,24\nXÃ BUM NƯA,Stunting_U5,2025,27\n"
        ).encode(),
        # Six rows, four problems: all four said in one run.
        "csv-four-problems.csv": (
            HEADER + "Xã Bum Nưa,stunting_u5,2025,24\n"
            "Xã Ka Lăng,stunting_u5,năm hai,26\n"
            ",stunting_u5,2025,26\n"
            "Xã Mù Cả,stunting_u5,2025,92%\n"
            "Xã Pa Ủ,stunting_u5,2025,24\n"
            "Xã Pa Ủ,underweight_u5,2025,1.000\n"
        ).encode(),
    }


def workbook_bytes(book: openpyxl.Workbook, cached: dict[str, str] | None = None) -> bytes:
    """The workbook as .xlsx bytes, formula results cached as Excel saves them, timestamps fixed."""
    book.properties.created = book.properties.modified = FIXED
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                data = re.sub(
                    rb"<dcterms:modified([^>]*)>[^<]*<", rb"<dcterms:modified\1>2025-01-01T00:00:00Z<", data
                )
            if item.filename.startswith("xl/worksheets/") and cached:
                text = data.decode()
                for formula, value in cached.items():
                    text = text.replace(f"<f>{formula}</f><v />", f"<f>{formula}</f><v>{value}</v>")
                data = text.encode()
            dst.writestr(zipfile.ZipInfo(item.filename, FIXED.timetuple()[:6]), data)
    return out.getvalue()


def table_sheet(sheet, rows: list[list[object]]) -> None:  # type: ignore[no-untyped-def]
    for row in rows:
        sheet.append(row)


def excel_files() -> dict[str, bytes]:
    files = {}
    header = ["Đơn vị", "Chỉ tiêu", "Năm", "Giá trị"]

    book = openpyxl.Workbook()
    book.active.title = "Hướng dẫn"
    book.active["A1"] = "Điền số liệu vào các trang 2024 và 2025"
    table_sheet(book.create_sheet("2024"), [header, ["Xã Bum Nưa", "stunting_u5", 2024, 29]])
    table_sheet(book.create_sheet("2025"), [header, ["Xã Bum Nưa", "stunting_u5", 2025, 24]])
    files["xlsx-several-sheets.xlsx"] = workbook_bytes(book)

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Số liệu"
    sheet["A1"] = "BÁO CÁO SỐ LIỆU TRẺ EM NĂM 2025"
    sheet.merge_cells("A1:D1")
    sheet["A2"] = "Huyện Mường Tè"
    for col, title in enumerate(header, start=1):
        sheet.cell(row=4, column=col, value=title)
    sheet.append(["Xã Bum Nưa", "stunting_u5", 2025, 24])
    sheet.append(["Xã Ka Lăng", "stunting_u5", 2025, 26])
    files["xlsx-title-rows.xlsx"] = workbook_bytes(book)

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "Báo cáo"
    for col, title in enumerate(header, start=1):
        sheet.cell(row=3, column=col, value=title)
    sheet.append(["Xã Bum Nưa", "stunting_u5", 2025, 24])
    sheet.append([])  # a blank row: row numbers stay Excel's
    sheet.append(["Xã Ka Lăng", "stunting_u5", "2024-2025", 26])
    files["xlsx-bad-year-row-number.xlsx"] = workbook_bytes(book)

    # A wide sheet with a two-row header: "Chỉ tiêu" merged over the indicator
    # columns, unit and year merged down both header rows; a unit merged over two years.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"], sheet["C1"] = "Đơn vị", "Năm", "Chỉ tiêu"
    sheet["C2"], sheet["D2"] = "stunting_u5", "underweight_u5"
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("B1:B2")
    sheet.merge_cells("C1:D1")
    sheet.append(["Xã Bum Nưa", 2024, 29, 20])
    sheet.append([None, 2025, 24, 18])
    sheet.merge_cells("A3:A4")
    files["xlsx-merged-header.xlsx"] = workbook_bytes(book)

    book = openpyxl.Workbook()
    table_sheet(
        book.active,
        [
            header,
            ["Xã Bum Nưa", "stunting_u5", "2025", "24"],
            ["Xã Ka Lăng", "stunting_u5", "2025", " 26.5 "],
        ],
    )
    files["xlsx-numbers-as-text.xlsx"] = workbook_bytes(book)

    book = openpyxl.Workbook()
    table_sheet(
        book.active,
        [
            header,
            ["Xã Bum Nưa", "stunting_u5", 2025, "=ROUND(240/1000*100,1)"],
            ["Xã Ka Lăng", "stunting_u5", "=2020+5", 26],
        ],
    )
    files["xlsx-formulas.xlsx"] = workbook_bytes(book, {"ROUND(240/1000*100,1)": "24", "2020+5": "2025"})

    book = openpyxl.Workbook()
    table_sheet(book.active, [header, ["Xã Bum Nưa", "stunting_u5", 2025, 24, "ghi chú không tên"]])
    files["xlsx-unnamed-column.xlsx"] = workbook_bytes(book)

    # Rates typed into percent-formatted cells: Excel shows 24% and holds 0.24.
    book = openpyxl.Workbook()
    table_sheet(
        book.active,
        [header, ["Xã Bum Nưa", "stunting_u5", 2025, 0.24], ["Xã Ka Lăng", "stunting_u5", 2025, 0.26]],
    )
    for row in book.active.iter_rows(min_row=2, min_col=4, max_col=4):
        row[0].number_format = "0%"
    files["xlsx-percent-format.xlsx"] = workbook_bytes(book)

    # Numeric cells are numbers whatever --decimal says; text cells follow it.
    book = openpyxl.Workbook()
    table_sheet(
        book.active,
        [
            header,
            ["Xã Bum Nưa", "stunting_u5", 2025, 24.6],
            ["Xã Ka Lăng", "stunting_u5", 2025, 18],
            ["Xã Mù Cả", "preschool_enrolment_5y", 2025, 99.25],
            ["Xã Pa Ủ", "stunting_u5", 2025, "24,5"],
        ],
    )
    files["xlsx-numbers-and-decimal-comma.xlsx"] = workbook_bytes(book)

    # A formula saved by a program that does not compute it: no cached result.
    book = openpyxl.Workbook()
    table_sheet(
        book.active,
        [header, ["Xã Bum Nưa", "stunting_u5", 2025, 24], ["Xã Ka Lăng", "stunting_u5", 2025, "=240/10"]],
    )
    files["xlsx-formula-without-result.xlsx"] = workbook_bytes(book)

    # One stray cell at the last cell a sheet has: calamine would ask for 512 GiB and abort.
    book = openpyxl.Workbook()
    table_sheet(book.active, [header, ["Xã Bum Nưa", "stunting_u5", 2025, 24]])
    book.active["XFD1048576"] = "x"
    files["xlsx-stray-last-cell.xlsx"] = workbook_bytes(book)

    # A year 25 and a year 20255 in number cells.
    book = openpyxl.Workbook()
    table_sheet(
        book.active,
        [header, ["Xã Bum Nưa", "stunting_u5", 25, 24], ["Xã Ka Lăng", "stunting_u5", 20255, 26]],
    )
    files["xlsx-year-out-of-range.xlsx"] = workbook_bytes(book)

    files["xlsx-truncated.xlsx"] = files["xlsx-title-rows.xlsx"][:300]
    files["csv-xlsx-renamed.csv"] = files["xlsx-title-rows.xlsx"]
    return files


def parquet_bytes(table: pa.Table) -> bytes:
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


def parquet_files() -> dict[str, bytes]:
    units = ["Xã Bum Nưa", "Xã Ka Lăng"]
    indicators = ["stunting_u5", "stunting_u5"]
    return {
        "parquet-ok.parquet": parquet_bytes(
            pa.table({"unit": units, "indicator": indicators, "year": [2025, 2025], "value": [24.0, 26.0]})
        ),
        "parquet-text-columns.parquet": parquet_bytes(
            pa.table(
                {"unit": units, "indicator": indicators, "year": ["2025", "2025"], "value": ["24", "26"]}
            )
        ),
        "parquet-value-bool.parquet": parquet_bytes(
            pa.table({"unit": units, "indicator": indicators, "year": [2025, 2025], "value": [True, False]})
        ),
        "parquet-unit-number.parquet": parquet_bytes(
            pa.table({"unit": [1, 2], "indicator": indicators, "year": [2025, 2025], "value": [24.0, 26.0]})
        ),
        "parquet-truncated.parquet": b"PAR1" + bytes(64),
        # Integer widths a writer may choose: int8 holds no year, a uint64 may not fit in int32.
        "parquet-year-int8.parquet": parquet_bytes(
            pa.table(
                {
                    "unit": units,
                    "indicator": indicators,
                    "year": pa.array([25, 25], pa.int8()),
                    "value": [24.0, 26.0],
                }
            )
        ),
        "parquet-year-uint64-overflow.parquet": parquet_bytes(
            pa.table(
                {
                    "unit": units,
                    "indicator": indicators,
                    "year": pa.array([2025, 2**32 + 2025], pa.uint64()),
                    "value": [24.0, 26.0],
                }
            )
        ),
        "parquet-odd-widths.parquet": parquet_bytes(
            pa.table(
                {
                    "unit": units,
                    "indicator": indicators,
                    "year": pa.array([2025, 2024], pa.uint16()),
                    "value": pa.array([24.6, 26.0], pa.float32()),
                }
            )
        ),
        "parquet-infinite-value.parquet": parquet_bytes(
            pa.table(
                {"unit": units, "indicator": indicators, "year": [2025, 2025], "value": [float("inf"), 24.0]}
            )
        ),
    }


PLAN = """\
id: plan-extends-path
extends: ../muong-te-ct28
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


def plan_files() -> dict[str, bytes]:
    # ``extends`` names a plan id; a path that climbs out of the targets folder is refused.
    return {"plan-extends-path.yaml": PLAN.encode()}


def main() -> None:
    for name, data in {**text_files(), **excel_files(), **parquet_files(), **plan_files()}.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
