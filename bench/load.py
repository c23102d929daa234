"""Benchmark: loading banks against bare tomllib (time and peak memory), and start-up against bare typer.

Run: .venv/bin/python bench/load.py [--sizes 1000 10000 100000] [--repeat 3] [--memory-runs 2] [--startup-runs 15]

Three comparisons, each against the least work that gives the same result:

- Time. quizdeck's `parse_bank` (tomllib.loads, then validation into typed questions) against the
  floor `tomllib.loads` of the same text: validation is what quizdeck adds. CPU time in this process,
  best of many runs in turns. Target: at most 1.5x, linear (flat time per question).
- Peak memory. A fresh process runs `load_bank` on the file (read, decode, parse, validate), another
  `tomllib.loads(path.read_text())`; both import quizdeck.bank first, so the interpreter and modules
  weigh the same. Each prints its own high-water mark (VmHWM in /proc/self/status, the kernel's
  per-process figure): `ru_maxrss` read in a child is no good, since a child inherits the high-water
  mark of the process that started it. Target: at most 1.15x at 100,000 questions.
- Start-up. `quizdeck --help` against a minimal typer app's `--help` (the floor: typer alone, its
  help written in Markdown as quizdeck's is), and a real command, `quizdeck check` on a one-question
  bank, against a minimal typer app whose command imports what any such command needs (rich's
  console, tomllib), parses the same bank and prints a line. CPU time of the child processes,
  taking turns, best of --startup-runs. Target: at most 1.3x.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from _common import Result, best, cpu_of, report, run_child

QUESTIONS = [
    'type = "card"\nprompt = "الخلايا النائمة {n}"\nback = "sleeper cells {n}"\nreverse = true\n',
    'type = "choice"\nprompt = "كم قاعدة سُلّمت؟ {n}"\nchoices = ["4", "6", "8", "12"]\nanswer = "8"\n'
    'explanation = "وفقاً للنص، سُلّمت 8 قواعد."\n',
    'type = "multi"\nprompt = "Which? {n}"\nchoices = ["a", "b", "c", "d"]\nanswers = ["a", "c"]\n',
    'type = "truefalse"\nprompt = "True? {n}"\nanswer = true\n',
    'type = "short"\nprompt = "Who? {n}"\nanswer = "غابي طومسون"\naccept = ["طومسون"]\ntags = ["people", "p01"]\n',
    'type = "numeric"\nprompt = "How many? {n}"\nanswer = 50000\ntolerance = 0\nunit = "people"\n',
    'type = "cloze"\ntext = "في عام {{{{c1::2017}}}} أُعلن {{{{c2::النصر::hint}}}} {n}"\n',
    'type = "order"\nprompt = "Order {n}"\nitems = ["2014", "2017", "2020"]\n',
    'type = "match"\nprompt = "Match {n}"\npairs = [["a", "1"], ["b", "2"], ["c", "3"]]\n',
]


def generate(count: int) -> str:
    """A bank of `count` questions, the nine types in turn, Arabic and English text."""
    parts = ['[bank]\nid = "bench"\ntitle = "Benchmark"\nlanguage = "ar"\n']
    for n in range(count):
        body = QUESTIONS[n % len(QUESTIONS)].format(n=n)
        parts.append(f'\n[[questions]]\nid = "q-{n}"\n{body}source = "نص {n}"\n')
    return "".join(parts)


PEAK = """
import sys
from pathlib import Path
import quizdeck.bank
path = Path(sys.argv[1])
if sys.argv[2] == "tomllib":
    import tomllib
    tables = tomllib.loads(path.read_text(encoding="utf-8"))
else:
    bank = quizdeck.bank.load_bank(path)
with open("/proc/self/status") as status:
    print(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
"""


def peak_mb(path: Path, mode: str) -> float:
    """The high-water mark of resident memory of a fresh process loading `path`, in MB."""
    import subprocess

    out = subprocess.run([sys.executable, "-c", PEAK, str(path), mode], capture_output=True, text=True, check=True)
    return int(out.stdout) / 1024


# The floors are typer apps made as quizdeck's is (help written in Markdown), so that the same
# typer and rich machinery renders the help of both.
MINIMAL_HELP = """
import typer
app = typer.Typer(rich_markup_mode="markdown", no_args_is_help=True)
@app.command()
def hello(name: str) -> None:
    print(name)
@app.command()
def bye(name: str) -> None:
    print(name)
app()
"""

MINIMAL_COMMAND = """
import sys
import typer
app = typer.Typer(rich_markup_mode="markdown", no_args_is_help=True)
@app.command()
def check(path: str) -> None:
    import tomllib
    from rich.console import Console
    with open(path, "rb") as bank:
        tomllib.load(bank)
    Console().print(f"{path}: ok")
@app.command()
def other(name: str) -> None:
    print(name)
app()
"""

TINY_BANK = '[bank]\nid = "tiny"\ntitle = "Tiny"\nlanguage = "en"\n\n[[questions]]\nid = "q"\ntype = "truefalse"\n' \
            'prompt = "True?"\nanswer = true\n'


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each contender (more for small banks)")
    parser.add_argument("--memory-runs", type=int, default=2, help="fresh processes per contender for memory")
    parser.add_argument("--startup-runs", type=int, default=15)
    args = parser.parse_args()

    import tomllib

    from quizdeck.bank import parse_bank

    results: list[Result] = []
    print(f"{'questions':>10} {'MB':>6} {'tomllib s':>10} {'quizdeck s':>11} {'ratio':>6} {'us/question':>12} "
          f"{'peak MB tomllib':>16} {'peak MB quizdeck':>17} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            text = generate(size)
            path = Path(folder) / f"bank-{size}.toml"
            path.write_text(text, encoding="utf-8")
            # Small banks take milliseconds: more runs there; and never fewer than 5, since at 100,000
            # questions a best of 3 on a busy machine once read 1.52x where 5 and more read 1.2-1.3x.
            runs = max(5, min(60, args.repeat * max(1, 30_000 // size)))
            times = best({
                "tomllib": lambda text=text: cpu_of(lambda: tomllib.loads(text)),
                "quizdeck": lambda text=text, path=path: cpu_of(lambda: parse_bank(text, path)),
            }, runs)
            memory = best({
                "tomllib": lambda path=path: peak_mb(path, "tomllib"),
                "quizdeck": lambda path=path: peak_mb(path, "quizdeck"),
            }, args.memory_runs)
            print(f"{size:>10} {len(text.encode()) / 1e6:>6.1f} {times['tomllib']:>10.3f} {times['quizdeck']:>11.3f} "
                  f"{times['quizdeck'] / times['tomllib']:>6.2f} {times['quizdeck'] / size * 1e6:>12.1f} "
                  f"{memory['tomllib']:>16.0f} {memory['quizdeck']:>17.0f} "
                  f"{memory['quizdeck'] / memory['tomllib']:>6.2f}", flush=True)
            results.append(Result("load", f"load {size:,} questions: CPU time", times["quizdeck"],
                                  times["tomllib"], "s", "tomllib.loads", 1.5))
            if size >= 100_000:
                results.append(Result("load", f"load {size:,} questions: peak memory", memory["quizdeck"],
                                      memory["tomllib"], "MB", "tomllib.loads", 1.15))

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "minimal_help.py").write_text(MINIMAL_HELP)
        (folder / "minimal_command.py").write_text(MINIMAL_COMMAND)
        (folder / "tiny.toml").write_text(TINY_BANK)
        python, tiny = sys.executable, str(folder / "tiny.toml")
        # The `quizdeck` script installed beside this Python, as users run it (`python -m` adds runpy).
        script = Path(python).with_name("quizdeck")
        quizdeck = [str(script)] if script.is_file() else [python, "-m", "quizdeck"]
        commands = {
            "typer --help": [python, str(folder / "minimal_help.py"), "--help"],
            "quizdeck --help": [*quizdeck, "--help"],
            "typer+rich+tomllib command": [python, str(folder / "minimal_command.py"), "check", tiny],
            "quizdeck check": [*quizdeck, "check", tiny],
        }
        for command in commands.values():
            run_child(command)  # the file cache warmed for every contender alike
        startup = best({label: lambda c=command: run_child(c).cpu
                        for label, command in commands.items()}, args.startup_runs)
    print()
    for label, seconds in startup.items():
        print(f"{label:>28} {seconds:.3f} s CPU")
    results.append(Result("load", "start-up: `quizdeck --help`", startup["quizdeck --help"],
                          startup["typer --help"], "s", "typer app --help", 1.3))
    results.append(Result("load", "start-up: `quizdeck check` (one question)", startup["quizdeck check"],
                          startup["typer+rich+tomllib command"], "s", "typer app importing rich and tomllib", 1.3))
    report(results)


if __name__ == "__main__":
    main()
