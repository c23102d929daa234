"""Benchmark: `quizdeck import` against `quizdeck export` of the same bank, GIFT and CSV, whole commands.

Run: .venv/bin/python bench/interchange.py [--sizes 10000] [--runs 5]

For each size and format, a bank is made whose questions that format can hold (GIFT: the seven
types it has, no cards and one-deletion clozes; CSV: all nine types), with English and Arabic text.
It is exported once, and the file imported once: the bank that import writes is the bank both
commands are then timed on, so the two sides handle the same questions.

Like with like: both sides are whole commands in a fresh process (start-up, imports, reading,
writing the output file). Both validate: export loads the bank as `check` does before writing it;
import validates every question with the same loader before writing the bank. The floor is
export: turning a bank into the format is the same work as turning the format into a bank, so
import is held to at most 1.3x export. The two take turns; the figure is each child's CPU time,
best of --runs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from _common import Result, best, report, run_child
from quizdeck.bank import Bank
from quizdeck.convert import build_bank
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
    parse_deletions,
)
from quizdeck.spreadsheet import parse_spreadsheet, write_csv

QUIZDECK = [sys.executable, "-m", "quizdeck"]
ARABIC = "في أي عام أُعلن النصر على داعش في العراق؟"


def make_bank(size: int, gift: bool) -> Bank:
    """A bank of `size` questions cycling through the shapes the format holds."""
    questions: list[Question] = []
    for n in range(size):
        qid, kind = f"q-{n}", n % (8 if gift else 9)
        if kind == 0:
            questions.append(Choice(id=qid, prompt=f"Which planet is number {n}?", choices=("Mars", "Jupiter", "Venus"),
                                    answer="Jupiter", explanation="Jupiter: the largest {planet} = gas giant."))
        elif kind == 1:
            questions.append(Multi(id=qid, prompt=f"{ARABIC} {n}", choices=("أ", "ب", "ج", "د"), answers=("أ", "ج")))
        elif kind == 2:
            questions.append(TrueFalse(id=qid, prompt=f"Statement {n} is true.", answer=bool(n % 2)))
        elif kind == 3:
            questions.append(Short(id=qid, prompt=f"Who wrote play number {n}?", answer="William Shakespeare",
                                   accept=("Shakespeare",), tags=("drama",)))
        elif kind == 4:
            questions.append(Numeric(id=qid, prompt=f"{ARABIC} ({n})", answer=2017, tolerance=0.5))
        elif kind == 5:
            text = f"The {{{{c1::Sun}}}} is star number {n}."
            questions.append(Cloze(id=qid, text=text, deletions=parse_deletions(text)))
        elif kind == 6:
            questions.append(Order(id=qid, prompt=f"Order them ({n}).", items=("Mercury", "Venus", "Earth", "Mars")))
        elif kind == 7:
            questions.append(Match(id=qid, prompt=f"Match ({n}).", pairs=(("France", "Paris"), ("Italy", "Rome"))))
        else:
            questions.append(Card(id=qid, prompt=f"التحالف الدولي {n}", back="the international coalition"))
    return Bank(id="bench", title="Bench", language="en", questions=tuple(questions))


def bank_file(bank: Bank, folder: Path) -> Path:
    """The bank written as a TOML file (through the CSV importer, which writes every type)."""
    text, _, _ = write_csv([bank])
    result = parse_spreadsheet(text.encode("utf-8"), "bench.csv")
    path = folder / "source.toml"
    path.write_text(build_bank(result, bank_id="bench", title="Bench", language="en")[0], encoding="utf-8")
    return path


def measure(size: int, fmt: str, runs: int, folder: Path) -> Result:
    source = bank_file(make_bank(size, gift=fmt == "gift"), folder)
    exported = folder / f"bench.{fmt}"
    run_child([*QUIZDECK, "export", str(source), "--format", fmt, "-o", str(exported)])
    bank = folder / "bench.toml"
    run_child([*QUIZDECK, "import", str(exported), "-o", str(bank), "--language", "en"])
    count = [0]

    def export() -> float:
        count[0] += 1
        out = folder / f"out-{count[0]}.{fmt}"
        usage = run_child([*QUIZDECK, "export", str(bank), "--format", fmt, "-o", str(out)])
        out.unlink()
        return usage.cpu

    def import_() -> float:
        count[0] += 1
        out = folder / f"out-{count[0]}.toml"
        usage = run_child([*QUIZDECK, "import", str(exported), "-o", str(out), "--language", "en"])
        out.unlink()
        return usage.cpu

    figures = best({"import": import_, "export": export}, runs)
    print(f"{fmt.upper()} {size:,} questions: import {figures['import']:.3f} s, export {figures['export']:.3f} s "
          f"(CPU, best of {runs})", flush=True)
    return Result("interchange", f"{fmt.upper()} import, {size:,} questions: CPU time", figures["import"],
                  figures["export"], "s", "export of the same bank", target=1.3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            for fmt in ("gift", "csv"):
                folder = Path(tmp) / f"{fmt}-{size}"
                folder.mkdir()
                results.append(measure(size, fmt, args.runs, folder))
    report(results)


if __name__ == "__main__":
    main()
