"""The benchmarks' entry point runs and reports (tiny sizes: the figures themselves are not checked).

The benchmarks proper are a documented command (docs/performance.md), not part of the test run;
this only keeps them from rotting: every script quizdeck's figures come from must still run, find
its floor doing the same work, and hand its ratios to the table.
"""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_run_lists_every_benchmark_script() -> None:
    listed = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--list"], capture_output=True,
                            text=True, check=True).stdout.split()
    scripts = sorted(p.stem for p in (ROOT / "bench").glob("*.py") if not p.stem.startswith("_") and p.stem != "run")
    assert sorted(listed) == scripts
    assert listed[:2] == ["load", "export"]


def test_quick_run_of_load_and_export_prints_their_ratios_in_one_table() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--only", "load", "export"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    table = result.stdout[result.stdout.rindex("| bench | measure |"):]
    rows = [line.split(" | ")[1] for line in table.splitlines()[2:] if line.startswith("| ")]
    assert rows == [
        "load 200 questions: CPU time",
        "start-up: `quizdeck --help`",
        "start-up: `quizdeck check` (one question)",
        "Anki export, 200 questions: CPU time",
    ]
    assert "(writing the same rows, texts given)" in table
    assert "No ratio reported" not in result.stdout
