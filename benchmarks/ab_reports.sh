#!/bin/bash
# The report formats on the national file, before and after a change, interleaved, three rounds:
#   git worktree add /tmp/before REF && benchmarks/ab_reports.sh /tmp/before 2> ab.txt
# Each line of stderr: "before|after FORMAT wall-s user-s peak-KB" (and read_csv's for reference).
set -u
BEFORE=${1:?usage: benchmarks/ab_reports.sh WORKTREE_OF_THE_BEFORE_COMMIT}
cd "$(dirname "$0")/.."
D=benchmarks/data/national.csv
P=benchmarks/plan/bench-national.yaml
PY=.venv/bin/python
for round in 1 2 3; do
  for f in markdown junit html xlsx table; do
    out="--quiet -o /tmp/ab.$f"
    [ "$f" = table ] && out=""
    PYTHONPATH="$BEFORE/src" COLUMNS=100 /usr/bin/time -f "before $f %e %U %M" \
      $PY -m kpicheck evaluate $D --plan $P --format $f $out > /dev/null 2> >(grep -E '^before' >&2)
    COLUMNS=100 /usr/bin/time -f "after $f %e %U %M" \
      $PY -m kpicheck evaluate $D --plan $P --format $f $out > /dev/null 2> >(grep -E '^after' >&2)
  done
  /usr/bin/time -f "read_csv - %e %U %M" $PY -c "import pandas as pd; pd.read_csv('$D')"
done
