"""Run every benchmark in bench/ and print one table of quizdeck's figures against their floors.

Run: .venv/bin/python bench/run.py [--only NAME ...] [--list] [--quick]

Each script runs in its own process with the arguments below (its defaults otherwise; any new
`bench/*.py` is picked up), one after the other, its own output shown as it goes. Scripts report
their ratios through bench/_common.py; the table at the end gathers them, with the target each
ratio is held to and whether it is met. docs/performance.md records one such run.

The whole run takes tens of minutes on a shared 2-core machine (the 100,000-question banks and
stores dominate); `--only load export` runs a few.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import RESULTS_ENV, Result, table

BENCH = Path(__file__).resolve().parent

#: Arguments for the scripts that need them here; the order is the order they run in.
ARGUMENTS: dict[str, list[str]] = {
    "load": [],
    "export": [],
    "classroom": [],
    "interchange": [],
    "review": [],
    "grading": [],
    "hostile": [],
}

#: --quick: tiny sizes and one run each, to check that every script runs and reports (the figures
#: then mean nothing).
QUICK: dict[str, list[str]] = {
    "load": ["--sizes", "200", "--repeat", "1", "--memory-runs", "1", "--startup-runs", "1"],
    "export": ["--sizes", "200", "--repeat", "1", "--rounds", "1"],
    "classroom": ["--runs", "1", "--questions", "200", "--students", "5"],
    "interchange": ["--sizes", "200", "--runs", "1"],
    "review": ["--sizes", "1000", "2000", "--runs", "1"],
    "grading": ["--repeat", "1"],
    "hostile": ["--runs", "1"],
}


def scripts() -> list[str]:
    """Every benchmark script: the known ones in order, then any other `bench/*.py`."""
    found = sorted(p.stem for p in BENCH.glob("*.py") if not p.stem.startswith("_") and p.stem != "run")
    return [name for name in ARGUMENTS if name in found] + [name for name in found if name not in ARGUMENTS]


def machine() -> str:
    """The machine, as docs/performance.md records it."""
    cores = os.cpu_count()
    try:
        memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal:"))
        memory = f", {int(memory) / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        memory = ""
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    return (f"{platform.machine()}, {cores} cores{memory}{load}; Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these scripts (names without .py)")
    parser.add_argument("--list", action="store_true", help="list the scripts and exit")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run: check that every script works")
    args = parser.parse_args()
    names = scripts()
    if args.list:
        print("\n".join(names))
        return
    if args.only:
        unknown = sorted(set(args.only) - set(names))
        if unknown:
            parser.error(f"no such benchmark: {', '.join(unknown)} (there are: {', '.join(names)})")
        names = [n for n in names if n in args.only]

    print(f"Machine: {machine()}", flush=True)
    results: list[Result] = []
    silent: list[str] = []
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="quizdeck-bench-") as folder:
        for name in names:
            collected = Path(folder) / f"{name}.jsonl"
            arguments = QUICK.get(name, []) if args.quick else ARGUMENTS.get(name, [])
            command = [sys.executable, str(BENCH / f"{name}.py"), *arguments]
            print(f"\n=== {name}: {' '.join(command[1:])}", flush=True)
            start = time.perf_counter()
            status = subprocess.run(command, env={**os.environ, RESULTS_ENV: str(collected)}).returncode
            print(f"=== {name}: {time.perf_counter() - start:.0f} s", flush=True)
            if status != 0:
                failed.append(f"{name} (exit status {status})")
            if collected.exists():
                results.extend(Result(**json.loads(line)) for line in collected.read_text("utf-8").splitlines())
            elif status == 0:
                silent.append(name)

    print(f"\nMachine: {machine()}\n")
    print(table(results))
    if silent:
        print(f"\nNo ratio reported (see their output above): {', '.join(silent)}")
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
    missed = [r for r in results if r.met is False]
    if missed:
        print(f"\nTargets not met: {len(missed)} of {sum(r.met is not None for r in results)}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
