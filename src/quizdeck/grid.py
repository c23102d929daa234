"""Paper exams coming back: the machine-readable key `print` writes, and a class grid.

`quizdeck print BANK --versions 2 -o exam.html` writes `exam-key.csv`:

```csv
version,number,id,answer
A,1,bases,C
A,2,invited,True
```

one row per question per version, `answer` as a student writes it on that paper (see
`exam.written_answer`). A class grid is what a teacher types in, or a scanner such as ZipGrade
exports, from the papers: a header `student,version,1,2,…,n` and one row per student, each cell
as written on paper (a label, labels, صح/خطأ, a number, the box numbers of an order question,
the partners' labels of a match, a text; cloze blanks separated by `;`). An empty cell is
unanswered. A cell that is not a possible answer on that paper is reported by row and column
and counted wrong; the rest of the class is still graded.

Grading goes through `grading.grade`: each cell becomes an answer-sheet value with the same
score (the key says which label is right on each version), so partial credit is exactly the
one docs/grading.md describes. Reading is linear: one pass of the CSV reader, one parse per cell.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quizdeck.bank import Bank
from quizdeck.cells import read_cell
from quizdeck.errors import Problem, capped
from quizdeck.files import FileError, read_text
from quizdeck.grading import Mark, grade, matches_text, parse_number
from quizdeck.questions import Card, Choice, Cloze, Match, Multi, Numeric, Order, Question, Short, TrueFalse
from quizdeck.rtl import ARABIC_LABELS, LATIN_LABELS
from quizdeck.session import Answer
from quizdeck.sheet import SheetError, label_index, labels_indexes, truth_value

KEY_HEADER = ("version", "number", "id", "answer")

#: A grid or key larger than this is refused (a class of 1,000 students × 200 questions is ~1 MB).
MAX_GRID_BYTES = 32 * 1024 * 1024

#: A cell longer than this is not something written on paper.
MAX_CELL = 10_000

# Blanks of a cloze question in one cell: "Sun; Moon" (Latin or Arabic semicolons).
_BLANKS = re.compile(r"[;؛]")


@dataclass(frozen=True)
class KeyEntry:
    """One question of one printed version: its number on the paper and the answer as written."""

    number: int
    question: Question
    answer: str


@dataclass(frozen=True)
class ExamKey:
    """Every version's questions in printed order; `questions` are the exam's, in bank order."""

    versions: dict[str, tuple[KeyEntry, ...]]
    questions: tuple[Question, ...]

    def version(self, text: str) -> str | None:
        """The version a grid names (its letter, its label on the paper, or its number), or None."""
        labels = list(self.versions)
        if text.strip() in self.versions:
            return text.strip()
        index = label_index(text, len(labels))
        return labels[index] if index is not None else None


@dataclass(frozen=True)
class GridStudent:
    """One row of a class grid, graded: the student, the version and an Answer per question."""

    name: str
    version: str
    answers: tuple[Answer, ...]
    row: int


def _rows(text: str, name: str) -> list[tuple[int, list[str]]]:
    """(row number as a spreadsheet counts it, cells) for every non-empty row."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        for number, row in enumerate(reader, 1):
            if any(cell.strip() for cell in row):
                rows.append((number, [read_cell(cell.strip()) for cell in row]))
    except csv.Error as error:
        raise SheetError([Problem(name, f"not CSV: {error}", where=f"row {reader.line_num}")]) from None
    return rows


def _read(path: Path) -> str:
    try:
        return read_text(path, limit=MAX_GRID_BYTES, folder_hint="give a CSV file")
    except FileError as error:
        raise SheetError([error.problem()]) from None


def read_key(path: str | Path, bank: Bank) -> ExamKey:
    """Read the exam-key.csv `print` wrote for `bank`."""
    path = Path(path)
    return parse_key(_read(path), bank, str(path))


def parse_key(text: str, bank: Bank, name: str = "<key>") -> ExamKey:
    """Validate a key's text against the bank: every id a question, numbers 1..n per version."""
    csv.field_size_limit(MAX_CELL * 10)
    rows = _rows(text, name)
    if not rows or tuple(cell.casefold() for cell in rows[0][1]) != KEY_HEADER:
        raise SheetError([Problem(name, f"not an exam key: the first line must be {','.join(KEY_HEADER)} "
                                        "(the CSV `print -o exam.html` writes as exam-key.csv)", line=1)])
    problems: list[Problem] = []
    versions: dict[str, list[KeyEntry]] = {}
    for row, cells in rows[1:]:
        if len(cells) != 4:
            problems.append(Problem(name, f"expected 4 cells (version,number,id,answer), got {len(cells)}",
                                    where=f"row {row}"))
            continue
        version, number, question_id, answer = cells
        question = bank.get(question_id)
        if question is None:
            problems.append(Problem(name, f"no question {_quote(question_id)} in {bank.name}; is this the key of "
                                          "another bank?", where=f"row {row}"))
            continue
        if not number.isdigit() or not number.isascii():
            problems.append(Problem(name, f"the number {_quote(number)} is not a question number", where=f"row {row}"))
            continue
        versions.setdefault(version, []).append(KeyEntry(int(number), question, answer))
    for version, entries in versions.items():
        if [e.number for e in entries] != list(range(1, len(entries) + 1)):
            problems.append(Problem(name, f"version {version}: the questions must be numbered 1, 2, 3, ... in order"))
    if not versions and not problems:
        problems.append(Problem(name, "the key has no questions"))
    if problems:
        raise SheetError(capped(problems, name))
    ids = {e.question.id for entries in versions.values() for e in entries}
    questions = tuple(q for q in bank.questions if q.id in ids)
    return ExamKey({v: tuple(e) for v, e in versions.items()}, questions)


def read_grid(path: str | Path, bank: Bank, key: ExamKey) -> tuple[list[GridStudent], list[Problem]]:
    """Grade a class grid: the students graded, and every cell that is not a possible answer."""
    path = Path(path)
    return parse_grid(_read(path), bank, key, str(path))


def parse_grid(text: str, bank: Bank, key: ExamKey, name: str = "<grid>") -> tuple[list[GridStudent], list[Problem]]:
    """`read_grid` on text. A grid whose header is wrong raises SheetError; cell problems are returned."""
    csv.field_size_limit(MAX_CELL * 10)
    rows = _rows(text, name)
    if not rows:
        raise SheetError([Problem(name, "the grid is empty (expected a header student,version,1,2,...)")])
    header = [cell.casefold() for cell in rows[0][1]]
    longest = max(len(entries) for entries in key.versions.values())
    wanted = ["student", "version", *(str(n) for n in range(1, longest + 1))]
    missing = [column for column in wanted if column not in header]
    if missing:
        shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        raise SheetError([Problem(name, f"the header must have the columns {','.join(wanted[:3])},...,{longest} "
                                        f"(one per question of the key); missing: {shown}", line=1)])
    column = {name_: header.index(name_) for name_ in wanted}
    students: list[GridStudent] = []
    problems: list[Problem] = []
    for row, cells in rows[1:]:
        def cell(heading: str, cells: list[str] = cells) -> str:
            index = column[heading]
            return cells[index] if index < len(cells) else ""

        student = cell("student") or f"row {row}"
        version = key.version(cell("version"))
        if version is None:
            letter = _column_letter(column["version"])
            problems.append(Problem(name, f"{_quote(cell('version'))} is not a version of this exam "
                                          f"({', '.join(key.versions)}); the row is not graded",
                                    where=f"row {row}, column {letter} (version), student {_quote(student)}"))
            continue
        answers = []
        for entry in key.versions[version]:
            written = cell(str(entry.number))
            mark, response, message = grade_cell(entry, written, fuzzy=bank.fuzzy_for(entry.question))
            if message is not None:
                letter = _column_letter(column[str(entry.number)])
                problems.append(Problem(name, f"{_quote(written)} {message}; counted wrong",
                                        where=f"row {row}, column {letter} (question {entry.number} of version "
                                              f"{version}, {_quote(entry.question.id)}), student {_quote(student)}"))
            answers.append(Answer(entry.question, response, mark))
        # Answers in bank order, as sheets are graded.
        order = {q.id: n for n, q in enumerate(key.questions)}
        answers.sort(key=lambda a: order[a.question.id])
        students.append(GridStudent(student, version, tuple(answers), row))
    return students, problems


def _column_letter(index: int) -> str:
    """A spreadsheet's name for a 0-based column: A, B, ..., Z, AA, ..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def grade_cell(entry: KeyEntry, written: str, *, fuzzy: bool = True) -> tuple[Mark, Any, str | None]:
    """Grade one cell against the key: (mark, the response recorded, why the cell is not a possible
    answer or None). An empty cell is unanswered; an impossible one scores 0."""
    question = entry.question
    if not written:
        return grade(question, None), None, None
    if len(written) > MAX_CELL:
        return grade(question, None), written[:80], "is too long to be an answer"
    response, message = _response(entry, written, fuzzy)
    if message is not None:
        return grade(question, None), written, message
    return grade(question, response, fuzzy=fuzzy), written, None


def _response(entry: KeyEntry, written: str, fuzzy: bool) -> tuple[Any, str | None]:
    """An answer-sheet value scoring what `written` scores on the paper the key describes."""
    question = entry.question
    if isinstance(question, Choice):
        count = len(question.choices)
        picked = label_index(written, count)
        if picked is None:
            return None, f"is not a label on this paper ({_range(count, entry.answer)})"
        right = label_index(entry.answer, count)
        return _stand_ins(question.choices, [question.answer], [picked], [right])[0], None
    if isinstance(question, Multi):
        count = len(question.choices)
        picks = labels_indexes(written, count)
        if picks is None:
            return None, f"is not labels on this paper ({_range(count, entry.answer)})"
        if len(set(picks)) != len(picks):
            return None, "names a choice twice"
        rights = labels_indexes(entry.answer, count) or []
        return _stand_ins(question.choices, list(question.answers), picks, rights), None
    if isinstance(question, TrueFalse):
        truth = truth_value(written)
        if truth is None:
            return None, "is neither true nor false (True/False, T/F, صح/خطأ, ص/خ)"
        return truth, None
    if isinstance(question, Card):
        return matches_text(written, (question.back,), fuzzy=fuzzy), None
    if isinstance(question, Short):
        return written, None
    if isinstance(question, Numeric):
        if parse_number(written, unit=question.unit) is None:
            return None, "is not a number"
        return written, None
    if isinstance(question, Cloze):
        blanks = [part.strip() for part in _BLANKS.split(written)]
        count = len({d.number for d in question.deletions})
        if len(blanks) != count:
            return None, f"has {len(blanks)} blank{'s' if len(blanks) != 1 else ''}, not {count} (separate them with ;)"
        return blanks, None
    if isinstance(question, Order):
        count = len(question.items)
        boxes = None if any(ch.isalpha() for ch in written) else labels_indexes(written, count)
        if boxes is None or sorted(boxes) != list(range(count)):
            return None, f"is not the numbers 1 to {count}, each once, in the boxes' order"
        key_boxes = labels_indexes(entry.answer, count) or list(range(count))
        # Box i printed the item whose place in the right order is key_boxes[i]; the student
        # put it at boxes[i].
        order: list[str] = [""] * count
        for printed, place in enumerate(boxes):
            order[place] = question.items[key_boxes[printed]]
        return order, None
    if isinstance(question, Match):
        count = len(question.pairs)
        picks = labels_indexes(written, count)
        if picks is None or len(picks) != count:
            return None, f"is not {count} labels, one per item ({_range(count, entry.answer)})"
        rights = labels_indexes(entry.answer, count) or []
        lefts = [left for left, _ in question.pairs]
        partners = [right for _, right in question.pairs]
        pairs = {}
        for n, (pick, right) in enumerate(zip(picks, rights, strict=False)):
            pairs[lefts[n]] = partners[n] if pick == right else partners[(n + 1) % count]
        return pairs, None
    raise AssertionError(f"unhandled question type {question.type}")  # pragma: no cover


def _stand_ins(choices: Sequence[str], answers: Sequence[str], picks: Sequence[int], rights: Sequence[int | None]
               ) -> list[str]:
    """Texts that score as the labels `picks` do when the labels `rights` are the answers.

    Which wrong choice a label names differs from version to version and the key records only
    the right labels, so a wrong label stands for some wrong choice: the score is the same.
    """
    right_texts = list(answers)
    wrong_texts = [c for c in choices if c not in answers]
    chosen = []
    for pick in picks:
        if pick in rights and right_texts:
            chosen.append(right_texts.pop(0))
        elif wrong_texts:
            chosen.append(wrong_texts.pop(0))
    return chosen


def _range(count: int, answer: str) -> str:
    """The labels a paper shows, in the key's script: A-D, أ-د."""
    arabic = any("\u0600" <= ch <= "\u06ff" for ch in answer)
    labels = ARABIC_LABELS if arabic else tuple(label.upper() for label in LATIN_LABELS)
    if count > len(labels):
        return f"1-{count}"
    return f"{labels[0]}-{labels[count - 1]}" if count > 1 else labels[0]


def _quote(text: str) -> str:
    return '"' + (text[:80] + "…" if len(text) > 80 else text) + '"'
