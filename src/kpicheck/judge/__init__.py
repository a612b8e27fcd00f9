"""Stage 3, the verdicts: figures against targets, as whole columns.

``targets`` compiles a plan into sorted arrays and locates the targets around
each (indicator, year); ``rows`` the data columns as arrays and their chunking
into whole units; ``indicators`` which of the plan's indicators a written name,
code or alias means; ``series`` each unit's time series for look-ups; ``rules``
the status rules as named steps, on the comparisons of ``operators``;
``missing`` the ``no_data`` rows; ``notes`` kpicheck's remarks as codes;
``results`` the result columns for pandas and Arrow; ``engine`` ties them
together; ``projection`` the progress outlook; ``rollup`` aggregation to a
higher unit; ``shares`` shares of sub-units counted from their yes/no rows;
``milestones`` tasks against deadlines. Imports neither
``kpicheck.read`` nor ``kpicheck.report``.
"""

from kpicheck.judge.engine import count_statuses, evaluate, judge
from kpicheck.judge.results import RESULT_COLUMNS, Judged, concat_results, empty_results
from kpicheck.judge.rows import CHUNK_ROWS, Rows, unit_chunks
from kpicheck.judge.targets import TargetTable, compile_plan

__all__ = [
    "CHUNK_ROWS",
    "RESULT_COLUMNS",
    "Judged",
    "Rows",
    "TargetTable",
    "compile_plan",
    "concat_results",
    "count_statuses",
    "empty_results",
    "evaluate",
    "judge",
    "unit_chunks",
]
