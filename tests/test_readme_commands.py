"""Every command the README shows after its fresh-machine commands runs as written, in the README's order,
in a copy of what a fresh clone holds, with `quizdeck` on PATH as the activated environment gives it.

The fresh-machine commands themselves (install, test) are what `.ci/run` runs; interactive commands get
an empty standard input, as when a reader presses Ctrl-D at once."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SOURCE_TEXT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def later_commands() -> list[str]:
    """The lines of every ```sh block after the "On a fresh machine" section, in order."""
    after_fresh_machine = README.split("\n## ", 2)[2]
    blocks = re.findall(r"```sh\n(.*?)```", after_fresh_machine, re.DOTALL)
    return [line for block in blocks for line in block.strip().splitlines() if line.strip()]


def tracked_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=False)
    if listed.returncode != 0:
        pytest.skip("not a git checkout: the files of a fresh clone are unknown")
    return [name for name in listed.stdout.decode().split("\0") if name]


def test_every_later_readme_command_runs_as_written_in_order(tmp_path: Path) -> None:
    clone = tmp_path / "quizdeck"
    for name in tracked_files():
        if (ROOT / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, clone / name)
    if SOURCE_TEXT.exists():  # the README's ../shared/seed/article.ar.txt, beside the clone
        (tmp_path / "shared").symlink_to(SOURCE_TEXT.parent.parent, target_is_directory=True)
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
           "COLUMNS": "100"}
    commands = later_commands()
    assert len(commands) >= 15, commands
    for command in commands:
        if "../shared/" in command and not SOURCE_TEXT.exists():
            continue
        result = subprocess.run(command, shell=True, cwd=clone, env=env, stdin=subprocess.DEVNULL,
                                capture_output=True, text=True, timeout=300)
        assert "Traceback" not in result.stderr, (command, result.stderr)
        assert result.returncode == 0, (command, result.stdout[-2000:], result.stderr[-2000:])
    # What the commands say they make is there.
    for made in ("history.toml", "quizdeck.schema.json", "coalition-iraq.apkg", "coalition.gift",
                 "coalition-from-moodle.toml", "coalition-from-anki.toml", "paper.md", "paper-key.md"):
        assert (clone / made).is_file(), made
