"""``python -m kpicheck``: the same as the ``kpicheck`` command."""

from kpicheck.cli import main

main()
