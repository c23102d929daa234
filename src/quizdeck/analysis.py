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

Class statistics, as Moodle's quiz statistics report gives them (`ClassStats`), over the
students' totals X (points, one per question; k questions):

- mean, median and sd (the sample standard deviation, n - 1) of the totals, as percentages
  of k;
- kr20: Cronbach's alpha, k / (k - 1) * (1 - sum of the item variances / variance of X), which
  is Kuder-Richardson 20 when every question scores 0 or 1 (variances over n); None with fewer
  than 2 questions or 2 students, or when every student has the same total;
- sem: the standard error of measurement, sd * sqrt(1 - kr20), as a percentage of k.

Per question, besides facility and D:
- discrimination_index: the correlation (Pearson) between the points on the question and the
  points on the rest of the test (total minus this question), -1 to 1 (Moodle shows it x 100);
  None when either does not vary;
- discriminative_efficiency: the covariance of the same two, divided by the largest covariance
  they could have (both sorted in the same order), -1 to 1; None when that is 0.

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

import functools
import math
import operator
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from quizdeck.bank import Bank
from quizdeck.questions import Choice, Multi, Question, TrueFalse
from quizdeck.session import Answer, Results


class StudentScore(NamedTuple):
    """One student's total, and points per question id.

    These records are NamedTuples, not frozen dataclasses: a class's report makes one per
    student, per question and per choice (tens of thousands for a long test), and a NamedTuple
    is the cheapest immutable record to create.
    """

    name: str
    score: float
    total: int
    percent: float
    points: dict[str, float]


class OptionCount(NamedTuple):
    """How many students picked one choice (or true/false)."""

    text: str
    picks: int
    right: bool


class ItemStats(NamedTuple):
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
    discrimination_index: float | None = None
    discriminative_efficiency: float | None = None

    @property
    def correct_share(self) -> float:
        """Students at full points / students."""
        return self.correct / self.students if self.students else 0.0

    @property
    def wrong_picks(self) -> tuple[OptionCount, ...]:
        """The distractors and how often each was picked."""
        return tuple(o for o in self.options if not o.right)


# A class's report makes a record per question and per choice: made by tuple.__new__ directly, which
# is what a NamedTuple's own __new__ calls after a Python-level call of its own (the same object).
_option = functools.partial(tuple.__new__, OptionCount)
_item = functools.partial(tuple.__new__, ItemStats)


@dataclass(frozen=True)
class ClassStats:
    """The class's totals summarised (see the module docstring); percentages of the questions."""

    students: int
    questions: int
    mean: float
    median: float
    sd: float | None
    kr20: float | None
    sem: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "students": self.students,
            "questions": self.questions,
            "mean": _round(self.mean),
            "median": _round(self.median),
            "sd": _maybe(self.sd),
            "kr20": _maybe(self.kr20),
            "sem": _maybe(self.sem),
        }


@dataclass(frozen=True)
class ClassReport:
    """Scores per student, in the order the sheets were given, and statistics per question."""

    bank: Bank
    students: tuple[StudentScore, ...]
    items: tuple[ItemStats, ...]
    group_size: int
    stats: ClassStats = field(default_factory=lambda: ClassStats(0, 0, 0.0, 0.0, None, None, None))

    @property
    def ranked(self) -> tuple[StudentScore, ...]:
        """The students by score, highest first, ties by name."""
        return tuple(sorted(self.students, key=lambda s: (-s.score, s.name)))

    @property
    def flagged(self) -> tuple[ItemStats, ...]:
        """The questions with a flag other than "everybody right"."""
        return tuple(i for i in self.items if i.flags and i.flags != ("everybody right",))

    def to_dict(self) -> dict[str, Any]:
        """JSON-able data (documented in docs/quiz.md)."""
        return {
            "bank": self.bank.id,
            "students": [
                {
                    "student": s.name,
                    "name": s.name,
                    "score": _round(s.score),
                    "total": s.total,
                    "percent": s.percent,
                    "points": {k: _round(v) for k, v in s.points.items()},
                }
                for s in self.students
            ],
            "class": self.stats.to_dict(),
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
                    "discrimination_index": _maybe(i.discrimination_index),
                    "discriminative_efficiency": _maybe(i.discriminative_efficiency),
                    "options": [{"text": o.text, "picks": o.picks, "right": o.right} for o in i.options],
                    "flags": list(i.flags),
                }
                for i in self.items
            ],
        }


def _round(value: float) -> float:
    return round(value, 4)


def _maybe(value: float | None) -> float | None:
    return None if value is None else _round(value)


def _covariance(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Population covariance."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / n


def item_discrimination(item: Sequence[float], totals: Sequence[float]) -> tuple[float | None, float | None]:
    """Moodle's discrimination index and discriminative efficiency of one question (-1 to 1 each).

    `item` is each student's points on the question, `totals` each student's total; both are
    compared with the rest of the test (total minus the question).
    """
    if len(item) < 2:
        return None, None
    rest = [t - p for p, t in zip(item, totals, strict=True)]
    cov = _covariance(item, rest)
    var_item, var_rest = _covariance(item, item), _covariance(rest, rest)
    index = cov / math.sqrt(var_item * var_rest) if var_item > 1e-12 and var_rest > 1e-12 else None
    best = _covariance(sorted(item), sorted(rest))
    efficiency = cov / best if best > 1e-12 else None
    return index, efficiency


def class_stats(totals: Sequence[float], items: Sequence[Sequence[float]], questions: int) -> ClassStats:
    """Mean, median, sd, KR-20 (Cronbach's alpha) and SEM of a class (see the module docstring).

    `totals` are the students' totals, `items` each question's points per student.
    """
    n = len(totals)
    if not n or not questions:
        return ClassStats(n, questions, 0.0, 0.0, None, None, None)
    scale = 100 / questions
    mean = statistics.fmean(totals) * scale
    median = statistics.median(totals) * scale
    sd = statistics.stdev(totals) * scale if n >= 2 else None
    kr20 = None
    total_variance = statistics.pvariance(totals) if n >= 2 else 0.0
    if questions >= 2 and total_variance > 1e-12:
        item_variance = sum(statistics.pvariance(points) for points in items)
        kr20 = questions / (questions - 1) * (1 - item_variance / total_variance)
    sem = sd * math.sqrt(1 - kr20) if sd is not None and kr20 is not None and kr20 <= 1 else None
    return ClassStats(n, questions, mean, median, sd, kr20, sem)


def analyse(
    bank: Bank,
    graded: Sequence[tuple[str, Results]],
    *,
    questions: Sequence[Question] | None = None,
    options: bool = True,
) -> ClassReport:
    """Scores and item analysis for a class: `graded` is (student name, results) per sheet.

    Questions are `questions` (default: every question of the bank), in bank order; a question
    missing from a student's results counts as unanswered (0 points). `options=False` leaves out
    the counts of each choice (a paper grid names choices by labels that differ per version).
    """
    asked = tuple(bank.questions if questions is None else questions)
    ids = [q.id for q in asked]  # a bank's ids: each once
    students: list[StudentScore] = []
    # Each student's points and responses in question order, one row per student; the columns
    # (one per question) are then made in one zip, not looked up student by student.
    point_rows: list[list[float]] = []
    response_rows: list[list[Any]] = []
    for name, result in graded:
        answers: Sequence[Answer | None] = result.answers
        if len(answers) != len(asked) or not all(map(operator.is_, [a.question for a in result.answers], asked)):
            # Not graded against exactly these questions in this order: matched by id.
            by_id = {a.question.id: a for a in result.answers}
            answers = [by_id.get(question_id) for question_id in ids]
        marks = [0.0 if got is None else got.mark.points for got in answers]
        point_rows.append(marks)
        response_rows.append([None if got is None else got.response for got in answers])
        total = len(asked)
        score = sum(marks)
        percent = round(100 * score / total, 1) if total else 0.0
        students.append(StudentScore(name, score, total, percent, dict(zip(ids, marks, strict=True))))

    n = len(students)
    group = n // 3
    # The students by score as positions in `students` (the order of `ClassReport.ranked`).
    ranked = sorted(range(n), key=lambda i: (-students[i].score, students[i].name))
    upper, lower = ranked[:group], ranked[n - group :] if group else []
    items: list[ItemStats] = []
    totals = [s.score for s in students]
    per_item: list[tuple[float, ...]] = list(zip(*point_rows, strict=True)) if n else [()] * len(asked)
    given_per_item: list[tuple[Any, ...]] = list(zip(*response_rows, strict=True)) if n else [()] * len(asked)
    add_item = items.append
    for question, scores, given in zip(asked, per_item, given_per_item, strict=True):
        answered = n - given.count(None)
        correct = len([p for p in scores if p >= 1])
        facility = sum(scores) / n if n else 0.0
        upper_mean = lower_mean = discrimination = None
        if group:
            upper_mean = sum([scores[i] for i in upper]) / group
            lower_mean = sum([scores[i] for i in lower]) / group
            discrimination = upper_mean - lower_mean
        counts = option_counts(question, given) if options else ()
        flags = _flags(n, answered, correct, discrimination, counts, question)
        index, efficiency = item_discrimination(scores, totals) if n >= 2 else (None, None)
        add_item(
            _item((
                question.id,
                question.type,
                n,
                answered,
                correct,
                facility,
                discrimination,
                upper_mean,
                lower_mean,
                counts,
                flags,
                index,
                efficiency,
            ))
        )
    stats = class_stats(totals, per_item, len(asked))
    return ClassReport(bank, tuple(students), tuple(items), group, stats)


def option_counts(question: Question, responses: Sequence[Any]) -> tuple[OptionCount, ...]:
    """How often each choice was picked (choice, multi, truefalse); empty for other types."""
    if isinstance(question, Choice):
        answer = question.answer
        return tuple([_option((c, responses.count(c), c == answer)) for c in question.choices])
    # One comprehension per question, not one per choice: a class's report counts the choices of
    # thousands of questions.
    if isinstance(question, Multi):
        choices, answers = question.choices, question.answers
        included = [c for r in responses if isinstance(r, list) for c in choices if c in r]
        return tuple([_option((c, included.count(c), c in answers)) for c in choices])
    if isinstance(question, TrueFalse):
        truths = [r for r in responses if isinstance(r, bool)]
        trues = truths.count(True)
        return (_option(("true", trues, question.answer)), _option(("false", len(truths) - trues, not question.answer)))
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
        key_picks = 0
        for _, picks, right in options:
            if right and picks > key_picks:
                key_picks = picks
        for text, picks, right in options:
            if not right and picks > key_picks:
                flags.append(f'wrong choice "{text}" picked more than the answer')
    return tuple(flags)
