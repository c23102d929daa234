"""The README's teacher walkthrough ("Grading a class") runs as written, in order, in a copy of what a
fresh clone has, with `quizdeck` found on PATH as the activated environment gives it; and the example
files it uses are what examples/build.py makes from the bundled bank."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from quizdeck.bank import load_bank

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def walkthrough() -> list[str]:
    section = README.split("### Grading a class\n", 1)[1].split("\n### ", 1)[0]
    block = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)[0]
    return [line for line in block.strip().splitlines() if line.strip()]


def test_the_walkthrough_runs_as_written(tmp_path: Path) -> None:
    clone = tmp_path / "quizdeck"
    clone.mkdir()
    for folder in ("quizzes", "examples"):
        shutil.copytree(ROOT / folder, clone / folder)
    bin_folder = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_folder + os.pathsep + os.environ.get("PATH", ""), "COLUMNS": "100"}
    commands = walkthrough()
    assert [c.split()[:2] for c in commands] == [["quizdeck", "take"], ["quizdeck", "grade"],
                                                 ["quizdeck", "print"], ["quizdeck", "grade"]]
    outputs = []
    for command in commands:
        result = subprocess.run(command, shell=True, cwd=clone, env=env, capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 0, (command, result.stderr)
        assert result.stderr == "", (command, result.stderr)
        outputs.append(result.stdout)
    # take: amina's sheet (every 7th answer wrong, examples/build.py) graded, her results written.
    count = len(load_bank(clone / "quizzes" / "coalition-iraq.toml").questions)

    def percent(score: int) -> float:
        return round(100 * score / count, 1)

    amina, omar, huda = count - count // 7, count - count // 3, count - count // 4
    assert json.loads((clone / "amina.json").read_text(encoding="utf-8"))["percent"] == percent(amina)
    assert f"score: {amina} of {count} ({percent(amina):g}%)" in outputs[0]
    # grade: three students, the class figures under them.
    gradebook = list(csv.reader(io.StringIO((clone / "grades.csv").read_text(encoding="utf-8"))))
    assert [row[:4] for row in gradebook[1:]] == [[name, str(score), str(count), f"{percent(score):g}"]
                                                  for name, score in (("omar", omar), ("huda", huda),
                                                                      ("amina", amina))]
    assert re.search(r"^class: mean \d+\.\d%, median \d+\.\d%, sd \d+\.\d%, KR-20 -?\d\.\d\d, SEM", outputs[1],
                     re.MULTILINE)
    # print: papers and keys apart; the CSV key is the example's.
    assert (clone / "exam.html").exists() and (clone / "exam-key.html").exists()
    assert "مفتاح الإجابة" not in (clone / "exam.html").read_text(encoding="utf-8")
    assert (clone / "exam-key.csv").read_text(encoding="utf-8") == (ROOT / "examples" / "exam-key.csv").read_text(
        encoding="utf-8")
    # grade --key: the eight students of the grid, and the report page.
    names = [line.split("│")[1].strip() for line in outputs[3].splitlines() if line.startswith("│")]
    assert names == ["amal", "bilal", "dalia", "fares", "ghada", "hadi", "jana", "karim"]
    report = (clone / "report.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in report and report.count('<rect class="bar"') == 10


def test_the_examples_are_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location("examples_build", ROOT / "examples" / "build.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for name, text in build.files().items():
        assert (ROOT / "examples" / name).read_text(encoding="utf-8") == text, (
            f"examples/{name} is out of date with the bank: run python examples/build.py"
        )
