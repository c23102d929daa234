"""The right-to-left display setting: `quizdeck config rtl`, the settings file, and the one-time
question in a terminal quizdeck does not know (in a real pseudo-terminal, on the bundled Arabic bank)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
import tomllib
from typer.testing import CliRunner

from quizdeck import rtl
from quizdeck.cli import app
from quizdeck.config import config_path, rtl_setting, save_rtl

from .conftest import QUIZZES, press_ctrl_c

QUIZDECK = str(Path(sys.executable).with_name("quizdeck"))
BANK = QUIZZES / "coalition-iraq.toml"
QUESTION = "This terminal is not one quizdeck knows"
# Variables by which a terminal is recognised (rtl.detect): none of them in an unknown terminal.
TERMINAL_VARIABLES = (
    "TERM_PROGRAM", "MLTERM", "KONSOLE_VERSION", "KONSOLE_DBUS_SESSION", "VTE_VERSION", "KITTY_WINDOW_ID",
    "ALACRITTY_SOCKET", "ALACRITTY_LOG", "ALACRITTY_WINDOW_ID", "WT_SESSION", "WEZTERM_PANE", "XTERM_VERSION",
)


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


def title() -> str:
    return str(tomllib.loads(BANK.read_text(encoding="utf-8"))["bank"]["title"])


# --- the settings file and the command -----------------------------------------------------------


def test_the_settings_file_lives_in_quizdeck_home_in_tests(_isolated_home: Path) -> None:
    assert config_path(os.environ) == _isolated_home / "config.toml"
    assert rtl_setting(os.environ) is None
    assert not (_isolated_home / "config.toml").exists()


def test_config_rtl_saves_shows_and_refuses(_isolated_home: Path) -> None:
    path = _isolated_home / "config.toml"
    assert run("config", "rtl", "visual") == (0, f"rtl = visual (saved in {path})\n")
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"display": {"rtl": "visual"}}
    assert run("config", "rtl") == (0, f"rtl = visual (in {path})\n")
    assert run("config", "rtl", "Logical")[0] == 0
    assert rtl_setting(os.environ) == "logical"
    code, output = run("config", "rtl", "backwards")
    assert code == 2 and "invalid value 'backwards' for rtl; use one of auto, logical, visual" in output
    code, output = run("config", "colour", "red")
    assert code == 2 and "unknown setting 'colour'; the settings are: rtl" in output
    assert rtl_setting(os.environ) == "logical"


def test_other_settings_in_the_file_are_kept(_isolated_home: Path) -> None:
    path = _isolated_home / "config.toml"
    path.write_text('note = "mine"\n[display]\nrtl = "logical"\ntheme = "dark"\n', encoding="utf-8")
    save_rtl(os.environ, "visual")
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {
        "note": "mine", "display": {"rtl": "visual", "theme": "dark"},
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[display\n", "config.toml: "),
        ('[display]\nrtl = "sideways"\n', "[display] rtl = 'sideways' is not one of auto, logical, visual"),
        ("[display]\nrtl = 3\n", "[display] rtl = 3 is not one of"),
    ],
)
def test_a_broken_settings_file_is_one_line_naming_it(_isolated_home: Path, text: str, message: str) -> None:
    (_isolated_home / "config.toml").write_text(text, encoding="utf-8")
    code, output = run("show", str(BANK))
    assert code == 2
    assert output.startswith("quizdeck: error: ") and message in output and str(_isolated_home) in output
    assert "Traceback" not in output
    # --rtl and QUIZDECK_RTL come before the file, which is then not read: the command runs.
    assert run("show", str(BANK), "--rtl", "logical")[0] == 0
    assert run("show", str(BANK), env={rtl.ENV_VAR: "visual"})[0] == 0


def test_the_saved_mode_is_used_and_the_option_and_variable_override_it() -> None:
    save_rtl(os.environ, "visual")
    assert run("show", str(BANK))[1].startswith(rtl.BIDI_OFF)
    assert not run("show", str(BANK), "--rtl", "logical")[1].startswith(rtl.BIDI_OFF)
    assert not run("show", str(BANK), env={rtl.ENV_VAR: "logical"})[1].startswith(rtl.BIDI_OFF)
    save_rtl(os.environ, "logical")
    assert not run("show", str(BANK))[1].startswith(rtl.BIDI_OFF)
    assert run("show", str(BANK), env={rtl.ENV_VAR: "visual"})[1].startswith(rtl.BIDI_OFF)


def test_asked_only_when_nothing_decides_and_someone_can_answer() -> None:
    unknown = {"TERM": "xterm"}
    assert rtl.detect(unknown) is None
    assert rtl.should_ask(None, unknown, None, interactive=True)
    assert not rtl.should_ask(None, unknown, None, interactive=False)
    assert not rtl.should_ask("auto", unknown, None, interactive=True)
    assert not rtl.should_ask(None, {**unknown, rtl.ENV_VAR: "auto"}, None, interactive=True)
    assert not rtl.should_ask(None, unknown, "auto", interactive=True)
    assert not rtl.should_ask(None, {"TERM": "xterm", "XTERM_VERSION": "XTerm(390)"}, None, interactive=True)
    assert rtl.requested_mode(None, unknown, "visual") == "visual"
    assert rtl.requested_mode(None, {rtl.ENV_VAR: "logical"}, "visual") == "logical"
    assert rtl.requested_mode("auto", {rtl.ENV_VAR: "logical"}, "visual") == "auto"


# --- the question, in a real terminal --------------------------------------------------------------


def unknown_terminal(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in TERMINAL_VARIABLES}
    env.pop(rtl.ENV_VAR, None)
    env.update(TERM="xterm", TZ="UTC", **extra)
    return env


def take(env: dict[str, str]) -> pexpect.spawn:
    return pexpect.spawn(QUIZDECK, ["take", str(BANK), "--limit", "1", "--seed", "1"], env=env,
                         encoding="utf-8", dimensions=(30, 100), timeout=15)


def test_an_unknown_terminal_asks_once_and_the_answer_is_kept(_isolated_home: Path) -> None:
    child = take(unknown_terminal())
    child.expect_exact(QUESTION)
    child.expect_exact(f"  1) {title()}\r\n")  # as stored: right in a terminal that does bidi
    child.expect_exact(f"  2) {rtl.display_lines(title(), 94, 'ltr', 'visual')[0]}\r\n")
    child.expect_exact("type 1 or 2")
    child.sendline("3")
    child.expect_exact("type 1 or 2")
    child.sendline("2")
    child.expect_exact("right-to-left text: visual (saved)")
    child.expect_exact(rtl.BIDI_OFF)  # the quiz is written in visual order
    child.expect_exact("> ")
    press_ctrl_c(child)
    child.expect(pexpect.EOF)
    assert rtl_setting(os.environ) == "visual"
    # The next run does not ask.
    again = take(unknown_terminal())
    again.expect_exact("> ")
    assert QUESTION not in again.before and rtl.BIDI_OFF in again.before
    press_ctrl_c(again)
    again.expect(pexpect.EOF)


def test_one_answers_logical_and_review_asks_too(_isolated_home: Path) -> None:
    child = pexpect.spawn(QUIZDECK, ["review", str(BANK), "--new", "1"], env=unknown_terminal(),
                          encoding="utf-8", dimensions=(30, 100), timeout=15)
    child.expect_exact(QUESTION)
    child.sendline("1")
    child.expect_exact("right-to-left text: logical (saved)")
    child.expect_exact("> ")
    assert rtl.BIDI_OFF not in child.before
    press_ctrl_c(child)
    child.expect(pexpect.EOF)
    assert rtl_setting(os.environ) == "logical"


@pytest.mark.parametrize("env", [{rtl.ENV_VAR: "logical"}, {"XTERM_VERSION": "XTerm(390)"}])
def test_a_set_mode_or_a_known_terminal_is_never_asked(_isolated_home: Path, env: dict[str, str]) -> None:
    child = take(unknown_terminal(**env))
    child.expect_exact("> ")
    assert QUESTION not in child.before
    press_ctrl_c(child)
    child.expect(pexpect.EOF)
    assert rtl_setting(os.environ) is None


def test_runs_nobody_watches_never_ask(_isolated_home: Path, tmp_path: Path) -> None:
    done = subprocess.run([QUIZDECK, "take", str(BANK), "--limit", "1"], input="-\n", capture_output=True,
                          text=True, env=unknown_terminal(), timeout=30)
    assert QUESTION not in done.stdout + done.stderr
    assert rtl_setting(os.environ) is None
