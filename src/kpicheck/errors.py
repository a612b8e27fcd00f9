"""One error family for everything a user can get wrong.

Each problem carries a stable code from the catalogue (``kpicheck.messages``),
the message rendered from it, the place it refers to (file, line or row, key
or column) and, apart, a hint on what to do. ``str(problem)`` is the place
and the message, as the Python API shows it; the CLI adds the hint, which may
name command-line flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from kpicheck.messages import render, severity

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


@dataclass
class Problem:
    """One thing wrong with an input (or assumed to read it), located as precisely as we can."""

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    column: str | None = None  # a column, a plan key, or the option at fault
    hint: str = ""
    severity: str = "error"  # or "warning"
    args: dict[str, Any] = field(default_factory=dict)  # what the message was rendered from

    @classmethod
    def of(
        cls,
        code: str,
        file: str | None = None,
        line: int | None = None,
        column: str | None = None,
        **args: Any,
    ) -> Problem:
        """The problem ``code`` at this place, its message and hint rendered from the catalogue."""
        text = render(code, **args)
        return cls(code, text.message, file, line, column, text.hint, severity(code), args)

    def in_language(self, lang: str) -> Problem:
        """The same problem said in ``lang`` (``vi`` or ``en``), from its code and arguments."""
        text = render(self.code, lang, **self.args)
        return replace(self, message=text.message, hint=text.hint)

    @property
    def where(self) -> str:
        """``file:line: column``, as much of it as is known."""
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
        return ": ".join(p for p in (where, self.column) if p)

    def __str__(self) -> str:
        where = self.where
        return f"{where}: {self.message}" if where else self.message


class KpicheckError(Exception):
    """Base for errors caused by the user's input; the CLI maps them to exit code 2."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else problems
        super().__init__("\n".join(str(p) for p in self.problems))

    def in_language(self, lang: str) -> KpicheckError:
        """The same error, its problems said in ``lang``."""
        return type(self)([p.in_language(lang) for p in self.problems])


class PlanError(KpicheckError):
    """A plan file is unreadable or breaks the plan rules."""


class DataError(KpicheckError):
    """A submitted data file is unreadable or ambiguous."""


class OutputError(KpicheckError):
    """The result cannot be written where the user asked."""


class UsageError(KpicheckError):
    """The command line asks for something that cannot be done."""
