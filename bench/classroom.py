"""Benchmark: grading what a class hands in, as whole commands.

Run: .venv/bin/python bench/classroom.py [--runs 7] [--questions 10000] [--students 200]

1. Sheets are read in linear time: `take BANK --answers SHEET` and `grade BANK SHEET` (their
   terminal output into a pipe; --json adds the JSON writer's time) on a bank of
   --questions questions (choice, multi, truefalse, short, numeric) with a sheet answering every
   one, against the floor `check BANK` (loading and validating the same bank, which both must do
   anyway). Target: at most 1.5x. The reader this replaced scanned the sheet from line 1 with a
   new regex for every key: 19.5x at 10,000 questions, 65 s at 30,000.
2. A class: `grade BANK` with --students sheets of 100 questions each, against the floor of one
   process that loads the bank and parses the same sheets with tomllib (the reading that cannot be
   avoided); then twice the class, against twice the first figure (linear: at most 1.1x).

Every figure is the CPU time of the whole command (bench/_common.py: interleaved, best of --runs).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

from _common import Result, best, report, run_child

QUIZDECK = [sys.executable, "-m", "quizdeck"]


def make_bank(count: int, seed: int = 1) -> tuple[str, str]:
    """A bank of `count` questions of five types, and a sheet answering each (about 2/3 right)."""
    rng = random.Random(seed)
    bank = ['[bank]\nid = "bench"\ntitle = "Benchmark"\nlanguage = "en"\n']
    sheet = []
    for n in range(count):
        kind = n % 5
        right = rng.random() < 0.67
        if kind == 0:
            bank.append(f'[[questions]]\nid = "q{n}"\ntype = "choice"\nprompt = "Pick {n}"\n'
                        f'choices = ["a{n}", "b{n}", "c{n}", "d{n}"]\nanswer = "b{n}"\n')
            sheet.append(f'q{n} = "{"b" if right else "c"}"\n')
        elif kind == 1:
            bank.append(f'[[questions]]\nid = "q{n}"\ntype = "multi"\nprompt = "Pick some {n}"\n'
                        f'choices = ["a{n}", "b{n}", "c{n}", "d{n}"]\nanswers = ["a{n}", "c{n}"]\n')
            sheet.append(f'q{n} = ["a{n}", "{"c" if right else "d"}{n}"]\n')
        elif kind == 2:
            bank.append(f'[[questions]]\nid = "q{n}"\ntype = "truefalse"\nprompt = "True {n}?"\nanswer = true\n')
            sheet.append(f'q{n} = "{"T" if right else "F"}"\n')
        elif kind == 3:
            bank.append(f'[[questions]]\nid = "q{n}"\ntype = "short"\nprompt = "Name {n}"\n'
                        f'answer = "answer number {n}"\n')
            sheet.append(f'q{n} = "{"answer number" if right else "other"} {n}"\n')
        else:
            bank.append(f'[[questions]]\nid = "q{n}"\ntype = "numeric"\nprompt = "Count {n}"\nanswer = {n}\n')
            sheet.append(f"q{n} = {n if right else n + 1}\n")
    return "\n".join(bank), "".join(sheet)


FLOOR = """
import sys, tomllib
from pathlib import Path
from quizdeck.bank import load_bank
load_bank(sys.argv[1])
for name in sys.argv[2:]:
    tomllib.loads(Path(name).read_text(encoding="utf-8"))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--students", type=int, default=200)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        text, sheet_text = make_bank(args.questions)
        bank, sheet, out = root / "bank.toml", root / "sheet.toml", root / "out.json"
        bank.write_text(text, encoding="utf-8")
        sheet.write_text(sheet_text, encoding="utf-8")
        figures = best({
            "check": lambda: run_child([*QUIZDECK, "check", str(bank)]).cpu,
            "take": lambda: run_child([*QUIZDECK, "take", str(bank), "--answers", str(sheet), "--no-shuffle"]).cpu,
            "grade": lambda: run_child([*QUIZDECK, "grade", str(bank), str(sheet)]).cpu,
        }, args.runs)
        count = f"{args.questions:,}"
        results.append(Result("classroom", f"take --answers, {count} questions", figures["take"], figures["check"],
                              "s", "check of the same bank", 1.5))
        results.append(Result("classroom", f"grade one sheet, {count} questions", figures["grade"], figures["check"],
                              "s", "check of the same bank", 1.5))

        class_text, _ = make_bank(100, seed=2)
        class_bank = root / "class.toml"
        class_bank.write_text(class_text, encoding="utf-8")
        sheets = []
        for n in range(2 * args.students):
            path = root / f"student-{n:04d}.toml"
            path.write_text(make_bank(100, seed=100 + n)[1], encoding="utf-8")
            sheets.append(str(path))
        one, two = sheets[: args.students], sheets
        floor_script = root / "floor.py"
        floor_script.write_text(FLOOR, encoding="utf-8")
        figures = best({
            "grade": lambda: run_child([*QUIZDECK, "grade", str(class_bank), *one, "--json", str(out)]).cpu,
            "floor": lambda: run_child([sys.executable, str(floor_script), str(class_bank), *one]).cpu,
            "grade twice the class": lambda: run_child([*QUIZDECK, "grade", str(class_bank), *two, "--json",
                                                        str(out)]).cpu,
        }, args.runs)
        results.append(Result("classroom", f"grade {args.students} students x 100 questions", figures["grade"],
                              figures["floor"], "s", "load the bank, tomllib the sheets"))
        results.append(Result("classroom", f"grade {2 * args.students} students against 2 x {args.students}",
                              figures["grade twice the class"], 2 * figures["grade"], "s",
                              f"twice {args.students} students", 1.1))
    report(results)


if __name__ == "__main__":
    main()
