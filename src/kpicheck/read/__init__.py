"""Stage 2, the data: which files a run reads and how each becomes rows of the checked long table.

``files`` finds the files named, in folders and by patterns; ``columns`` the
vocabulary of headers every format shares; ``encodings`` decides a text file's
encoding; ``readahead`` parses CSV files in the background while pandas is
imported; ``formats/`` one reader per input format (CSV, Excel, Parquet) behind
one interface; ``tidy`` the checks every format's rows go through;
``problems`` collects every problem of a run (up to a cap) instead of stopping
at the first; ``actuals`` ties them together; ``milestones`` reads
milestone-status files.
"""
