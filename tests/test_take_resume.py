"""Quiz attempts kept in the progress store: Ctrl-C keeps them, `take --resume` continues them in a
real pseudo-terminal, `stats` lists them, `--save-sheet` writes what was answered, and the
replay line is one whole command however narrow the terminal."""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import subprocess
from pathlib import Path

import pexpect
from typer.testing import CliRunner

from quizdeck.cli import app

from .conftest import ROOT, press_ctrl_c
from .test_take_pty import ANSI, PYTHON


def spawn(*args: str, width: int = 80, store: Path) -> tuple[pexpect.spawn, io.StringIO]:
    environment = {k: v for k, v in os.environ.items() if k != "QUIZDECK_RTL"}
    environment.update({"COLUMNS": str(width), "LINES": "50", "TERM": "xterm", "NO_COLOR": "1"})
    log = io.StringIO()
    child = pexpect.spawn(PYTHON, ["-m", "quizdeck", "take", *args, "--store", str(store)], env=environment,
                          encoding="utf-8", timeout=30, dimensions=(50, width), cwd=str(ROOT))
    child.logfile_read = log
    return child, log


def screen(log: io.StringIO) -> list[str]:
    text = ANSI.sub("", log.getvalue()).replace("\r\n", "\n").replace("\r", "")
    return [line.rstrip() for line in text.split("\n")]


def answer(child: pexpect.spawn, *lines: str) -> None:
    for line in lines:
        child.expect_exact("> ")
        child.sendline(line)


def stats_json(store: Path) -> dict[str, object]:
    result = CliRunner().invoke(app, ["stats", "--json", "--store", str(store)])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_ctrl_c_keeps_the_attempt_and_resume_continues_it(all_types_bank: Path, tmp_path: Path) -> None:
    store = tmp_path / "progress.db"
    bank = str(all_types_bank.relative_to(ROOT))
    child, log = spawn(bank, "--no-shuffle", "--seed", "1", store=store)
    answer(child, "", "y", "b")          # a card (knew it), then the choice, right
    child.expect_exact("question 3 of 9")
    child.expect_exact("> ")
    press_ctrl_c(child)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    lines = screen(log)
    assert "quiz stopped (Ctrl-C) after 2 of 9 questions" in lines
    assert f"kept: continue this quiz with {PYTHON} -m quizdeck take {bank} --resume" in lines

    quizzes = stats_json(store)["quizzes"]
    assert isinstance(quizzes, list) and len(quizzes) == 1
    assert {k: quizzes[0][k] for k in ("bank", "finished", "seed", "questions", "answered", "score")} == {
        "bank": "all-types", "finished": None, "seed": 1, "questions": 9, "answered": 2, "score": 2,
    }

    child, log = spawn(bank, "--resume", store=store)
    # The first unanswered question: the multi, in the same order as before.
    child.expect_exact("question 3 of 9   score so far: 2 of 2")
    answer(child, "a c b", "t", "Shakespeare", "300", "sun", "Moon", "a d b c", "b c a")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    lines = screen(log)
    assert "resuming: 2 of 9 questions answered before" in lines
    assert "score: 9 of 9 (100%)" in lines
    quizzes = stats_json(store)["quizzes"]
    assert isinstance(quizzes, list) and quizzes[0]["finished"] is not None and quizzes[0]["answered"] == 9
    # Nothing left to resume.
    result = CliRunner().invoke(app, ["take", str(all_types_bank), "--resume", "--store", str(store)])
    assert result.exit_code == 2
    assert "no unfinished quiz of this bank to resume" in result.stderr


def test_stats_lists_quizzes_for_people(all_types_bank: Path, tmp_path: Path) -> None:
    store = tmp_path / "progress.db"
    runner = CliRunner()
    taken = runner.invoke(app, ["take", str(all_types_bank), "--no-shuffle", "--seed", "1", "--store", str(store)],
                          input="\ny\nb\n")
    assert taken.exit_code == 0  # Ctrl-D (end of input) after two answers
    result = runner.invoke(app, ["stats", "--store", str(store)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    at = lines.index("quizzes taken (newest first):")
    assert re.fullmatch(r"  \d{4}-\d\d-\d\d \d\d:\d\d  all-types: 2 of 2 answered \(100%\), 2 of 9 questions, "
                        r"stopped; take BANK --resume continues it", lines[at + 1]), lines[at + 1]


def test_save_sheet_writes_what_was_answered(all_types_bank: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "amina.toml"
    taken = CliRunner().invoke(app, ["take", str(all_types_bank), "--no-shuffle", "--seed", "1", "--save-sheet",
                                     str(sheet), "--store", str(tmp_path / "p.db")], input="\ny\nb\na c\n")
    assert taken.exit_code == 0
    assert sheet.read_text(encoding="utf-8") == (
        'capital-card = true\nlargest-planet = "Jupiter"\nprimary-colours = [\n    "red",\n    "blue",\n]\n'
    )
    graded = CliRunner().invoke(app, ["grade", str(all_types_bank), str(sheet), "--json", "-"])
    student = json.loads(graded.stdout)["students"][0]
    assert (student["student"], student["score"]) == ("amina", 2.6667)  # the card, the choice, 2 of 3 colours


def test_the_replay_line_runs_and_is_never_cut(all_types_bank: Path, tmp_path: Path) -> None:
    store = tmp_path / "progress.db"
    folder = tmp_path / "my banks"
    folder.mkdir()
    bank = folder / "all types.toml"
    bank.write_text(all_types_bank.read_text(encoding="utf-8"), encoding="utf-8")
    child, log = spawn(str(bank), "--no-shuffle", "--seed", "1", "--limit", "1", width=60, store=store)
    answer(child, "", "y")
    child.expect(pexpect.EOF)
    child.close()
    raw = ANSI.sub("", log.getvalue())
    command = f"{PYTHON} -m quizdeck take {shlex.quote(str(bank))} --limit 1 --no-shuffle --seed 1"
    # Printed whole: no line break inside it, whatever the width.
    assert f"  {command}\r\n" in raw
    # And it runs as printed, asking the same quiz.
    again = subprocess.run([*shlex.split(command), "--store", str(store)], input="\ny\n", capture_output=True,
                           text=True, timeout=60, cwd=str(ROOT))
    assert again.returncode == 0, again.stderr
    assert "question 1 of 1" in again.stdout and "score: 1 of 1 (100%)" in again.stdout
