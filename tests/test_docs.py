"""The README documents every command with an example, and its two fresh-machine commands stay true."""

from __future__ import annotations

import re

import pytest
import typer

from quizdeck.cli import app

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(c.name or "" for c in typer.main.get_command(app).commands.values())  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme_with_an_example(command: str) -> None:
    assert f"`quizdeck {command}" in README or f"\nquizdeck {command} " in README, (
        f"README.md has no example of `quizdeck {command}`"
    )


def test_readme_starts_with_install_take_and_test() -> None:
    # Installing activates the environment (so every later `quizdeck ...` line runs as written).
    quick_start = README.split("\n## ", 2)[1]
    commands = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", quick_start, re.DOTALL)
    lines = [line for block in commands for line in block.strip().splitlines()]
    # Exactly two commands: one installs and takes a bundled quiz, one installs the test tools and tests.
    assert len(lines) == 2, lines
    assert ". .venv/bin/activate" in lines[0] and "pip install ." in lines[0]
    assert lines[0].endswith("&& quizdeck take quizzes/coalition-iraq.toml")
    assert "pytest" in lines[1]


def test_ci_runs_the_readmes_test_command() -> None:
    quick_start = README.split("\n## ", 2)[1]
    test_command = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", quick_start, re.DOTALL)[-1].strip()
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_docs_linked_from_the_readme_exist() -> None:
    for link in re.findall(r"\]\((docs/[^)#]+)", README):
        assert (ROOT / link).exists(), link


def console_examples() -> list[tuple[str, str]]:
    """(command, expected output) for each ```console block of the README."""
    found = []
    for block in re.findall(r"```console\n(.*?)```", README, re.DOTALL):
        command, _, output = block.partition("\n")
        found.append((command.removeprefix("$ "), output))
    return found


@pytest.mark.parametrize(("command", "output"), console_examples())
def test_readme_console_examples_print_what_they_show(
    command: str, output: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shlex

    from typer.testing import CliRunner

    monkeypatch.chdir(ROOT)
    words = shlex.split(command)
    assert words[0] == "quizdeck"
    result = CliRunner().invoke(app, words[1:])
    assert result.output == output
