"""Answer sheets: a student's responses to a bank, one value per question id.

Everything a student produces is a sheet: a TOML file, or the JSON results `quizdeck take --json`
writes (recognised by its content, whatever the file is called).

```toml
victory-year = "2017"                 # short: text
bases = "8"                           # choice: the choice's text, or its label: "b", "ب", "2"
roles = ["a", "b"]                    # multi: the chosen choices' texts or labels ("a c" works too)
invited = true                        # truefalse: true/false, "صح"/"خطأ", "ص"/"خ", "T"/"F"
trained = 50000                       # numeric: a number (or a string of digits, any script)
transfer-cloze = ["8", "2020"]        # cloze: one entry per deletion number, c1 first
timeline = ["x", "y", "z"]            # order: the items (or their labels) in the order given
people = { "left 1" = "right 1" }     # match: left -> right (lefts may be left out)
knew-it = true                        # card: self-assessed
```

Labels count in the bank's order of the choices (or items, or right-hand sides): a b c, أ ب ج,
or 1 2 3. A value that is a choice's text is always that choice; only a value that names no
choice is read as a label. Texts that name a choice, an item or a pair side are matched as
typed, or failing that after `grading.normalize` (so a copy with other hamza forms or harakat
still names the choice), and stored as the bank writes them.

Questions missing from a sheet are unanswered. `load_sheet` checks every value against its
question's type and raises one SheetError listing the problems (file:line, question id, what
was expected), so a teacher fixes a sheet in one go. Reading is linear in the sheet's size: one
pass finds every key's line, messages are capped at `MAX_PROBLEMS` ("… and 15,990 more"), and
sheets are limited to `MAX_SHEET_BYTES` and `MAX_SHEET_ENTRIES`.
"""

from __future__ import annotations

import difflib
import functools
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizdeck.bank import Bank, parse_toml
from quizdeck.errors import BankError, Problem, QuizdeckError, more
from quizdeck.files import FileError, read_text
from quizdeck.grading import normalize, parse_number, parse_truth
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
from quizdeck.rtl import ARABIC_LABELS, LATIN_LABELS, parse_label, parse_labels

#: Sheets larger than this are refused: a class's sheets are a few hundred bytes each.
MAX_SHEET_BYTES = 8 * 1024 * 1024

#: More answers than this in one sheet is not a student's sheet (the largest banks have a few
#: thousand questions); refused before any answer is checked.
MAX_SHEET_ENTRIES = 100_000

#: At most this many problems are listed per sheet; the rest are counted ("… and 15,990 more").
MAX_PROBLEMS = 20

#: How much of a key or value a message quotes.
_QUOTE_LIMIT = 80

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
        text = read_text(path, limit=MAX_SHEET_BYTES,
                         folder_hint="give an answer sheet (.toml file or take --json results)")
    except FileError as error:
        raise SheetError([error.problem()]) from None
    return parse_sheet(text, bank, name=str(path), student=path.stem, path=path)


def is_results_json(text: str) -> bool:
    """Whether a sheet's text is JSON (take --json results) rather than TOML: it starts with `{`."""
    return text.lstrip()[:1] == "{"


def parse_sheet(text: str, bank: Bank, *, name: str = "<sheet>", student: str = "", path: Path | None = None) -> Sheet:
    """Validate the text of an answer sheet (TOML, or take --json results) against `bank`."""
    if is_results_json(text):
        data, lines = _results_entries(text, bank, name), None
    else:
        try:
            data = parse_toml(text, name)
        except BankError as error:
            raise SheetError(error.problems) from None
        if isinstance(data.get("bank"), dict) and isinstance(data.get("questions"), list) and bank.get("bank") is None:
            # A glob such as `answers/*.toml` that caught a bank: one line, not one per table.
            raise SheetError([Problem(name, "this is a question bank, not an answer sheet (a sheet has one "
                                            "`question-id = answer` line per question; see docs/quiz.md)")])
        lines = text
    if len(data) > MAX_SHEET_ENTRIES:
        raise SheetError([Problem(name, f"{len(data):,} answers: more than a sheet can hold "
                                        f"({MAX_SHEET_ENTRIES:,}); is this an answer sheet?")])
    found: list[tuple[str, str, str]] = []  # (key, where, message), in sheet order
    responses: dict[str, Any] = {}
    for key, value in data.items():
        question = bank.get(key)
        if question is None:
            found.append((key, f"question {_q(key)}", ""))
            continue
        if value is None:  # unanswered in a results file
            continue
        checked, message = check_response(question, value)
        if message is not None:
            found.append((key, f"question {_q(key)} ({question.type})", message))
        else:
            responses[key] = checked
    if found:
        raise SheetError(_problems(found, bank, name, lines))
    return Sheet(student or Path(name).stem, responses, path)


def _problems(found: Sequence[tuple[str, str, str]], bank: Bank, name: str, text: str | None) -> list[Problem]:
    """Problems for the first MAX_PROBLEMS findings (with lines, one scan of the text), then a count."""
    shown = found[:MAX_PROBLEMS]
    where_is = key_lines(text, {key for key, _, _ in shown}) if text is not None else {}
    problems = []
    ids = [q.id for q in bank.questions]
    for key, where, message in shown:
        if not message:
            message = f"no question with this id in {bank.name}{_suggestion(key, ids)}"
        problems.append(Problem(name, message, where=where, line=where_is.get(key)))
    rest = len(found) - len(shown)
    if rest:
        problems.append(more(name, rest))
    return problems


def _suggestion(key: str, ids: Sequence[str]) -> str:
    if len(ids) <= 10:
        return f" (its questions: {', '.join(ids)})"
    close = difflib.get_close_matches(key[:_QUOTE_LIMIT], ids, n=1)
    return f"; did you mean {_q(close[0])}?" if close else ""


# A top-level key at the start of a line: `key =`, `"key" =`, `'key' =`, `key.x =` or `[key]`.
# Each alternative moves forward without backtracking into another, so a scan is linear.
_KEY_AT_LINE = re.compile(r"""[ \t]*(?:\[[ \t]*)?(?:"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)'|([A-Za-z0-9_-]+))[ \t]*[=.\]]""")


def key_lines(text: str, keys: Iterable[str]) -> dict[str, int]:
    """The line each of `keys` is first set on, in one pass over the text."""
    wanted = set(keys)
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = _KEY_AT_LINE.match(line)
        if match is None:
            continue
        quoted, literal, bare = match.groups()
        key = bare if bare is not None else literal if literal is not None else _unescape(quoted)
        if key in wanted and key not in lines:
            lines[key] = number
            if len(lines) == len(wanted):
                break
    return lines


def _unescape(quoted: str) -> str:
    try:
        value = json.loads(f'"{quoted}"')
    except ValueError:
        return quoted
    return value if isinstance(value, str) else quoted


def _results_entries(text: str, bank: Bank, name: str) -> dict[str, Any]:
    """The responses of a take --json results file, by question id (None for unanswered)."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise SheetError([Problem(name, "JSON nested too deeply to be take --json results")]) from None
    except json.JSONDecodeError as error:
        raise SheetError([Problem(name, f"JSON syntax error: {error.msg} (a sheet starting with {{ is read as "
                                        "take --json results)", line=error.lineno, column=error.colno)]) from None
    questions = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(questions, list) or not all(
        isinstance(q, dict) and isinstance(q.get("id"), str) and "response" in q for q in questions
    ):
        raise SheetError([Problem(name, "JSON that is not take --json results (expected an object whose "
                                        '"questions" list has an "id" and a "response" for each question)')])
    taken = data.get("bank")
    if isinstance(taken, str) and taken != bank.id:
        raise SheetError([Problem(name, f"these are results of the bank {_q(taken)}, not of {bank.name} "
                                        f"(bank id {_q(bank.id)})")])
    return {q["id"]: q["response"] for q in questions}


# --- one value -------------------------------------------------------------------------------


def truth_value(value: Any) -> bool | None:
    """true/false as a student writes it (true, "T", "صح", "ص", "خطأ", ...; `grading.parse_truth`), or None."""
    if isinstance(value, bool):
        return value
    if not isinstance(value, str):
        return None
    return parse_truth(value.strip())


def label_index(text: str, count: int) -> int | None:
    """The 0-based position a label names among `count` options: a b c, أ ب ج or 1 2 3."""
    if text in LATIN_LABELS[:count]:
        return LATIN_LABELS.index(text)  # the label exactly as printed: most sheets
    for labels in (LATIN_LABELS, ARABIC_LABELS):
        index = parse_label(text, labels[:count] if count <= len(labels) else labels)
        if index is not None and index < count:
            return index
    return None


def labels_indexes(text: str, count: int) -> list[int] | None:
    """Several labels in one text ("a c", "أ، ج", "1 3", "ac"), or None if any is not a label."""
    for labels in (LATIN_LABELS, ARABIC_LABELS):
        picked = parse_labels(text, labels[: min(count, len(labels))])
        if picked is not None and all(i < count for i in picked):
            return picked
    return None


def check_response(question: Question, value: Any) -> tuple[Any, str | None]:
    """The value as graded (texts canonicalised to the bank's), or an error message saying what
    a response to this question must look like."""
    if isinstance(question, (Card, TrueFalse)):
        truth = truth_value(value)
        if truth is not None:
            return truth, None
        what = "true (knew it) or false" if isinstance(question, Card) else "true or false"
        return None, f"expected {what} (also T/F, صح/خطأ, ص/خ), got {_describe(value)}"
    if isinstance(question, Short):
        if isinstance(value, str):
            return value, None
        return None, f"expected the answer as a text in quotes, got {_describe(value)}"
    if isinstance(question, Numeric):
        if isinstance(value, float) and not math.isfinite(value):
            # TOML's nan and inf (and 1e400) are not an answer, and not JSON either.
            return None, f"expected a number (e.g. {question.answer:g}), got {value} (not a finite number)"
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value, None
        if isinstance(value, str) and parse_number(value, unit=question.unit) is not None:
            return value, None
        return None, f"expected a number (e.g. {question.answer:g}), got {_describe(value)}"
    if isinstance(question, Choice):
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            return None, f"expected the text or label of one choice, got {_describe(value)}"
        return _one_of(value, question.choices, "one of the choices")
    if isinstance(question, Multi):
        return _texts_of(value, question.choices, "choices", need_all=False)
    if isinstance(question, Order):
        return _texts_of(value, question.items, "items", need_all=True)
    if isinstance(question, Cloze):
        count = len({d.number for d in question.deletions})
        if count == 1 and isinstance(value, str):
            return [value], None  # a cloze of one blank: its text alone, as for a short answer
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            wanted = "the blank's text (or a list of it)" if count == 1 else \
                f"a list of {count} texts (one per blank, c1 first)"
            return None, f"expected {wanted}, got {_describe(value)}"
        if len(value) != count:
            entries = "1 entry" if count == 1 else f"{count} entries (one per blank, c1 first)"
            return None, f"expected {entries}, got {len(value)}"
        return list(value), None
    if isinstance(question, Match):
        return _pairs_of(value, question)
    raise AssertionError(f"unhandled question type {question.type}")  # pragma: no cover


def _one_of(text: str, allowed: Sequence[str], what: str) -> tuple[str | None, str | None]:
    found = _find(text, allowed)
    if found is None:
        index = label_index(text, len(allowed))
        if index is not None:
            return allowed[index], None
        listing = ", ".join(_q(a) for a in allowed[:10]) + (", …" if len(allowed) > 10 else "")
        return None, f"{_q(text)} is not {what} ({listing}) nor the label of one"
    return found, None


def _find(text: str, allowed: Sequence[str]) -> str | None:
    stripped = text.strip()
    if stripped in allowed:
        return stripped
    wanted = normalize(stripped)
    if not wanted:
        return None
    for option, normalized in zip(allowed, _normalized(tuple(allowed)), strict=True):
        if normalized == wanted:
            return option
    return None


@functools.lru_cache(maxsize=4096)
def _normalized(options: tuple[str, ...]) -> tuple[str, ...]:
    # A class's sheets name the same choices over and over: each question's are normalised once.
    return tuple(normalize(option) for option in options)


def _texts_of(value: Any, allowed: Sequence[str], what: str, *, need_all: bool) -> tuple[Any, str | None]:
    shape = "every item, in your order" if need_all else "the chosen choices' texts"
    if isinstance(value, str):
        picked = labels_indexes(value, len(allowed))
        if picked is None:
            return None, f"expected a list of texts ({shape}) or of labels, got {_describe(value)}"
        value = [allowed[i] for i in picked]
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


def sheet_toml(responses: Mapping[str, Any]) -> str:
    """Responses written as a TOML answer sheet that `parse_sheet` reads back to the same values."""
    import tomli_w

    return tomli_w.dumps({key: value for key, value in responses.items() if value is not None})


def _q(value: object) -> str:
    text = str(value)
    if len(text) > _QUOTE_LIMIT:
        text = text[:_QUOTE_LIMIT] + "…"
    return f'"{text}"'


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
