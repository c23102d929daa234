"""A quiz session: which questions are asked, in what order, and what the answers scored.

Pure: the random order comes from a seed (`random.Random(seed)`), the time taken is a number
the caller measured, and responses are answer-sheet values (see `quizdeck.sheet`), so the same
bank, options and seed always give the same quiz, and the same responses the same results.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from quizdeck.bank import Bank
from quizdeck.errors import UsageError
from quizdeck.grading import Mark, grade
from quizdeck.questions import Choice, Match, Multi, Order, Question


class Asked(NamedTuple):
    """One question as a quiz presents it.

    `options` are the labelled lines in the order shown: the choices (choice, multi), the items
    to put in order (order), or the right-hand items to pair with (match); empty for the other
    types. Responses never refer to this order (they are texts), so grading does not depend on it.
    A NamedTuple, as `Answer` is: a quiz of a whole bank makes one per question.
    """

    question: Question
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Quiz:
    """The questions of one quiz, in the order they are asked."""

    bank: Bank
    asked: tuple[Asked, ...]
    seed: int
    tag: str | None = None

    def __len__(self) -> int:
        return len(self.asked)


def presented_options(question: Question, rng: random.Random | None) -> tuple[str, ...]:
    """The labelled lines of a question, shuffled with `rng` when given.

    Order items and match right-hand sides are always scrambled: the bank lists them in the
    right order (or aligned with their partners), so showing them as written would give the
    answer away. With no `rng` they are scrambled from a fixed seed, so that too is reproducible.
    """
    if isinstance(question, (Choice, Multi)):
        options = list(question.choices)
        if rng is not None:
            rng.shuffle(options)
        return tuple(options)
    if isinstance(question, (Order, Match)):
        texts = list(question.items) if isinstance(question, Order) else [r for _, r in question.pairs]
        scrambler = rng if rng is not None else random.Random(question.id)
        return _scrambled(texts, scrambler)
    return ()


def _scrambled(texts: list[str], rng: random.Random) -> tuple[str, ...]:
    """A shuffle that never leaves the items in their original order (when there are 2 or more)."""
    original = list(texts)
    shuffled = list(texts)
    for _ in range(10):
        rng.shuffle(shuffled)
        if shuffled != original:
            return tuple(shuffled)
    # Ten shuffles all landing on the original order only happens with two items: swap them.
    return tuple(original[1:] + original[:1])


def build_quiz(
    bank: Bank,
    *,
    seed: int,
    tag: str | None = None,
    limit: int | None = None,
    shuffle: bool = True,
) -> Quiz:
    """The quiz a bank gives: questions with `tag`, shuffled (questions and choices) from `seed`,
    at most `limit` of them.

    The same bank, options and seed give the same quiz. A UsageError when no question is left.
    """
    if limit is not None and limit < 1:
        raise UsageError(f"--limit must be at least 1 (got {limit})")
    questions = list(bank.with_tag(tag) if tag else bank.questions)
    if not questions:
        if tag:
            known = sorted({t for q in bank.questions for t in q.tags} | set(bank.tags))
            listing = ", ".join(known) if known else "none"
            raise UsageError(f"{bank.name}: no question has the tag {tag!r} (tags in this bank: {listing})")
        raise UsageError(f"{bank.name}: the bank has no questions")
    rng = random.Random(seed)
    if shuffle:
        rng.shuffle(questions)
    if limit is not None:
        questions = questions[:limit]
    asked = tuple(Asked(q, presented_options(q, rng if shuffle else None)) for q in questions)
    return Quiz(bank=bank, asked=asked, seed=seed, tag=tag)


class Answer(NamedTuple):
    """A question asked, the response given (None: skipped or unanswered), and its mark.

    A NamedTuple rather than a frozen dataclass: grading a sheet makes one per question (ten
    thousand for a long test), and a NamedTuple is the cheapest immutable record to create.
    """

    question: Question
    response: Any
    mark: Mark
    hint_used: bool = False

    @property
    def answered(self) -> bool:
        return self.response is not None


# Made by tuple.__new__ directly, as a NamedTuple's own __new__ does after a Python-level call of its
# own (the same object): grading a sheet makes an answer per question.
_new_answer = functools.partial(tuple.__new__, Answer)


def answer(bank: Bank, question: Question, response: Any, *, hint_used: bool = False) -> Answer:
    """Grade a response to a question of `bank` (with the bank's or question's fuzzy setting)."""
    mark = grade(question, response, fuzzy=bank.fuzzy_for(question))
    return _new_answer((question, response, mark, hint_used))


@dataclass(frozen=True)
class Results:
    """What a quiz (or the part of it answered before it was stopped) scored."""

    bank: Bank
    answers: tuple[Answer, ...]
    quiz_length: int
    seed: int | None = None
    time_seconds: float | None = None

    @property
    def score(self) -> float:
        return sum(a.mark.points for a in self.answers)

    @property
    def total(self) -> int:
        """Questions asked (each worth one point): the whole quiz if it was finished."""
        return len(self.answers)

    @property
    def percent(self) -> float:
        return round(100 * self.score / self.total, 1) if self.total else 0.0

    @property
    def finished(self) -> bool:
        return len(self.answers) == self.quiz_length

    @property
    def missed(self) -> tuple[Answer, ...]:
        """Answers below full points, skipped ones included."""
        return tuple(a for a in self.answers if not a.mark.correct)

    def to_dict(self) -> dict[str, Any]:
        """The results as JSON-able data (the shape documented in docs/quiz.md)."""
        data: dict[str, Any] = {
            "bank": self.bank.id,
            "score": _number(self.score),
            "total": self.total,
            "percent": self.percent,
            "questions": [
                {
                    "id": a.question.id,
                    "type": a.question.type,
                    "points": _number(a.mark.points),
                    "correct": a.mark.correct,
                    "response": a.response,
                    "expected": a.mark.expected,
                    "detail": a.mark.detail,
                    "hint_used": a.hint_used,
                }
                for a in self.answers
            ],
            "finished": self.finished,
            "quiz_length": self.quiz_length,
        }
        if self.seed is not None:
            data["seed"] = self.seed
        if self.time_seconds is not None:
            data["time_seconds"] = round(self.time_seconds, 1)
        return data


def _number(value: float) -> float | int:
    """Whole scores as integers in JSON (3, not 3.0); fractions to 4 places."""
    rounded = round(value, 4)
    return int(rounded) if rounded == int(rounded) else rounded


def results(
    bank: Bank,
    answers: Iterable[Answer],
    *,
    quiz_length: int | None = None,
    seed: int | None = None,
    time_seconds: float | None = None,
) -> Results:
    """Collect answers into Results; `quiz_length` defaults to the number of answers."""
    answers = tuple(answers)
    length = len(answers) if quiz_length is None else quiz_length
    return Results(bank, answers, length, seed, time_seconds)


def grade_responses(quiz: Quiz, responses: Mapping[str, Any], *, time_seconds: float | None = None) -> Results:
    """Grade a whole quiz from an answer sheet's responses (question id -> value; a question
    missing from `responses` is unanswered)."""
    return grade_questions(quiz.bank, [a.question for a in quiz.asked], responses, seed=quiz.seed,
                           time_seconds=time_seconds)


def grade_questions(
    bank: Bank,
    questions: Sequence[Question],
    responses: Mapping[str, Any],
    *,
    seed: int | None = None,
    time_seconds: float | None = None,
) -> Results:
    """Grade `questions` of `bank`, in that order, as a quiz of exactly those questions, from an
    answer sheet's responses: what `grade_responses` does for a quiz, without building one (the
    order choices are shown in plays no part in grading)."""
    get = responses.get
    answers = [answer(bank, question, get(question.id)) for question in questions]
    return results(bank, answers, quiz_length=len(answers), seed=seed, time_seconds=time_seconds)
