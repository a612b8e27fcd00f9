"""Every problem of a read, found in one run, as frictionless' ``validate`` reports them.

A person correcting a file wants its whole list at once, not one problem per
run. The checks already find every bad row as a mask; ``Found`` turns the first
rows of each mask into problems (at most ``CAP`` of each kind, so a file of two
million bad years costs no more than one of fifty) and counts the rest. A run
lists at most ``CAP`` problems, in file order and, within a file, by line,
then says how many more there are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from kpicheck.errors import DataError, Problem

# Problems listed per run; the rest are counted in one last line.
CAP = 50

# The code of the last line, "and N more problem(s)", whose count adds up when lists are joined.
MORE = Problem.of("data.more-problems", count=0).code


class Found:
    """The errors found in one file, each check's first ``CAP`` kept and the rest counted."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.more = 0

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def rows(
        self, mask: np.ndarray, problem: Callable[[int], Problem], line: np.ndarray | None = None
    ) -> None:
        """``problem(i)`` for each position ``i`` where ``mask`` is set, the first ``CAP`` of them.

        With ``line``, one problem per line: a wide table's row becomes a row per
        indicator column, and its unit or year is one cell however many they are.
        """
        at = np.flatnonzero(mask)
        if line is not None and len(at) > 1:
            at = np.sort(at[np.unique(line[at], return_index=True)[1]])
        for i in at[:CAP]:
            self.problems.append(problem(int(i)))
        self.more += max(0, len(at) - CAP)

    def check(self) -> None:
        """Raise what was found, by line (a problem of the whole file first), at most ``CAP`` of it."""
        if self.problems or self.more:
            ordered = sorted(self.problems, key=lambda p: -1 if p.line is None else p.line)
            raise DataError(limit(ordered, self.more))


def limit(problems: Iterable[Problem], more: int = 0) -> list[Problem]:
    """The first ``CAP`` problems and, if there are more, one last problem saying how many.

    Lists already limited (a file's, then a run's) are limited again: their
    counts of the rest add up.
    """
    kept: list[Problem] = []
    for problem in problems:
        if problem.code == MORE:
            more += int(problem.args["count"])
        elif len(kept) < CAP:
            kept.append(problem)
        else:
            more += 1
    if more:
        kept.append(Problem.of(MORE, count=more))
    return kept
