"""One error family for everything a user can get wrong.

Each error carries the place it refers to (file, line or row, key or column)
so the CLI can print a single line that tells the user where to look.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


@dataclass
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    message: str
    file: str | None = None
    line: int | None = None
    key: str | None = None
    row_label: str = "line"

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
        parts = [p for p in (where, self.key) if p]
        prefix = ": ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message


class KpicheckError(Exception):
    """Base for errors caused by the user's input; the CLI maps them to exit code 2."""

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class PlanError(KpicheckError):
    """A plan file is unreadable or breaks the plan rules."""


class DataError(KpicheckError):
    """A submitted data file is unreadable or ambiguous."""


class OutputError(KpicheckError):
    """The result cannot be written where the user asked."""


class UsageError(KpicheckError):
    """The command line asks for something that cannot be done."""
