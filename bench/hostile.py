"""Benchmark: hostile inputs cost what honest ones of the same size cost.

Run: .venv/bin/python bench/hostile.py [--runs 3]

Each hostile input is measured as the whole command a user would run on it, against the floor of
the same command on an honest input of the same size (the work that cannot be avoided: starting,
reading, parsing). Target: at most 1.5x CPU time and 1.5x peak memory. Each size-driven case is
also run at twice the size, against twice the first figure (linear: at most 1.3x, start-up
included in both).

1. A cloze text of "{{c1::" repeated (`check`): the lazy nested pattern this replaced took ~100 s
   at 1,600 repeats (9.7 KB); the floor is a bank of the same size whose cloze is well formed.
2. A dotted key of 40,000 parts (`check`): tomllib alone took 31 s and 6 GB; the floor is a bank
   of the same size with one long string.
3. A bank with a problem in every one of 16,000 questions (`check`): every problem was located by
   a scan of the text and listed; the floor is the same bank without the problems.
4. A 1 GB sparse image (`print`, `export`): print took 39 s and 8 GB; the floor is the same bank
   with a 1 KB image. quizdeck refuses the image before reading it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import Result, report

QUIZDECK = [sys.executable, "-m", "quizdeck"]
HEAD = '[bank]\nid = "h"\ntitle = "Hostile"\nlanguage = "en"\n\n'
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 1016


def measure(command: list[str], cwd: Path) -> tuple[float, float]:
    """CPU seconds and peak memory (MB) of one run of a command (any exit status)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    if time.perf_counter() - start > 120:
        raise RuntimeError(f"{' '.join(command)} took over two minutes")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def compare(runs: int, cases: dict[str, tuple[list[str], Path]]) -> dict[str, tuple[float, float]]:
    """The best CPU time and least peak memory of each case, the cases taking turns."""
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, (command, cwd) in cases.items():
            samples[name].append(measure(command, cwd))
    return {name: (min(s[0] for s in values), min(s[1] for s in values)) for name, values in samples.items()}


def cloze_bank(repeats: int, hostile: bool) -> str:
    text = "{{c1::" * repeats if hostile else "{{c1::x}} " + "x" * (6 * repeats - 10)
    return HEAD + f'[[questions]]\nid = "q"\ntype = "cloze"\ntext = "{text}"\n'


def dotted_bank(parts: int, hostile: bool) -> str:
    key = ".".join(["a"] * parts) if hostile else "note"
    value = '"x"' if hostile else '"' + "x" * (2 * parts - 5) + '"'
    return HEAD + f'[[questions]]\nid = "q"\ntype = "card"\nprompt = "p"\nback = "b"\n{key} = {value}\n'


def problem_bank(count: int, hostile: bool) -> str:
    extra = "anwser = 1\n" if hostile else 'hint = "1"\n'
    return HEAD + "".join(f'[[questions]]\nid = "q{n}"\ntype = "card"\nprompt = "p"\nback = "b"\n{extra}\n'
                          for n in range(count))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="quizdeck-hostile-") as name:
        folder = Path(name)

        def check_case(label: str, make: object, sizes: tuple[int, int]) -> None:
            small, large = sizes
            cases = {}
            for size in (small, large):
                for hostile in (True, False):
                    path = folder / f"{label}-{size}-{'hostile' if hostile else 'honest'}.toml"
                    path.write_text(make(size, hostile), encoding="utf-8")  # type: ignore[operator]
                    cases[f"{size}-{hostile}"] = ([*QUIZDECK, "check", path.name], folder)
            figures = compare(args.runs, cases)
            for size in (small, large):
                ours, floor = figures[f"{size}-True"], figures[f"{size}-False"]
                results.append(Result("hostile", f"{label} x{size:,}: CPU", ours[0], floor[0], "s",
                                      "check, honest bank of the same size", 1.5))
                results.append(Result("hostile", f"{label} x{size:,}: peak memory", ours[1], floor[1], "MB",
                                      "check, honest bank of the same size", 1.5))
            results.append(Result("hostile", f"{label} x{large:,} against 2 x x{small:,}", figures[f"{large}-True"][0],
                                  2 * figures[f"{small}-True"][0], "s", "twice the smaller input", 1.3))

        check_case("cloze {{c1::", cloze_bank, (16_000, 32_000))
        check_case("dotted key parts", dotted_bank, (40_000, 80_000))
        check_case("questions with a problem", problem_bank, (16_000, 32_000))

        for kind in ("huge", "small"):
            sub = folder / kind
            sub.mkdir()
            (sub / "bank.toml").write_text(HEAD + '[[questions]]\nid = "q"\ntype = "card"\nprompt = "p"\n'
                                           'back = "b"\nimage = "map.png"\n', encoding="utf-8")
            if kind == "huge":
                with (sub / "map.png").open("wb") as handle:
                    handle.write(PNG)
                    handle.truncate(1024**3)
            else:
                (sub / "map.png").write_bytes(PNG)
        for command in (["print", "bank.toml", "-o", "exam.html"], ["export", "bank.toml", "-o", "deck.apkg"]):
            figures = compare(args.runs, {kind: ([*QUIZDECK, *command], folder / kind) for kind in ("huge", "small")})
            results.append(Result("hostile", f"{command[0]}, 1 GB sparse image: CPU", figures["huge"][0],
                                  figures["small"][0], "s", f"{command[0]} with a 1 KB image", 1.5))
            results.append(Result("hostile", f"{command[0]}, 1 GB sparse image: peak memory", figures["huge"][1],
                                  figures["small"][1], "MB", f"{command[0]} with a 1 KB image", 1.5))
    report(results)


if __name__ == "__main__":
    main()
