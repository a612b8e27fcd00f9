"""One reader per input format, all ending in the same checked table (``kpicheck.read.tidy``)."""
