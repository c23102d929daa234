"""Benchmark: grading typed answers and rendering right-to-left lines.

Run: .venv/bin/python bench/grading.py [--repeat 5]

Grading a class's answer sheets is `grade` once per question per sheet; a quiz screen in visual
mode is `display_lines` once per block of text. This prints how long each takes per call, on the
questions of the bundled Arabic bank (quizzes/coalition-iraq.toml) answered right, answered with a
typo, and answered wrong, and on an Arabic paragraph of the source text. Times are the best of
--repeat rounds, in microseconds of CPU time per call.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from quizdeck.bank import load_bank
from quizdeck.grading import expected_answer, grade, normalize
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
    width = max(len(name) for name, _ in rows)
    print(f"{'operation':<{width}}  µs per call")
    for name, micros in rows:
        print(f"{name:<{width}}  {micros:10.1f}")


if __name__ == "__main__":
    main()
