"""Benchmark: GIFT and CSV import and export, against bare tomllib loading of the same bank.

Run: .venv/bin/python bench/interchange.py [--sizes 1000 10000] [--repeat 3]

For each size, a bank of that many questions (the seven types GIFT can hold plus cards and
clozes, Arabic and English text) is generated in memory, written as GIFT and as CSV, and read
back. Reading is timed to a finished bank (`parse_gift`/`parse_spreadsheet` + `build_bank`, which
loads the result as `check` would). For scale, `tomllib.loads` of the bank's TOML is shown too.
Times are CPU seconds, the best of --repeat rounds.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

from quizdeck.bank import Bank
from quizdeck.convert import build_bank
from quizdeck.gift import parse_gift, write_gift
from quizdeck.questions import Card, Choice, Cloze, Match, Multi, Numeric, Order, Question, Short, TrueFalse
from quizdeck.spreadsheet import parse_spreadsheet, write_csv

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def make_bank(size: int) -> Bank:
    """A bank of `size` questions cycling through nine shapes."""
    from quizdeck.questions import parse_deletions

    questions: list[Question] = []
    for n in range(size):
        qid, kind = f"q-{n}", n % 9
        arabic = "في أي عام أُعلن النصر على داعش في العراق؟"
        if kind == 0:
            questions.append(Choice(id=qid, prompt=f"Which planet is number {n}?", choices=("Mars", "Jupiter", "Venus"),
                                    answer="Jupiter", explanation="Jupiter: the largest {planet} = gas giant."))
        elif kind == 1:
            questions.append(Multi(id=qid, prompt=arabic, choices=("أ", "ب", "ج", "د"), answers=("أ", "ج")))
        elif kind == 2:
            questions.append(TrueFalse(id=qid, prompt=f"Statement {n} is true.", answer=bool(n % 2)))
        elif kind == 3:
            questions.append(Short(id=qid, prompt="Who wrote Hamlet?", answer="William Shakespeare",
                                   accept=("Shakespeare",)))
        elif kind == 4:
            questions.append(Numeric(id=qid, prompt=arabic, answer=2017, tolerance=0.5))
        elif kind == 5:
            text = "The {{c1::Sun}} is a star."
            questions.append(Cloze(id=qid, text=text, deletions=parse_deletions(text)))
        elif kind == 6:
            questions.append(Order(id=qid, prompt="Order them.", items=("Mercury", "Venus", "Earth", "Mars")))
        elif kind == 7:
            questions.append(Match(id=qid, prompt="Match.", pairs=(("France", "Paris"), ("Italy", "Rome"))))
        else:
            questions.append(Card(id=qid, prompt="التحالف الدولي", back="the international coalition"))
    return Bank(id="bench", title="Bench", language="en", questions=tuple(questions))


def toml_of(bank: Bank) -> str:
    """The bank as TOML, through the CSV importer (which writes every type)."""
    text, _, _ = write_csv([bank])
    result = parse_spreadsheet(text.encode("utf-8"), "bench.csv")
    return build_bank(result, bank_id="bench", title="Bench", language="en")[0]


def best(repeat: int, job: Callable[[], Any]) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        job()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| questions | tomllib.loads | GIFT write | GIFT read | CSV write | CSV read |")
    print("|---|---|---|---|---|---|")
    for size in args.sizes:
        print(f"| {size:,} | " + " | ".join(f"{t:.3f} s" for t in measure(make_bank(size), args.repeat)) + " |")


def measure(bank: Bank, repeat: int) -> list[float]:
    """CPU seconds for: tomllib.loads, GIFT write, GIFT read, CSV write, CSV read."""
    toml_text = toml_of(bank)
    gift_text = write_gift([bank])[0]
    csv_bytes = write_csv([bank])[0].encode("utf-8")
    return [
        best(repeat, lambda: tomllib.loads(toml_text)),
        best(repeat, lambda: write_gift([bank])),
        best(repeat, lambda: build_bank(parse_gift(gift_text, "b.gift"), bank_id="b", title="B", language="en")),
        best(repeat, lambda: write_csv([bank])),
        best(repeat, lambda: build_bank(parse_spreadsheet(csv_bytes, "b.csv"), bank_id="b", title="B",
                                        language="en")),
    ]


if __name__ == "__main__":
    main()
