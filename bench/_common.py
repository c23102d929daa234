"""What the benchmarks share: fair measurement on a shared machine, and the results bench/run.py tabulates.

Fairness, the same in every script:
- quizdeck is always compared with a *floor*: the least work that gives the same result (the same
  parse, the same rows written, the same import), said in the script and in docs/performance.md;
- the contenders take turns (A B A B ...), so that a busy spell of the machine falls on both;
- the figure kept is CPU time (user + system), of this process (`time.process_time`) or of one
  child process (`os.wait4`), not wall time, which other jobs on the machine inflate;
- the best of several runs is kept: noise only ever adds time;
- quizdeck's modules are byte-compiled before anything is timed (`compile_quizdeck`, run when this
  module is imported), as an installed quizdeck's are and as the floors' libraries in site-packages
  are: otherwise, with PYTHONDONTWRITEBYTECODE set or a stale cache, every fresh process would
  compile quizdeck's sources again, and only quizdeck would pay for it.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

#: bench/run.py sets this to a file; each script appends its results to it as JSON lines.
RESULTS_ENV = "QUIZDECK_BENCH_RESULTS"


def compile_quizdeck() -> None:
    """Write the bytecode cache of every quizdeck module that lacks a current one."""
    import compileall

    import quizdeck

    if not compileall.compile_dir(Path(quizdeck.__file__).parent, quiet=1):
        raise RuntimeError("quizdeck's modules could not be byte-compiled")


compile_quizdeck()


@dataclass(frozen=True)
class Usage:
    """What one finished child process used."""

    cpu: float  # user + system seconds, of the child and the children it waited for
    wall: float


def run_child(command: Sequence[str], *, stdin: bytes | None = None, cwd: Path | None = None,
              env: dict[str, str] | None = None, expect: int | None = 0) -> Usage:
    """Run a command to completion; its own CPU time (from the kernel's accounting) and wall time.

    Output is thrown away; a run ending with another status than `expect` raises, with the command's
    error output, so that a benchmark never times a failure.
    """
    with tempfile.TemporaryFile() as errors, tempfile.TemporaryFile() as given:
        if stdin is not None:
            given.write(stdin)
            given.seek(0)
        start = time.perf_counter()
        process = subprocess.Popen(command, stdin=given, stdout=subprocess.DEVNULL, stderr=errors,
                                   cwd=cwd, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if expect is not None and process.returncode != expect:
            errors.seek(0)
            raise RuntimeError(f"{' '.join(command)} exited with {process.returncode}:\n"
                               f"{errors.read().decode(errors='replace')}")
    return Usage(usage.ru_utime + usage.ru_stime, wall)


def cpu_of(action: Callable[[], object]) -> float:
    """CPU seconds of an action run in this process."""
    start = time.process_time()
    action()
    return time.process_time() - start


def interleave(contenders: dict[str, Callable[[], float]], runs: int) -> dict[str, list[float]]:
    """Every measurement of each contender, the contenders taking turns `runs` times.

    Each contender is a function that runs once and returns its figure (seconds, megabytes).
    """
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(runs):
        for name, measure in contenders.items():
            samples[name].append(measure())
    return samples


def best(contenders: dict[str, Callable[[], float]], runs: int) -> dict[str, float]:
    """The least figure of each contender over `runs` interleaved runs."""
    return {name: min(values) for name, values in interleave(contenders, runs).items()}


@dataclass(frozen=True)
class Result:
    """One measured ratio: quizdeck's figure, its floor's, and the target for their ratio."""

    bench: str  # the script, e.g. "load"
    what: str  # what was measured, e.g. "load 100,000 questions: peak memory"
    ours: float
    floor: float
    unit: str  # "s" (CPU seconds) or "MB"
    floor_name: str  # the floor, in a few words
    target: float | None = None  # the largest acceptable ratio ours / floor, if there is one

    @property
    def ratio(self) -> float:
        return self.ours / self.floor if self.floor else float("inf")

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.ratio <= self.target


def figure(value: float, unit: str) -> str:
    """A figure as the table shows it: megabytes whole, seconds in a unit that keeps three digits."""
    if unit == "MB":
        return f"{value:.0f} MB"
    if value < 1e-3:
        return f"{value * 1e6:.1f} µs"
    if value < 1:
        return f"{value * 1e3:.1f} ms"
    return f"{value:.2f} s"


def table(results: Sequence[Result]) -> str:
    """The results as a Markdown table (what docs/performance.md records)."""
    lines = ["| bench | measure | quizdeck | floor | ratio | target | met |", "|---|---|---|---|---|---|---|"]
    for r in results:
        target = f"<= {r.target:.2f}x" if r.target is not None else "-"
        met = "-" if r.met is None else "yes" if r.met else "NO"
        lines.append(f"| {r.bench} | {r.what} | {figure(r.ours, r.unit)} | {figure(r.floor, r.unit)} "
                     f"({r.floor_name}) | {r.ratio:.2f}x | {target} | {met} |")
    return "\n".join(lines)


def report(results: Sequence[Result]) -> None:
    """Print the results, and hand them to bench/run.py when it is the caller."""
    print()
    print(table(results), flush=True)
    destination = os.environ.get(RESULTS_ENV)
    if destination:
        with open(destination, "a", encoding="utf-8") as out:
            for result in results:
                out.write(json.dumps(asdict(result), ensure_ascii=False) + "\n")
