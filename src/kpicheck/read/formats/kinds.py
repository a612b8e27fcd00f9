"""Which format a data file is in, decided by its first bytes, then its suffix."""

from __future__ import annotations

# Only the first 64 KiB are read to decide the format and encoding.
SNIFF_BYTES = 1 << 16
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
PARQUET_SUFFIXES = (".parquet",)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PARQUET_MAGIC = b"PAR1"


def file_kind(head: bytes, suffix: str) -> str:
    """``excel``, ``parquet``, ``xls`` or ``csv``: an Excel workbook saved as ``.csv`` is a workbook."""
    if head.startswith(_ZIP_MAGIC) or suffix in EXCEL_SUFFIXES:
        return "excel"
    if head.startswith(_PARQUET_MAGIC) or suffix in PARQUET_SUFFIXES:
        return "parquet"
    if head.startswith(_OLE_MAGIC):
        return "xls"
    return "csv"
