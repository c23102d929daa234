"""Benchmark: loading and validating banks against bare tomllib, and `quizdeck --help` start-up.

Run: .venv/bin/python bench/load.py [--sizes 1000 10000 100000] [--repeat 3]

Prints, side by side: tomllib.loads alone, quizdeck's parse_bank (which includes the same
tomllib.loads) on the same text, their ratio, the peak memory of a process that loads the bank,
and the wall time of `quizdeck --help` against a minimal typer app that imports nothing else.
Targets (docs/performance.md): load+validate within 1.5x of tomllib, linear growth, 100,000
questions under 300 MB, `--help` within 1.3x of the minimal typer app.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

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
    parts = ['[bank]\nid = "bench"\ntitle = "Benchmark"\nlanguage = "ar"\n']
    for n in range(count):
        body = QUESTIONS[n % len(QUESTIONS)].format(n=n)
        parts.append(f'\n[[questions]]\nid = "q-{n}"\n{body}source = "نص {n}"\n')
    return "".join(parts)


def best_of_pair(repeat: int, first: Callable[[], object], second: Callable[[], object]) -> tuple[float, float]:
    """The best CPU time of each of two actions, run in turns."""
    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        for slot, action in enumerate((first, second)):
            start = time.process_time()
            action()
            best[slot] = min(best[slot], time.process_time() - start)
    return best[0], best[1]


PEAK = """
import resource, sys
from pathlib import Path
path = Path(sys.argv[1])
if sys.argv[2] == "tomllib":
    import tomllib
    tomllib.loads(path.read_text(encoding="utf-8"))
else:
    from quizdeck.bank import load_bank
    load_bank(path)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

MINIMAL_TYPER = """
import typer
app = typer.Typer()
@app.command()
def hello(name: str) -> None:
    print(name)
@app.command()
def bye(name: str) -> None:
    print(name)
app()
"""


def peak_mb(path: Path, mode: str) -> float:
    out = subprocess.run([sys.executable, "-c", PEAK, str(path), mode], capture_output=True, text=True, check=True)
    return float(out.stdout)


def wall(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import tomllib

    from quizdeck.bank import parse_bank

    print(f"{'questions':>10} {'MB':>6} {'tomllib s':>10} {'quizdeck s':>11} {'ratio':>6} "
          f"{'us/question':>12} {'peak MB (tomllib)':>18} {'peak MB (quizdeck)':>19}")
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            text = generate(size)
            path = Path(folder) / f"bank-{size}.toml"
            path.write_text(text, encoding="utf-8")
            # Small banks take milliseconds: more runs there. The two contenders take turns, so
            # that a busy moment of the machine does not fall on one of them only.
            runs = args.repeat * max(1, 30_000 // size)
            bare, ours = best_of_pair(runs, lambda text=text: tomllib.loads(text),
                                      lambda text=text, path=path: parse_bank(text, path))
            print(f"{size:>10} {len(text.encode()) / 1e6:>6.1f} {bare:>10.3f} {ours:>11.3f} {ours / bare:>6.2f} "
                  f"{ours / size * 1e6:>12.1f} {peak_mb(path, 'tomllib'):>18.0f} {peak_mb(path, 'quizdeck'):>19.0f}")

    with tempfile.TemporaryDirectory() as folder:
        minimal = Path(folder) / "minimal.py"
        minimal.write_text(MINIMAL_TYPER)
        repeat = max(args.repeat, 7)
        wall([sys.executable, "-m", "quizdeck", "--help"], 1)  # warm the file cache
        ours = wall([sys.executable, "-m", "quizdeck", "--help"], repeat)
        bare = wall([sys.executable, str(minimal), "--help"], repeat)
    print()
    print(f"{'--help':>10} {'minimal typer s':>16} {'quizdeck s':>11} {'ratio':>6}")
    print(f"{'':>10} {bare:>16.3f} {ours:>11.3f} {ours / bare:>6.2f}")


if __name__ == "__main__":
    main()
