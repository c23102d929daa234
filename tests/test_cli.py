"""The command line as a whole: --version, --help on every command, python -m quizdeck."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from quizdeck import __version__
from quizdeck.cli import app

runner = CliRunner()
COMMANDS = sorted(c.name or "" for c in typer.main.get_command(app).commands.values())  # type: ignore[attr-defined]


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"quizdeck {__version__}\n"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert f"Usage: quizdeck {command}" in result.output
    assert "Example" in result.output


def test_python_dash_m_runs_the_same_program() -> None:
    done = subprocess.run([sys.executable, "-m", "quizdeck", "--version"], capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stdout == f"quizdeck {__version__}\n"


def test_user_error_is_one_line_without_traceback(tmp_path: object) -> None:
    done = subprocess.run([sys.executable, "-m", "quizdeck", "show", "no-such-bank.toml"],
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr == "quizdeck: error: no-such-bank.toml: no such file\n"
    assert "Traceback" not in done.stderr


def test_help_does_not_import_heavy_libraries() -> None:
    code = ("import sys; from quizdeck.cli import app; "
            "heavy = [m for m in ('genanki', 'fsrs', 'rapidfuzz', 'bidi', 'arabic_reshaper', 'sqlite3', "
            "'quizdeck.bank', 'tomllib') if m in sys.modules]; print(heavy)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr
