"""Benchmark: grading typed answers and rendering right-to-left lines.

Run: .venv/bin/python bench/grading.py [--repeat 5]

Grading a class's answer sheets is `grade` once per question per sheet; a quiz screen in visual
mode is `display_lines` once per block of text. This prints how long each takes per call, on the
questions of the bundled Arabic bank (quizzes/coalition-iraq.toml) answered right, answered with a
typo, and answered wrong, and on an Arabic paragraph of the source text. Times are the best of
--repeat rounds, in microseconds of CPU time per call.

The typo rule is timed against the rule it replaced (one Levenshtein distance over the whole
answer, with rapidfuzz, as quizdeck graded until the per-word rule): the same typed answers of
the bank, each with a letter left out of its longest word (forgiven) and with a letter changed
to one far away on the keyboard (refused), the two rules taking turns in every round.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from pathlib import Path

from _common import Result, report
from quizdeck import grading
from quizdeck.bank import load_bank
from quizdeck.grading import edit_budget, expected_answer, grade, matches_text, normalize
from quizdeck.questions import Cloze, Short
from quizdeck.rtl import display_lines

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "seed" / "article.ar.txt"


def best(function: Callable[[], object], calls: int, repeat: int) -> float:
    """Best-of-`repeat` CPU microseconds per call of `function`, run `calls` times per round."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        for _ in range(calls):
            function()
        times.append(time.process_time() - start)
    return min(times) / calls * 1e6


def whole_answer_close(response: str, expected: str, fuzzy: bool) -> bool:
    """The comparison the per-word rule replaced: Levenshtein over the whole normalized answer
    (numbers equal, as many words), with a budget by the answer's length."""
    from rapidfuzz.distance import Levenshtein

    if response == expected:
        return True
    if not fuzzy or re.findall(r"\d+", response) != re.findall(r"\d+", expected):
        return False
    if len(response.split()) != len(expected.split()):
        return response.replace(" ", "") == expected.replace(" ", "")
    budget = edit_budget(len(expected))
    return budget > 0 and Levenshtein.distance(response, expected, score_cutoff=budget) <= budget


def with_close(close: Callable[[str, str, bool], bool], pairs: list[tuple[str, str]]) -> Callable[[], object]:
    """`matches_text` over the pairs with `close` as its comparison of two normalized texts."""

    def run() -> object:
        saved = grading._close
        grading._close = close
        try:
            return [matches_text(response, [answer]) for response, answer in pairs]
        finally:
            grading._close = saved

    return run


def slipped(answer: str, far: bool) -> str:
    """The answer with its longest word's last letter but one left out, or changed to ج (far)."""
    words = answer.split()
    longest = max(range(len(words)), key=lambda n: len(words[n]))
    word = words[longest]
    words[longest] = word[:-2] + ("\u062c" if far else "") + word[-1] if len(word) > 2 else word
    return " ".join(words)


def interleaved(functions: list[Callable[[], object]], calls: int, repeat: int) -> list[float]:
    """Best CPU microseconds per call of each function, the functions taking turns each round."""
    times: list[list[float]] = [[] for _ in functions]
    for _ in range(repeat):
        for at, function in enumerate(functions):
            start = time.process_time()
            for _ in range(calls):
                function()
            times[at].append(time.process_time() - start)
    return [min(t) / calls * 1e6 for t in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    bank = load_bank(ROOT / "quizzes" / "coalition-iraq.toml")
    questions = bank.questions
    right = [(q, True if q.type == "card" else expected_answer(q)) for q in questions]
    typo = [(q, r[:-1] + "x" if isinstance(r, str) and len(r) > 9 else r) for q, r in right]
    wrong = [(q, "2016" if isinstance(r, str) else None) for q, r in right]
    text = SOURCE.read_text(encoding="utf-8") if SOURCE.exists() else "وأعلنوا النصر على داعش في عام 2017 " * 50
    paragraph = text.split("\n")[0]

    def grade_all(responses: list[tuple[object, object]]) -> Callable[[], object]:
        return lambda: [grade(q, r) for q, r in responses]  # type: ignore[arg-type]

    rows = [
        ("normalize (one Arabic sentence)", best(lambda: normalize(paragraph[:120]), 2000, args.repeat)),
        (f"grade, right answers ({len(questions)} questions, per question)",
         best(grade_all(right), 20, args.repeat) / len(questions)),
        ("grade, long answers with a typo (per question)", best(grade_all(typo), 20, args.repeat) / len(questions)),
        ("grade, wrong answers (per question)", best(grade_all(wrong), 20, args.repeat) / len(questions)),
        (f"display_lines visual, {len(paragraph)}-char paragraph at width 80",
         best(lambda: display_lines(paragraph, 80, "rtl", "visual"), 50, args.repeat)),
        ("display_lines logical, same paragraph",
         best(lambda: display_lines(paragraph, 80, "rtl", "logical"), 500, args.repeat)),
    ]
    typed = [question.answer for question in questions if isinstance(question, Short)] + [
        d.answer for question in questions if isinstance(question, Cloze) for d in question.deletions
    ]
    pairs = [(slipped(answer, far), answer) for answer in typed for far in (False, True)]
    new_rule, old_rule = interleaved(
        [with_close(grading._close, pairs), with_close(whole_answer_close, pairs)], 20, args.repeat
    )
    rows += [
        (f"typed answer with a slip, per-word rule ({len(pairs)} answers, per answer)", new_rule / len(pairs)),
        ("same answers, the whole-answer Levenshtein rule it replaced", old_rule / len(pairs)),
        ("per-word rule / whole-answer rule", new_rule / old_rule),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"{'operation':<{width}}  µs per call")
    for name, micros in rows:
        print(f"{name:<{width}}  {micros:10.1f}")
    report([Result("grading", "typed answer with a slip: the per-word typo rule", new_rule / len(pairs) / 1e6,
                   old_rule / len(pairs) / 1e6, "s", "the whole-answer Levenshtein rule it replaced", 2.0)])


if __name__ == "__main__":
    main()
