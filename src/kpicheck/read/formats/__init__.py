"""One reader per input format, all ending in the same checked table (``kpicheck.read.tidy``).

``kinds`` decides a file's format from its first bytes; ``csv_reader``,
``excel_reader`` and ``parquet_reader`` read each; ``workbook_scan`` looks at a
workbook's XML before calamine builds a sheet, which it cannot do safely for
every file (a stray far cell makes it abort the process).
"""
