"""Item analysis: how a class did, and which questions look broken.

Pure: the input is graded answer sheets (`session.Results`, one per student, over the same bank);
the output is plain data for `quizdeck grade` to print or write as JSON/CSV.

The numbers, for a class of N students (every student counts for every question; an unanswered
question scores 0 points):

- facility = (sum of the points students scored on the question) / N: the mean score, 0 to 1.
  With partial credit (multi, order, match, cloze) it is not the same as `correct_share` =
  (students at full points) / N.
- discrimination index D = (mean points of the upper group) - (mean points of the lower group),
  from -1 to 1. Students are ranked by total score, highest first, ties broken by name
  (alphabetically) so the result is reproducible; the upper group is the first k = N // 3
  students and the lower group the last k. With fewer than 3 students there are no groups and
  D is None. A good question has D > 0: the strongest students got it right more often.
- option counts (choice, multi, truefalse): how many students picked each choice (for multi,
  how many included it in their response); truefalse counts "true" and "false".

Flags (`ItemStats.flags`), each a short phrase:
- "nobody answered": no sheet has a response to the question (left out of the test?).
- "nobody right": some answered, but no student scored full points (a wrong key, or an
  unclear question).
- "everybody right": every student scored full points, with at least 2 students (too easy to
  tell anyone apart; not necessarily broken).
- "negative discrimination": D < 0 (the weaker students did better than the stronger ones).
- 'wrong choice "X" picked more than the answer' (choice, truefalse): a distractor was more
  popular than the key; often a key that is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from quizdeck.bank import Bank
from quizdeck.questions import Choice, Multi, Question, TrueFalse
from quizdeck.session import Results


@dataclass(frozen=True)
class StudentScore:
    """One student's total, and points per question id."""

    name: str
    score: float
    total: int
    percent: float
    points: dict[str, float]


@dataclass(frozen=True)
class OptionCount:
    """How many students picked one choice (or true/false)."""

    text: str
    picks: int
    right: bool


@dataclass(frozen=True)
class ItemStats:
    """The item analysis of one question."""

    id: str
    type: str
    students: int
    answered: int
    correct: int
    facility: float
    discrimination: float | None
    upper_mean: float | None
    lower_mean: float | None
    options: tuple[OptionCount, ...]
    flags: tuple[str, ...]

    @property
    def correct_share(self) -> float:
        """Students at full points / students."""
        return self.correct / self.students if self.students else 0.0

    @property
    def wrong_picks(self) -> tuple[OptionCount, ...]:
        """The distractors and how often each was picked."""
        return tuple(o for o in self.options if not o.right)


@dataclass(frozen=True)
class ClassReport:
    """Scores per student, in the order the sheets were given, and statistics per question."""

    bank: Bank
    students: tuple[StudentScore, ...]
    items: tuple[ItemStats, ...]
    group_size: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-able data (documented in docs/quiz.md)."""
        return {
            "bank": self.bank.id,
            "students": [
                {
                    "name": s.name,
                    "score": _round(s.score),
                    "total": s.total,
                    "percent": s.percent,
                    "points": {k: _round(v) for k, v in s.points.items()},
                }
                for s in self.students
            ],
            "group_size": self.group_size,
            "questions": [
                {
                    "id": i.id,
                    "type": i.type,
                    "students": i.students,
                    "answered": i.answered,
                    "correct": i.correct,
                    "facility": _round(i.facility),
                    "correct_share": _round(i.correct_share),
                    "discrimination": None if i.discrimination is None else _round(i.discrimination),
                    "options": [{"text": o.text, "picks": o.picks, "right": o.right} for o in i.options],
                    "flags": list(i.flags),
                }
                for i in self.items
            ],
        }


def _round(value: float) -> float:
    return round(value, 4)


def analyse(bank: Bank, graded: Sequence[tuple[str, Results]]) -> ClassReport:
    """Scores and item analysis for a class: `graded` is (student name, results) per sheet.

    Questions are those of the bank, in bank order; a question missing from a student's results
    counts as unanswered (0 points).
    """
    students: list[StudentScore] = []
    responses: dict[str, list[Any]] = {q.id: [] for q in bank.questions}
    for name, result in graded:
        by_id = {a.question.id: a for a in result.answers}
        points = {q.id: (by_id[q.id].mark.points if q.id in by_id else 0.0) for q in bank.questions}
        for q in bank.questions:
            responses[q.id].append(by_id[q.id].response if q.id in by_id else None)
        total = len(bank.questions)
        score = sum(points.values())
        percent = round(100 * score / total, 1) if total else 0.0
        students.append(StudentScore(name, score, total, percent, points))

    n = len(students)
    group = n // 3
    ranked = sorted(students, key=lambda s: (-s.score, s.name))
    upper, lower = ranked[:group], ranked[n - group :] if group else []
    items = []
    for question in bank.questions:
        scores = [s.points[question.id] for s in students]
        answered = sum(r is not None for r in responses[question.id])
        correct = sum(p >= 1 for p in scores)
        facility = sum(scores) / n if n else 0.0
        upper_mean = lower_mean = discrimination = None
        if group:
            upper_mean = sum(s.points[question.id] for s in upper) / group
            lower_mean = sum(s.points[question.id] for s in lower) / group
            discrimination = upper_mean - lower_mean
        options = option_counts(question, responses[question.id])
        flags = _flags(n, answered, correct, discrimination, options, question)
        items.append(
            ItemStats(
                question.id,
                question.type,
                n,
                answered,
                correct,
                facility,
                discrimination,
                upper_mean,
                lower_mean,
                options,
                flags,
            )
        )
    return ClassReport(bank, tuple(students), tuple(items), group)


def option_counts(question: Question, responses: Sequence[Any]) -> tuple[OptionCount, ...]:
    """How often each choice was picked (choice, multi, truefalse); empty for other types."""
    if isinstance(question, Choice):
        return tuple(OptionCount(c, sum(r == c for r in responses), c == question.answer) for c in question.choices)
    if isinstance(question, Multi):
        return tuple(
            OptionCount(c, sum(isinstance(r, list) and c in r for r in responses), c in question.answers)
            for c in question.choices
        )
    if isinstance(question, TrueFalse):
        return tuple(
            OptionCount(
                "true" if value else "false",
                sum(r is value for r in responses),
                value == question.answer,
            )
            for value in (True, False)
        )
    return ()


def _flags(
    students: int,
    answered: int,
    correct: int,
    discrimination: float | None,
    options: Sequence[OptionCount],
    question: Question,
) -> tuple[str, ...]:
    flags: list[str] = []
    if students and answered == 0:
        flags.append("nobody answered")
    elif students and correct == 0:
        flags.append("nobody right")
    if students >= 2 and correct == students:
        flags.append("everybody right")
    # A tiny negative D from rounding noise is still negative: points are multiples of simple
    # fractions, so compare against a small epsilon rather than zero.
    if discrimination is not None and discrimination < -1e-9:
        flags.append("negative discrimination")
    if isinstance(question, (Choice, TrueFalse)):
        key_picks = max((o.picks for o in options if o.right), default=0)
        for option in options:
            if not option.right and option.picks > key_picks:
                flags.append(f'wrong choice "{option.text}" picked more than the answer')
    return tuple(flags)
