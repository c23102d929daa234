"""Arguments and environment values out of any sensible range: a usage error, never an OverflowError."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizdeck.bank import parse_bank
from quizdeck.cli import app
from quizdeck.exam import build_exam, render_markdown

from .conftest import BANKS

BANK = str(BANKS / "all-types.toml")
HUGE = "99999999999999999999"


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, args, env=env, input="")
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout + result.stderr


@pytest.mark.parametrize(("args", "env", "message"), [
    (["export", BANK, "-o", "x.apkg", "--now", HUGE], None,
     f"quizdeck: error: --now: {HUGE} seconds is out of range; give a time between 1970 and 9000\n"),
    (["export", BANK, "-o", "x.apkg", "--now", "0001-01-01T00:00:00Z"], None,
     "quizdeck: error: --now: 0001-01-01T00:00:00+00:00 is out of range; give a time between 1970 and 9000\n"),
    (["stats"], {"QUIZDECK_NOW": "0001-01-01T00:00:00Z"},
     "quizdeck: error: QUIZDECK_NOW: 0001-01-01T00:00:00+00:00 is out of range; give a time between 1970 and 9000\n"),
    (["review", BANK], {"QUIZDECK_NOW": "9999-12-31T23:59:59Z"},
     "quizdeck: error: QUIZDECK_NOW: 9999-12-31T23:59:59+00:00 is out of range; give a time between 1970 and 9000\n"),
])
def test_times_out_of_range_are_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str],
                                             env: dict[str, str] | None, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    code, shown = run(args, env)
    assert (code, shown) == (2, message)


@pytest.mark.parametrize("args", [
    ["take", BANK, "--limit", HUGE], ["print", BANK, "--limit", HUGE], ["review", BANK, "--limit", HUGE],
    ["take", BANK, "--seed", HUGE + "000"],
])
def test_huge_counts_and_seeds_are_usage_errors(args: list[str]) -> None:
    code, shown = run(args)
    assert code == 2
    assert f"Invalid value for '{args[2]}'" in shown


def test_a_markdown_exam_percent_encodes_an_odd_image_name(tmp_path: Path) -> None:
    name = "odd\\n# x [y](z) <b>%.png"
    bank = parse_bank('[bank]\nid = "m"\ntitle = "M"\nlanguage = "en"\n\n[[questions]]\nid = "q"\ntype = "card"\n'
                      f'prompt = "p"\nback = "b"\nimage = "{name}"\n')
    markdown = render_markdown(build_exam(bank))
    assert "![](odd%0A%23%20x%20%5By%5D%28z%29%20%3Cb%3E%25.png)" in markdown
    assert "\n# x" not in markdown
