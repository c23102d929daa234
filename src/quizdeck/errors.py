"""Errors that are the user's to fix.

Every exception here is *displayed to the user*: the CLI prints its message on one line and
exits non-zero. Anything else that escapes is a bug in quizdeck.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class QuizdeckError(Exception):
    """A mistake the user can fix; the message says where and how."""

    exit_code = 1


class UsageError(QuizdeckError):
    """The command was called wrongly (a missing file, a bad option value)."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One finding about a file: where it is and what is wrong.

    `where` names the place inside the bank (`question "victory-year" (#3), key "answer"`);
    `line` and `column` are 1-based and point into the file when they are known.
    """

    path: str
    message: str
    where: str = ""
    line: int | None = None
    column: int | None = None
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        location = self.path
        if self.line is not None:
            location += f":{self.line}"
            if self.column is not None:
                location += f":{self.column}"
        parts = [location]
        if self.severity == "warning":
            parts.append("warning")
        if self.where:
            parts.append(self.where)
        parts.append(self.message)
        return ": ".join(parts)


#: How many problems one file's report lists; the rest are counted ("… and 15,990 more problems"),
#: so a hostile file with a problem per line costs neither minutes of locating nor megabytes of output.
MAX_PROBLEMS = 20


def capped(problems: Sequence[Problem], name: str, limit: int = MAX_PROBLEMS) -> list[Problem]:
    """The first `limit` problems, then one line counting the rest ("… and 15,990 more problems").

    The one way quizdeck shortens a list of problems: banks, sheets and imports all use it, so a
    long report reads the same everywhere.
    """
    if len(problems) <= limit:
        return list(problems)
    return [*problems[:limit], more(name, len(problems) - limit)]


def more(name: str, rest: int) -> Problem:
    """The line that counts the problems not listed."""
    return Problem(name, f"… and {rest:,} more problem{'s' if rest != 1 else ''}")


class BankError(QuizdeckError):
    """A bank could not be loaded; carries every problem found in it."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
