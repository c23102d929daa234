"""Answer sheets: a student's responses to a bank, one TOML key per question id.

```toml
victory-year = "2017"                 # short: text
bases = "8"                           # choice: the choice's text
roles = ["a", "b"]                    # multi: the chosen choices' texts
invited = true                        # truefalse
trained = 50000                       # numeric: a number (or a string of digits, any script)
transfer-cloze = ["8", "2020"]        # cloze: one entry per deletion number, c1 first
timeline = ["x", "y", "z"]            # order: the items in the order given
people = { "left 1" = "right 1" }     # match: left -> right (lefts may be left out)
knew-it = true                        # card: self-assessed
```

Questions missing from a sheet are unanswered. `load_sheet` checks every value against its
question's type and raises one SheetError listing every problem (file:line, question id, what
was expected), so a teacher fixes a sheet in one go. Texts that name a choice, an item or a pair
side are matched as typed, or failing that after `grading.normalize` (so a copy with other
hamza forms or harakat still names the choice), and stored as the bank writes them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizdeck.bank import Bank, parse_toml
from quizdeck.errors import BankError, Problem, QuizdeckError
from quizdeck.files import FileError, read_text
from quizdeck.grading import normalize, parse_number
from quizdeck.questions import (
    Card,
    Choice,
    Cloze,
    Match,
    Multi,
    Numeric,
    Order,
    Question,
    Short,
    TrueFalse,
)

#: Sheets larger than this are refused: a class's sheets are a few hundred bytes each.
MAX_SHEET_BYTES = 8 * 1024 * 1024


class SheetError(QuizdeckError):
    """An answer sheet could not be read or does not fit its bank; carries every problem."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Sheet:
    """One student's validated responses: question id -> answer-sheet value."""

    name: str
    responses: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None


def load_sheet(path: str | Path, bank: Bank) -> Sheet:
    """Read and validate an answer sheet for `bank`; the student's name is the file's stem."""
    path = Path(path)
    try:
        text = read_text(path, limit=MAX_SHEET_BYTES, folder_hint="give an answer sheet (.toml file)")
    except FileError as error:
        raise SheetError([error.problem()]) from None
    return parse_sheet(text, bank, name=str(path), student=path.stem, path=path)


def parse_sheet(text: str, bank: Bank, *, name: str = "<sheet>", student: str = "", path: Path | None = None) -> Sheet:
    """Validate the TOML text of an answer sheet against `bank` (see the module docstring)."""
    try:
        data = parse_toml(text, name)
    except BankError as error:
        raise SheetError(error.problems) from None
    if isinstance(data.get("bank"), dict) and isinstance(data.get("questions"), list) and bank.get("bank") is None:
        # A glob such as `answers/*.toml` that caught a bank: one line, not one per table.
        raise SheetError([Problem(name, "this is a question bank, not an answer sheet (a sheet has one "
                                        "`question-id = answer` line per question; see docs/quiz.md)")])
    problems: list[Problem] = []
    responses: dict[str, Any] = {}
    lines = text.splitlines()
    for key, value in data.items():
        line = _line_of(lines, key)
        question = bank.get(key)
        if question is None:
            known = ", ".join(q.id for q in bank.questions)
            problems.append(
                Problem(
                    name,
                    f"no question with this id in {bank.name} (its questions: {known})",
                    where=f"question {_q(key)}",
                    line=line,
                )
            )
            continue
        checked, message = check_response(question, value)
        if message is not None:
            problems.append(Problem(name, message, where=f"question {_q(key)} ({question.type})", line=line))
        else:
            responses[key] = checked
    if problems:
        raise SheetError(problems)
    return Sheet(student or Path(name).stem, responses, path)


def check_response(question: Question, value: Any) -> tuple[Any, str | None]:
    """The value as graded (texts canonicalised to the bank's), or an error message saying what
    a response to this question must look like."""
    if isinstance(question, (Card, TrueFalse)):
        if isinstance(value, bool):
            return value, None
        what = "true (knew it) or false" if isinstance(question, Card) else "true or false"
        quoted = isinstance(value, str) and value.strip().casefold() in {"true", "false", "yes", "no"}
        hint = " (write true or false without quotes)" if quoted else ""
        return None, f"expected {what}, got {_describe(value)}{hint}"
    if isinstance(question, Short):
        if isinstance(value, str):
            return value, None
        return None, f"expected the answer as a text in quotes, got {_describe(value)}"
    if isinstance(question, Numeric):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value, None
        if isinstance(value, str) and parse_number(value, unit=question.unit) is not None:
            return value, None
        return None, f"expected a number (e.g. {question.answer:g}), got {_describe(value)}"
    if isinstance(question, Choice):
        if not isinstance(value, str):
            return None, f"expected the text of one choice, got {_describe(value)}"
        found, problem = _one_of(value, question.choices, "one of the choices")
        if problem is not None and len(value.strip()) == 1 and value.strip().isalpha():
            # "b" copied from a paper answer sheet: the label, which shuffling changes.
            problem += "; a sheet names a choice by its text, not by its label"
        return found, problem
    if isinstance(question, Multi):
        return _texts_of(value, question.choices, "choices", need_all=False)
    if isinstance(question, Order):
        return _texts_of(value, question.items, "items", need_all=True)
    if isinstance(question, Cloze):
        count = len({d.number for d in question.deletions})
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return (
                None,
                f"expected a list of {count} texts (one per blank, c1 first), got {_describe(value)}",
            )
        if len(value) != count:
            return None, f"expected {count} entries (one per blank, c1 first), got {len(value)}"
        return list(value), None
    if isinstance(question, Match):
        return _pairs_of(value, question)
    raise AssertionError(f"unhandled question type {question.type}")  # pragma: no cover


def _one_of(text: str, allowed: Sequence[str], what: str) -> tuple[str | None, str | None]:
    found = _find(text, allowed)
    if found is None:
        return None, f"{_q(text)} is not {what} ({', '.join(_q(a) for a in allowed)})"
    return found, None


def _find(text: str, allowed: Sequence[str]) -> str | None:
    stripped = text.strip()
    if stripped in allowed:
        return stripped
    wanted = normalize(stripped)
    for option in allowed:
        if normalize(option) == wanted:
            return option
    return None


def _texts_of(value: Any, allowed: Sequence[str], what: str, *, need_all: bool) -> tuple[Any, str | None]:
    shape = "every item, in your order" if need_all else "the chosen choices' texts"
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None, f"expected a list of texts ({shape}), got {_describe(value)}"
    chosen: list[str] = []
    for text in value:
        found, message = _one_of(text, allowed, f"one of the {what}")
        if found is None:
            return None, message
        if found in chosen:
            return None, f"{_q(found)} is listed twice"
        chosen.append(found)
    if need_all and len(chosen) != len(allowed):
        missing = [a for a in allowed if a not in chosen]
        return (
            None,
            f"expected all {len(allowed)} items in some order; missing {', '.join(_q(m) for m in missing)}",
        )
    return chosen, None


def _pairs_of(value: Any, question: Match) -> tuple[Any, str | None]:
    lefts = [left for left, _ in question.pairs]
    rights = [right for _, right in question.pairs]
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        return (
            None,
            f'expected a table of left = right texts (e.g. {{ "{lefts[0]}" = "{rights[0]}" }}), got {_describe(value)}',
        )
    pairs: dict[str, str] = {}
    for left, right in value.items():
        found_left, message = _one_of(left, lefts, "a left-hand item")
        if found_left is None:
            return None, message
        found_right, message = _one_of(right, rights, "a right-hand item")
        if found_right is None:
            return None, message
        pairs[found_left] = found_right
    return pairs, None


def _line_of(lines: Sequence[str], key: str) -> int | None:
    """The line a top-level key is set on (`key =`, `"key" =`, `key.x =` or `[key]`)."""
    name = re.escape(key)
    pattern = re.compile(rf"""^\s*(\[\s*)?(?:{name}|"{name}"|'{name}')\s*[=.\]]""")
    for number, line in enumerate(lines, 1):
        if pattern.match(line):
            return number
    return None


def _q(value: object) -> str:
    return f'"{value}"'


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the text {_q(value)}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__
